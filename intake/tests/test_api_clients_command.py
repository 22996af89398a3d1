"""An administrator connects a system (12345 hotline, drones, a department system) from the command line:
the key is printed once, only its hash is kept, and deactivating it stops the key at once."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from core.models import AuditRecord
from intake.models import ApiClient


def run(*args) -> str:
    out = io.StringIO()
    call_command("api_clients", *args, stdout=out)
    return out.getvalue()


def test_create_use_and_deactivate_a_key(iw, client):
    out = run("create", "--name", "县12345热线（新）", "--kind", "hotline", "--by", iw.admin.username)
    key = re.search(r"\boe_\S+", out).group(0)
    made = ApiClient.objects.get(name="县12345热线（新）")
    assert made.key_hash == ApiClient.hash_key(key) and key not in str(made.__dict__)  # only the hash is kept
    payload = {"external_id": "N-1", "text": "辉埠镇中心街有人占道摆摊", "address": "辉埠镇中心街", "category": "0504"}
    r = client.post("/api/intake/events", payload, content_type="application/json", HTTP_X_API_KEY=key)
    assert r.status_code == 201
    listed = run("list")
    assert "县12345热线（新）\thotline" in listed and key not in listed and key[:8] in listed
    assert "deactivated" in run("deactivate", "--name", "县12345热线（新）", "--by", iw.admin.username)
    r = client.post("/api/intake/events", dict(payload, external_id="N-2"), content_type="application/json",
                    HTTP_X_API_KEY=key)
    assert r.status_code == 401
    actions = list(AuditRecord.objects.filter(action__startswith="intake.api_client").values_list("action", flat=True))
    assert actions[-2:] == ["intake.api_client.create", "intake.api_client.deactivate"]


@pytest.mark.parametrize("args, says", [
    (("create", "--name", "12345热线", "--kind", "hotline", "--by", "admin"), "已有名为"),  # the world's own
    (("create", "--name", "  ", "--kind", "hotline", "--by", "admin"), "--name"),
    (("create", "--name", "x", "--kind", "hotline", "--by", "nobody"), "--by"),
    (("create", "--name", "x", "--kind", "hotline", "--department", "NOPE", "--by", "admin"), "--department"),
    (("create", "--name", "x", "--kind", "hotline", "--by", "operator"), "权限"),
    (("deactivate", "--name", "没有这个", "--by", "admin"), "--name"),
])
def test_bad_requests_are_refused_and_write_nothing(iw, args, says):
    before = (ApiClient.objects.count(), AuditRecord.objects.count())
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert says in str(exc.value)
    assert (ApiClient.objects.count(), AuditRecord.objects.count()) == before


def test_a_deactivated_system_cannot_be_deactivated_twice(iw):
    run("deactivate", "--name", "12345热线", "--by", iw.admin.username)
    with pytest.raises(CommandError, match="已停用"):
        run("deactivate", "--name", "12345热线", "--by", iw.admin.username)
