from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from org.access import has_perm

# The pages 执法公示 (/public/) lists: its entry is the current one on them (SX-1)
DISCLOSURE_PAGES = ("/public/officers/", "/public/procedure/", "/public/verify/", "/catalogue/", "/cases/devices/")


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:  # a visitor: report, the published decisions, 执法公示
        return {"nav_entries": _marked(request.path, [
            ("public_report", _("我要反映问题"), None), ("public_decisions", pgettext("menu", "处罚决定公开"), None),
            ("public_disclosure", pgettext("menu", "执法公示"), DISCLOSURE_PAGES)])}
    entries = [("home", _("首页"), None)]
    if user.is_superuser or user.role in {"operator", "guidance", "leader", "admin"}:
        entries.append(("dispatch:command", _("指挥中心"), None))
    if user.is_superuser or user.role in {"operator", "guidance", "leader", "admin", "dept_supervisor", "agency_head"}:
        entries.append(("dispatch:performance", _("考评"), None))
    if has_perm(user, "parties.view"):
        entries.append(("intake:events", _("事件"), None))
    if user.role == "grid_worker":
        entries.append(("intake:report", _("上报"), None))
    if user.role == "dept_supervisor":  # 部门移送 (ZJ-016)
        entries.append(("intake:report", _("移送线索"), None))
        entries.append(("cases:referrals", _("移送台账"), None))
        entries.append(("cases:assistance", _("协助请求"), None))
    if user.role in {"town_officer", "operator", "guidance", "admin"} or user.department_id:
        entries.append(("dispatch:whistles", _("吹哨报到"), None))
    if user.is_superuser or user.role in {"bureau_officer", "pro_officer", "town_officer", "legal_reviewer",
                                          "guidance", "leader", "dept_supervisor", "agency_head"}:
        entries.append(("cases:workbench", _("办案"), None))
    if has_perm(user, "catalogue.view"):
        entries.append(("catalogue:items", _("事项目录"), None))
        entries.append(("catalogue:laws", _("法律法规"), None))
    if has_perm(user, "org.view"):
        entries.append(("org:structure", _("组织机构"), None))
    if has_perm(user, "parties.view"):
        entries.append(("parties:enterprises", _("企业名录"), None))
    if has_perm(user, "catalogue.review_candidates"):
        entries.append(("catalogue:candidates", _("候选事项审核"), None))
    if has_perm(user, "catalogue.coverage"):
        entries.append(("catalogue:coverage", _("覆盖分析"), None))
    if has_perm(user, "import.run"):
        entries.append(("imports:upload", _("导入导出"), None))
    if user.role == "citizen":  # the published lists (SX-1, SX-3); staff reach them from the same pages they use
        entries.append(("public_disclosure", pgettext("menu", "执法公示"), DISCLOSURE_PAGES))
        entries.append(("public_decisions", pgettext("menu", "处罚决定公开"), None))
    return {"nav_entries": _marked(request.path, entries)}


def _marked(path: str, entries) -> list[dict]:
    """The menu: each entry's url and label, and one marked as the current page's — the entry whose page, or one
    of the pages it owns, is the longest start of ``path`` (/command/performance/ is 考评's, not 指挥中心's)."""
    exact = {"/", reverse("public_disclosure")}  # prefixes of every page, or of other entries' pages
    urls = [reverse(name) for name, _label, _owned in entries]

    def reach(url, owned) -> int:
        starts = [url] if (path == url if url in exact else path.startswith(url)) else []
        starts += [p for p in owned or () if path.startswith(p)]
        return max(map(len, starts), default=0)

    reaches = [reach(url, owned) for url, (_n, _l, owned) in zip(urls, entries, strict=True)]
    best = max(reaches, default=0)
    return [{"url": url, "label": label, "active": bool(best) and r == best}
            for url, r, (_n, label, _o) in zip(urls, reaches, entries, strict=True)]
