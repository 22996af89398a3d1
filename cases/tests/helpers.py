import datetime as dt
from decimal import Decimal

from cases import services as S
from cases.choices import ActKind, EvidenceKind, Outcome, PartyKind
from core.validators import uscc_check_char

D = dt.date
TZ = dt.timezone(dt.timedelta(hours=8))
ACT, FOUND, FILED, VISIT, REVIEW, PROPOSE, NOTICE = (D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 6), D(2026, 3, 9),
                                                     D(2026, 3, 16), D(2026, 3, 17), D(2026, 3, 18))


def uscc(n: int = 1) -> str:
    body = f"91330822MA2{n:06d}"
    return body + uscc_check_char(body)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=TZ)


def open_case(w, *, item=None, department=None, actor=None, party_kind=PartyKind.ORG, code=None, n=1,
              act_date=ACT, discovery=FOUND, **kw):
    return S.case_open(actor=actor or w.bureau_officer, department=department or w.zf, item=item or w.item_food,
                       party_kind=party_kind, party_name=kw.pop("party_name", f"常山测试{n}食品有限公司"),
                       party_code=code if code is not None else uscc(n), party_address="常山县天马街道人民路1号",
                       cause="未取得食品经营许可从事食品经营", act_date=act_date, discovery_date=discovery,
                       location="天马街道人民路1号", source="群众举报", summary="当事人未取得许可经营熟食", **kw)


def head_of(department):
    """The agency head (行政机关负责人) of a body: the fixture's, or one made for the test."""
    from org.choices import Role
    from org.models import User

    head = User.objects.filter(role=Role.AGENCY_HEAD, department=department).first()
    if head is None:
        head = User.objects.create(username=f"head_{department.code}", role=Role.AGENCY_HEAD, department=department,
                                   display_name=f"{department.short_name}负责人")
    return head


def file_case(w, case, on=FILED, officers=None, actor=None, head=None):
    """Assign two investigators, ask to file (立案申请) and have the head approve it (WS-FILE)."""
    for o in officers or (w.o1, w.o2):
        S.case_assign(actor=actor or w.bureau_officer, case=case, officer=o, on=on, no_conflict_declared=True)
    head = head or head_of(case.department)  # a request needs a head to receive it
    S.case_file_request(actor=actor or w.bureau_officer, case=case, on=on, basis="符合立案条件")
    return S.case_file(actor=head, case=case, on=on)


def not_file(w, case, on, reason="不属于违法行为", actor=None, head=None):
    """不予立案: the officers ask, the head approves (WS-FILE 不予立案审批表)."""
    head = head or head_of(case.department)
    S.case_not_file_request(actor=actor or w.bureau_officer, case=case, on=on, reason=reason)
    return S.case_not_file(actor=head, case=case, on=on)


def close_case(w, case, on, reason="已履行", actor=None, head=None):
    """结案: a filed general-procedure case by request and the head's approval (WS-CLOSE); else directly."""
    actor = actor or w.bureau_officer
    if S.needs_close_approval(case):
        head = head or head_of(case.department)
        S.case_close_request(actor=actor, case=case, on=on, reason=reason)
        return S.case_close(actor=head, case=case, on=on)
    return S.case_close(actor=actor, case=case, on=on, reason=reason)


def investigate(w, case, on=VISIT, verify=True):
    act = S.act_record(actor=w.bureau_officer, case=case, kind=ActKind.INSPECTION, started_at=at(on, 9),
                       ended_at=at(on, 10), place="人民路1号", officers=[w.o1, w.o2], id_shown=True,
                       record="现场发现当事人正在销售熟食，未能出示食品经营许可证", party_signed=True)
    ev = S.evidence_add(actor=w.bureau_officer, case=case, kind=EvidenceKind.INSPECTION_RECORD,
                        description="现场检查笔录及照片", collected_on=on, collectors=[w.o1, w.o2], method="现场检查拍照",
                        data=b"\xff\xd8\xff photo", filename="photo.jpg", act=act)
    if verify:
        S.evidence_verify(actor=w.bureau_officer, evidence=ev, on=on)
    return ev


def to_review(w, case, on=REVIEW):
    return S.investigation_close(actor=w.bureau_officer, case=case, on=on,
                                 facts="经查，当事人于2026年3月2日起未取得食品经营许可从事熟食经营，货值金额不足一万元。")


def propose(w, case, on=PROPOSE, fine=Decimal("60000"), types=("fine",), **kw):
    return S.case_propose(actor=w.bureau_officer, case=case, on=on, outcome=Outcome.PENALTY, types=list(types),
                          fine=fine, reasons="违法事实清楚", **kw)


def ready_for_notice(w, n=1, **kw):
    case = open_case(w, n=n, **kw)
    file_case(w, case)
    investigate(w, case)
    to_review(w, case)
    return case


def notice(w, case, on=NOTICE):
    return S.notice_serve(actor=w.bureau_officer, case=case, served_on=on)


def review_pass(w, case, on=NOTICE):
    """A passing legal review (fines from 50,000 yuan are on the county's review list, XF-058)."""
    return S.legal_review_record(actor=w.legal_reviewer, case=case, result="pass", opinion="主体、程序、事实、依据均合法",
                                 checklist={"主体合法": True, "程序合法": True, "事实清楚": True, "适用依据正确": True},
                                 on=on)


WAIVED = D(2026, 3, 19)


def ready_to_decide(w, n=1, **kw):
    """A case with its proposal, notice served, legal review passed and the party's signed waiver of
    statement and defence (XF-044-045-062): the next step is the decision."""
    case = ready_for_notice(w, n=n, **kw)
    propose(w, case)
    notice(w, case)
    review_pass(w, case)
    S.waiver_record(actor=w.bureau_officer, case=case, on=WAIVED, statement=b"%PDF-1.4 waiver")
    return case
