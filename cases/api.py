"""JSON for a referring department's own system (管罚衔接, ZJ-016).

``GET /api/cases/referral-feedback`` — what became of the leads the department referred: each 结果反馈 its staff
got as a notice (filed with the number, not filed with the reason, decided, passed on, closed), in order, for the
department's system to read with its key (``X-Api-Key``) as a 12345 platform reads ``/api/intake/updates``.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router

from cases.selectors import referral_feedback_for, referrals_of
from core import clock
from core.api_schemas import refusals
from core.config import config_get
from core.exceptions import NotPermitted
from intake.api import ApiKey
from intake.models import ApiClient
from intake.schemas import FeedbackListOut

router = Router(tags=["cases"], auth=ApiKey())

MAX_FEEDBACK = 500


@router.get("/referral-feedback", response={200: FeedbackListOut, **refusals(401, 403, 422)})
def referral_feedback(request, after: int = Query(0, ge=0, description="上次返回的 next_after；首次为 0"),
                      limit: int = Query(100, ge=1, le=MAX_FEEDBACK,
                                         description=f"每次最多返回的反馈数（1–{MAX_FEEDBACK}）")):
    """结果反馈 (ZJ-016) to this system's department after answer ``after``, oldest first, each naming the case
    and the department's referrals it answers (ticket and this system's ``external_id``). Poll with the last
    ``next_after``. Answers younger than ``intake.updates_settle_seconds`` are held back, as in
    ``/api/intake/updates``: an answer is numbered when written and seen when its transaction commits."""
    client: ApiClient = request.auth
    if client.kind != ApiClient.Kind.DEPARTMENT or client.department_id is None:
        raise NotPermitted(_("只有业务主管部门的系统可读取移送结果反馈"))
    settle = dt.timedelta(seconds=config_get("intake.updates_settle_seconds"))
    rows = list(referral_feedback_for(client.department_id, after=after, before=clock.now() - settle)[:limit])
    referrals = referrals_of(client.department_id, {f.case_id for f in rows})
    return {"feedback": [{"id": f.pk, "case": f.case.number or None, "status": f.status,
                          "status_label": str(f.get_status_display()), "text": f.shown,
                          "on": f.on, "at": f.at,
                          "referrals": [{"ticket": t, "external_id": x} for t, x in referrals[f.case_id]]}
                         for f in rows],
            "next_after": rows[-1].pk if rows else after}
