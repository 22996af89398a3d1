"""公开照片: the command centre publishes a cleaned copy of a report's photo (ticket page, Open311
media_url); the original never leaves the system. Open311/API ``media_url`` from a sending system is kept
as a link for staff only."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from core.models import AuditRecord
from dispatch import services
from intake.models import Attachment
from intake.services import NewAttachment, event_submit

BASE = "/open311/v2"


def photo_with_gps() -> bytes:
    """A 2400×1200 JPEG carrying a camera make and a GPS position, as phones write them."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (28.0, 54.0, 12.5)
    out = io.BytesIO()
    Image.new("RGB", (2400, 1200), (200, 30, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def report(w, *, photo=None, **kw):
    data = dict(channel="citizen", text="天马街道人民路窨井盖破损，有人差点摔倒", lng=w.tianma_point[0],
                lat=w.tianma_point[1], category_code="0410", reporter_name="张三",
                attachments=[NewAttachment("IMG_0001.jpg", photo or photo_with_gps())])
    data.update(kw)
    return event_submit(**data).event


def test_a_published_photo_is_a_cleaned_copy_on_the_ticket_page_and_in_open311(iw, client, media):
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the phone's position is in the file
    e = report(iw, photo=original)
    attachment = e.attachments.get()
    assert client.get(f"{BASE}/requests/{e.ticket}.json").json()[0]["media_url"] == ""
    services.attachment_publish(actor=iw.operator, attachment=attachment)
    attachment.refresh_from_db()
    assert attachment.published_by == iw.operator and len(attachment.public_token) == 32
    row = client.get(f"{BASE}/requests/{e.ticket}.json").json()[0]
    url = f"http://testserver/public/photos/{attachment.public_token}.jpg"
    assert row["media_url"] == url
    assert client.get(f"{BASE}/requests.json").json()[0]["media_url"] == url
    response = client.get(url)  # anyone, no login
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    served = b"".join(response.streaming_content)
    image = Image.open(io.BytesIO(served))
    assert max(image.size) == services.PUBLIC_PHOTO_MAX_SIDE and not image.getexif()  # no GPS, no camera
    assert attachment.sha256 not in served.hex() and served != original
    assert f"/public/photos/{attachment.public_token}.jpg" in client.get(f"/public/track/{e.ticket}/").content.decode()
    # the original stays behind the login
    assert client.get(reverse("intake:attachment", args=[e.pk, attachment.pk])).status_code == 302
    record = AuditRecord.objects.filter(action="intake.attachment.publish").get()
    assert record.after["sha256"] == attachment.sha256


def test_unpublishing_removes_the_copy_at_once(iw, client, media, django_capture_on_commit_callbacks):
    e = report(iw)
    attachment = services.attachment_publish(actor=iw.operator, attachment=e.attachments.get())
    url, stored = f"/public/photos/{attachment.public_token}.jpg", attachment.public_file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_unpublish(actor=iw.guidance, attachment=attachment)
    assert client.get(url).status_code == 404
    assert client.get(f"{BASE}/requests/{e.ticket}.json").json()[0]["media_url"] == ""
    import os

    assert not os.path.exists(stored)
    with pytest.raises(InvalidTransition):
        services.attachment_unpublish(actor=iw.guidance, attachment=attachment)
    assert AuditRecord.objects.filter(action="intake.attachment.unpublish").count() == 1


def test_what_may_not_be_published(iw, media):
    e = report(iw)
    photo = e.attachments.get()
    with pytest.raises(NotPermitted):  # the handling body does not publish; the command centre does
        services.attachment_publish(actor=iw.tianma_officer, attachment=photo)
    secret = report(iw, confidential=True, lng=iw.huibu_point[0], lat=iw.huibu_point[1])
    with pytest.raises(NotPermitted) as exc:
        services.attachment_publish(actor=iw.operator, attachment=secret.attachments.get())
    assert "保密" in exc.value.message
    referral = event_submit(channel="referral", source=iw.hotline, external_id="R-1", text="住建局移送：某工地违规",
                            lng=iw.huibu_point[0], lat=iw.huibu_point[1],
                            attachments=[NewAttachment("site.jpg", photo_with_gps())]).event
    with pytest.raises(NotPermitted):  # referrals concern parties under investigation (XF-050)
        services.attachment_publish(actor=iw.operator, attachment=referral.attachments.get())
    broken = report(iw, photo=b"\xff\xd8\xff" + b"not really a jpeg", lng=118.8, lat=29.1)
    with pytest.raises(ValidationFailed) as exc:
        services.attachment_publish(actor=iw.operator, attachment=broken.attachments.get())
    assert "attachment" in exc.value.errors
    pdf = report(iw, photo=b"%PDF-1.4 minimal", lng=118.9, lat=29.2)
    with pytest.raises(ValidationFailed):
        services.attachment_publish(actor=iw.operator, attachment=pdf.attachments.get())
    services.attachment_publish(actor=iw.operator, attachment=photo)
    with pytest.raises(InvalidTransition):
        services.attachment_publish(actor=iw.operator, attachment=photo)
    assert Attachment.objects.filter(published_at__isnull=False).count() == 1
    assert AuditRecord.objects.filter(action="intake.attachment.publish").count() == 1


def test_the_operator_publishes_from_the_event_page(iw, client, media):
    e = report(iw)
    photo = e.attachments.get()
    client.force_login(iw.tianma_officer)
    publish_url = reverse("intake:action", args=[e.pk, "publish"])
    assert publish_url not in client.get(reverse("intake:event", args=[e.pk])).content.decode()
    client.force_login(iw.operator)
    page = client.get(reverse("intake:event", args=[e.pk])).content.decode()
    assert publish_url in page
    assert client.post(publish_url, {"attachment": photo.pk}).status_code == 302
    photo.refresh_from_db()
    assert photo.published_at is not None
    assert "已公开" in client.get(reverse("intake:event", args=[e.pk])).content.decode()


def test_media_url_from_a_sending_system_is_a_link_for_staff_only(iw, client):
    bad = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 28.9,
                                                "long": 118.7, "description": "人民路占道摆摊经营",
                                                "media_url": "javascript:alert(1)"})
    assert bad.status_code == 400 and "media_url" in bad.json()[0]["description"]
    link = "https://app.example.cn/photos/123.jpg"
    r = client.post(f"{BASE}/requests.json", {"api_key": iw.open311_key, "service_code": "0504", "lat": 28.9,
                                              "long": 118.7, "description": "人民路占道摆摊经营", "media_url": link})
    sid = r.json()[0]["service_request_id"]
    assert client.get(f"{BASE}/requests/{sid}.json").json()[0]["media_url"] == ""  # not reviewed: not public
    from intake.models import Event

    event = Event.objects.get(ticket=sid)
    assert event.media_url == link
    client.force_login(iw.operator)
    assert f'href="{link}"' in client.get(reverse("intake:event", args=[event.pk])).content.decode()
    r = client.post("/api/intake/events", {"text": "摄像头识别：人民路占道经营", "lng": 118.7, "lat": 28.9,
                                           "media_url": "ftp://camera/1.jpg"},
                    content_type="application/json", HTTP_X_API_KEY=iw.hotline_key)
    assert r.status_code in (400, 422) and "media_url" in r.content.decode()
