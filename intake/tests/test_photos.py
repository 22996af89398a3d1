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
    services.attachment_publish(actor=iw.operator, attachment=attachment, checked=True)
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
    attachment = services.attachment_publish(actor=iw.operator, attachment=e.attachments.get(), checked=True)
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
        services.attachment_publish(actor=iw.tianma_officer, attachment=photo, checked=True)
    secret = report(iw, confidential=True, lng=iw.huibu_point[0], lat=iw.huibu_point[1])
    with pytest.raises(NotPermitted) as exc:
        services.attachment_publish(actor=iw.operator, attachment=secret.attachments.get(), checked=True)
    assert "保密" in exc.value.message
    referral = event_submit(channel="referral", source=iw.hotline, external_id="R-1", text="住建局移送：某工地违规",
                            lng=iw.huibu_point[0], lat=iw.huibu_point[1],
                            attachments=[NewAttachment("site.jpg", photo_with_gps())]).event
    with pytest.raises(NotPermitted):  # referrals concern parties under investigation (XF-050)
        services.attachment_publish(actor=iw.operator, attachment=referral.attachments.get(), checked=True)
    broken = report(iw, photo=b"\xff\xd8\xff" + b"not really a jpeg", lng=118.8, lat=29.1)
    with pytest.raises(ValidationFailed) as exc:
        services.attachment_publish(actor=iw.operator, attachment=broken.attachments.get(), checked=True)
    assert "attachment" in exc.value.errors
    pdf = report(iw, photo=b"%PDF-1.4 minimal", lng=118.9, lat=29.2)
    with pytest.raises(ValidationFailed):
        services.attachment_publish(actor=iw.operator, attachment=pdf.attachments.get(), checked=True)
    services.attachment_publish(actor=iw.operator, attachment=photo, checked=True)
    with pytest.raises(InvalidTransition):
        services.attachment_publish(actor=iw.operator, attachment=photo, checked=True)
    assert Attachment.objects.filter(published_at__isnull=False).count() == 1
    assert AuditRecord.objects.filter(action="intake.attachment.publish").count() == 1


def noisy_photo(size=(800, 600)) -> bytes:
    """Random pixels: any detail left in a region shows as a high spread of values."""
    import random

    rng = random.Random(7)
    image = Image.frombytes("L", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1])))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=95)
    return out.getvalue()


def spread(image, box) -> float:
    from PIL import ImageStat

    return ImageStat.Stat(image.convert("L").crop(box)).stddev[0]


def test_the_publisher_must_confirm_the_check_and_nothing_is_written_until_then(iw, media):
    photo = report(iw).attachments.get()
    for checked in (False, None, "yes"):
        with pytest.raises(ValidationFailed) as exc:
            services.attachment_publish(actor=iw.operator, attachment=photo, checked=checked)
        assert "人脸" in exc.value.errors["checked"][0]
    photo.refresh_from_db()
    assert photo.published_at is None and not photo.public_file and not photo.public_token
    assert not any((media / "public").rglob("*.jpg"))  # no public copy was written
    assert not AuditRecord.objects.filter(action="intake.attachment.publish").exists()


@pytest.mark.parametrize("redactions, says", [
    ([[0.5, 0.5, 0.6, 0.1]], "第 1 处"),  # runs off the right edge
    ([[0.1, 0.1, 0.2, 0.2], [0.1, 0.1, 0, 0.2]], "第 2 处"),  # no width
    ([[-0.1, 0.1, 0.2, 0.2]], "第 1 处"),
    ([[0.1, 0.1, 0.2]], "第 1 处"),
    ([["0.1", 0.1, 0.2, 0.2]], "第 1 处"),
    ([[True, 0.1, 0.2, 0.2]], "第 1 处"),
    ({"x": 0.1}, "矩形"),
    ([[0.0, 0.0, 0.01, 0.01]] * 31, "最多 30 处"),
])
def test_bad_redaction_regions_are_refused_by_field(iw, media, redactions, says):
    photo = report(iw).attachments.get()
    with pytest.raises(ValidationFailed) as exc:
        services.attachment_publish(actor=iw.operator, attachment=photo, checked=True, redactions=redactions)
    assert says in exc.value.errors["redactions"][0]
    photo.refresh_from_db()
    assert photo.published_at is None and not AuditRecord.objects.filter(action="intake.attachment.publish").exists()


def test_redacted_regions_are_pixelated_in_the_public_copy_only(iw, client, media):
    photo = report(iw, photo=noisy_photo()).attachments.get()
    box = [0.25, 0.25, 0.5, 0.5]  # the middle of the photo: 400 × 300 px
    photo = services.attachment_publish(actor=iw.operator, attachment=photo, checked=True, redactions=[box])
    assert photo.public_redactions == [box]
    original = Image.open(photo.file.path)
    public = Image.open(io.BytesIO(b"".join(client.get(f"/public/photos/{photo.public_token}.jpg").streaming_content)))
    assert public.size == (800, 600)
    inside, outside = (220, 170, 580, 430), (0, 0, 180, 140)
    assert spread(original, inside) > 60 and spread(public, outside) > 60  # noise where nothing was masked
    assert spread(public, inside) < 15  # blocks of averaged noise: nothing of the original detail is left
    assert spread(Image.open(photo.file.path), inside) > 60  # the original is kept as it was
    record = AuditRecord.objects.get(action="intake.attachment.publish")
    assert record.after["redactions"] == [box]


def test_withdrawing_forgets_the_regions_and_a_new_publication_draws_its_own(iw, media):
    photo = report(iw).attachments.get()
    services.attachment_publish(actor=iw.operator, attachment=photo, checked=True, redactions=[[0, 0, 1, 0.5]])
    photo = services.attachment_unpublish(actor=iw.operator, attachment=photo)
    assert photo.public_redactions == [] and photo.published_at is None
    photo = services.attachment_publish(actor=iw.operator, attachment=photo, checked=True)
    assert photo.public_redactions == []


def test_the_operator_publishes_from_the_photo_page(iw, client, media):
    e = report(iw)
    photo = e.attachments.get()
    page_url = reverse("intake:photo_publish", args=[e.pk, photo.pk])
    client.force_login(iw.tianma_officer)  # the handling body sees the photo but does not publish
    assert page_url not in client.get(reverse("intake:event", args=[e.pk])).content.decode()
    refused = client.get(page_url)
    assert refused.status_code == 403 and "指挥中心" in refused.content.decode()
    assert client.post(page_url, {"checked": "on", "redactions": "[]"}).status_code == 403
    client.force_login(iw.operator)
    assert page_url in client.get(reverse("intake:event", args=[e.pk])).content.decode()
    page = client.get(page_url).content.decode()
    assert reverse("intake:attachment", args=[e.pk, photo.pk]) in page and "js/redact.js" in page
    unchecked = client.post(page_url, {"redactions": "[[0.1, 0.1, 0.2, 0.2]]"})
    assert unchecked.status_code == 400 and "请先查看照片" in unchecked.content.decode()
    garbled = client.post(page_url, {"checked": "on", "redactions": "[[0.1, 0.1"})
    assert garbled.status_code == 400 and "格式无法识别" in garbled.content.decode()
    outside = client.post(page_url, {"checked": "on", "redactions": "[[0.9, 0.1, 0.2, 0.2]]"})
    assert outside.status_code == 400 and "第 1 处" in outside.content.decode()
    photo.refresh_from_db()
    assert photo.published_at is None
    done = client.post(page_url, {"checked": "on", "redactions": "[[0.1, 0.1, 0.2, 0.2], [0.5, 0.5, 0.1, 0.1]]"})
    assert done.status_code == 302
    photo.refresh_from_db()
    assert photo.published_at is not None and photo.public_redactions == [[0.1, 0.1, 0.2, 0.2], [0.5, 0.5, 0.1, 0.1]]
    detail = client.get(reverse("intake:event", args=[e.pk])).content.decode()
    assert "已公开 · 打码 2 处" in detail and f"/public/photos/{photo.public_token}.jpg" in detail
    assert "已公开" in client.get(page_url).content.decode()  # the page says so rather than offering it again


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


def test_boxes_are_drawn_on_the_photo_as_it_stands_upright(iw, client, media):
    """Phones store a portrait photo on its side with an orientation tag; the browser shows it upright and
    the boxes are drawn on what it shows, so the server pixelates the upright photo, not the stored one."""
    import random

    rng = random.Random(3)
    sideways = Image.frombytes("L", (800, 600), bytes(rng.randrange(256) for _ in range(800 * 600))).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    sideways.save(out, "JPEG", quality=95, exif=exif)
    photo = report(iw, photo=out.getvalue()).attachments.get()
    photo = services.attachment_publish(actor=iw.operator, attachment=photo, checked=True,
                                        redactions=[[0, 0, 1, 0.25]])  # the top quarter of the upright photo
    public = Image.open(io.BytesIO(b"".join(client.get(f"/public/photos/{photo.public_token}.jpg").streaming_content)))
    assert public.size == (600, 800)  # upright: portrait
    assert spread(public, (10, 10, 590, 190)) < 15  # the top quarter is pixelated
    assert spread(public, (10, 220, 590, 790)) > 60  # the rest is not
