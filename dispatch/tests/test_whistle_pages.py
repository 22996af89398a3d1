"""吹哨报到 and campaign progress through their pages, as the town team and the called departments use them."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from core.models import AuditRecord, Deadline
from dispatch.models import CampaignTask, Whistle


def blow(client, w, **extra):
    data = {"title": "人民路违建联合拆除", "description": "需住建、市场监管协助", "town": w.tianma.pk,
            "action_at": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"), "place": "人民路12号",
            "departments": [w.zj.pk, w.scjg.pk], "task": "派员参加"}
    data.update(extra)
    return client.post(reverse("dispatch:whistle_blow"), data, follow=True)



def manhole_campaign_task(w):
    """A county-wide 窨井盖 campaign with one task, for 天马街道 (target 20); returns the task."""
    from dispatch import services

    campaign = services.campaign_create(
        actor=w.operator, name="窨井盖专项排查", description="全县排查", lead=w.zf,
        start=timezone.localdate(), end=timezone.localdate() + dt.timedelta(days=30), category=w.cat_repair,
        partners=[w.zj], targets={w.tianma: 20})
    return CampaignTask.objects.get(campaign=campaign)

def test_a_town_team_blows_the_departments_report_and_the_team_closes_with_tasks_done(iw, client):
    client.force_login(iw.tianma_officer)
    page = client.get(reverse("dispatch:whistles")).content.decode()
    assert 'name="departments"' in page and iw.zj.name in page and iw.scjg.name in page
    blow(client, iw)
    whistle = Whistle.objects.get()
    zj_call, scjg_call = whistle.calls.get(department=iw.zj), whistle.calls.get(department=iw.scjg)
    assert Deadline.objects.filter(kind="whistle.report", state="open").count() == 2
    page = client.get(reverse("dispatch:whistles")).content.decode()
    assert f'name="call" value="{zj_call.pk}"' not in page  # the team does not report for the departments
    client.force_login(iw.zj_officer)  # 住建局 sees its call and reports
    page = client.get(reverse("dispatch:whistles")).content.decode()
    assert f'name="call" value="{zj_call.pk}"' in page and f'name="call" value="{scjg_call.pk}"' not in page
    client.post(reverse("dispatch:whistle_action", args=[whistle.pk, "report"]), {"call": zj_call.pk, "note": "王工带队"})
    zj_call.refresh_from_db()
    assert zj_call.reported_at is not None and zj_call.report_note == "王工带队"
    client.force_login(iw.tianma_officer)
    page = client.get(reverse("dispatch:whistles")).content.decode()
    assert f'name="done" value="{zj_call.pk}" checked' in page  # who reported is offered as done
    client.post(reverse("dispatch:whistle_action", args=[whistle.pk, "close"]),
                {"outcome": "违建已拆除，现场清理完毕", "done": [zj_call.pk]})
    whistle.refresh_from_db()
    zj_call.refresh_from_db()
    scjg_call.refresh_from_db()
    assert whistle.status == "closed" and zj_call.task_done and not scjg_call.task_done
    # the action is over: the department that never reported is not chased any more, and that is on record
    assert set(Deadline.objects.filter(kind="whistle.report").values_list("state", flat=True)) == {"met", "cancelled"}
    record = AuditRecord.objects.filter(action="dispatch.whistle.close").get()
    assert record.after["unreported"] == [iw.scjg.name] and record.after["done"] == [zj_call.pk]
    page = client.get(reverse("dispatch:whistles")).content.decode()
    assert "未报到" in page and "已完成" in page and "违建已拆除" in page


def test_bad_whistles_say_which_field_and_write_nothing(iw, client):
    client.force_login(iw.tianma_officer)
    audit = AuditRecord.objects.count()
    page = blow(client, iw, departments=[]).content.decode()
    assert "至少呼叫一个部门" in page
    page = blow(client, iw, title="").content.decode()
    assert "请填写事由" in page
    page = blow(client, iw, action_at="明天上午").content.decode()
    assert "联合行动时间格式有误" in page
    page = blow(client, iw, town=iw.huibu.pk).content.decode()  # not the team's town
    assert "只有该镇街的执法队可以吹哨" in page
    # a select's value that names nothing is the field's error (it was reported as a bad time, or a 404)
    for bad in ["", "abc", "999999"]:
        page = blow(client, iw, town=bad).content.decode()
        assert "请从列表中选择镇街" in page and "联合行动时间格式有误" not in page
    page = blow(client, iw, departments=[iw.zj.pk, "x"]).content.decode()
    assert "请从列表中选择被呼叫的部门" in page and "联合行动时间格式有误" not in page
    page = blow(client, iw, departments=[iw.zj.pk, 999999]).content.decode()
    assert "请从列表中选择被呼叫的部门" in page
    assert not Whistle.objects.exists() and AuditRecord.objects.count() == audit
    client.force_login(iw.zj_officer)
    assert "只有该镇街的执法队可以吹哨" in blow(client, iw).content.decode()
    assert not Whistle.objects.exists()


def test_a_whistle_is_closed_only_by_its_team_with_its_own_departments(iw, client):
    client.force_login(iw.tianma_officer)
    blow(client, iw)
    whistle = Whistle.objects.get()
    client.force_login(iw.huibu_officer)
    page = client.post(reverse("dispatch:whistle_action", args=[whistle.pk, "close"]), {"outcome": "代为结束行动"},
                       follow=True).content.decode()
    assert "只有吹哨队伍可以结束联合行动" in page
    client.force_login(iw.tianma_officer)
    page = client.post(reverse("dispatch:whistle_action", args=[whistle.pk, "close"]),
                       {"outcome": "违建已拆除", "done": ["99999"]}, follow=True).content.decode()
    assert "不属于本次行动" in page
    page = client.post(reverse("dispatch:whistle_action", args=[whistle.pk, "close"]),
                       {"outcome": "违建已拆除", "done": ["x"]}, follow=True).content.decode()
    assert "完成任务的部门有误" in page
    whistle.refresh_from_db()
    assert whistle.status == "open" and not whistle.calls.filter(task_done=True).exists()


def test_campaign_progress_through_the_page(iw, client):
    task = manhole_campaign_task(iw)
    instruction = task.instructions.get()
    client.force_login(iw.tianma_officer)
    client.post(reverse("dispatch:campaign_instruction", args=[instruction.pk, "sign"]))
    url = reverse("dispatch:campaign_progress", args=[task.pk])
    page = client.post(url, {"found": "十", "fixed": "2"}, follow=True).content.decode()
    assert "请填写数字" in page
    page = client.post(url, {"found": "5", "fixed": "7"}, follow=True).content.decode()
    task.refresh_from_db()
    assert (task.found, task.fixed) == (0, 0)
    client.post(url, {"found": "12", "fixed": "9", "note": "人民路、府前路已排查"})
    task.refresh_from_db()
    assert (task.found, task.fixed) == (12, 9)
    client.force_login(iw.huibu_officer)  # another town's team cannot report this town's progress
    client.post(url, {"found": "30", "fixed": "30"})
    task.refresh_from_db()
    assert (task.found, task.fixed) == (12, 9)


def test_campaign_progress_carries_a_note_and_photos_staff_can_see(iw, client, settings, tmp_path):
    """整改照片: the team uploads photos with its progress; a bad file or an overlong note changes nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dispatch.models import CampaignTaskPhoto

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    task = manhole_campaign_task(iw)
    url = reverse("dispatch:campaign_progress", args=[task.pk])
    client.force_login(iw.tianma_officer)
    page = client.post(url, {"found": "3", "fixed": "1", "note": "人民路",
                             "photos": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}, follow=True).content.decode()
    assert "类型不支持" in page
    page = client.post(url, {"found": "3", "fixed": "1", "note": "长" * 301}, follow=True).content.decode()
    assert "不能超过300个字符" in page
    task.refresh_from_db()
    assert (task.found, task.fixed, task.note) == (0, 0, "") and not CampaignTaskPhoto.objects.exists()
    client.post(url, {"found": "3", "fixed": "2", "note": "人民路3处，已换盖2处",
                      "photos": [SimpleUploadedFile("a.png", png), SimpleUploadedFile("b.png", png + b"1")]})
    task.refresh_from_db()
    assert (task.found, task.fixed, task.note) == (3, 2, "人民路3处，已换盖2处")
    photo = task.photos.order_by("pk").first()
    assert task.photos.count() == 2 and photo.added_by == iw.tianma_officer and photo.content_type == "image/png"
    record = AuditRecord.objects.filter(action="dispatch.campaign.progress").latest("pk")
    assert record.after["photos"] == list(task.photos.order_by("pk").values_list("sha256", flat=True))
    photo_url = reverse("dispatch:campaign_photo", args=[photo.pk])
    client.force_login(iw.operator)
    page = client.get(reverse("dispatch:campaigns")).content.decode()
    assert photo_url in page and "人民路3处，已换盖2处" in page
    response = client.get(photo_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png
    client.force_login(iw.citizen)  # not the public's
    assert photo_url not in client.get(reverse("dispatch:campaigns")).content.decode()
    assert client.get(photo_url).status_code == 404


def test_page_messages_follow_the_users_language(iw, client):
    url = reverse("dispatch:campaign_progress", args=[manhole_campaign_task(iw).pk])
    client.force_login(iw.tianma_officer)
    assert "已更新进度" in client.post(url, {"found": "2", "fixed": "1"}, follow=True).content.decode()
    client.cookies["django_language"] = "en"
    page = client.post(url, {"found": "3", "fixed": "1"}, follow=True).content.decode()
    assert "Progress updated" in page and "已更新进度" not in page
    assert "Enter numbers" in client.post(url, {"found": "x", "fixed": "1"}, follow=True).content.decode()
