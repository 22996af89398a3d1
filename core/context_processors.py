from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from org.access import has_perm


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = [("home", _("首页"), None)]
    if user.is_superuser or user.role in {"operator", "guidance", "leader", "admin"}:
        entries.append(("dispatch:command", _("指挥中心"), None))
    if user.is_superuser or user.role in {"operator", "guidance", "leader", "admin", "dept_supervisor", "agency_head"}:
        entries.append(("dispatch:performance", _("考评"), None))
    if has_perm(user, "parties.view"):
        entries.append(("intake:events", _("事件"), None))
    if user.role == "grid_worker":
        entries.append(("intake:report", _("上报"), None))
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
        entries.append(("public_disclosure", pgettext("menu", "执法公示"), None))
        entries.append(("public_decisions", pgettext("menu", "处罚决定公开"), None))
    path = request.path
    exact = {"/", reverse("public_disclosure")}  # prefixes of every page, or of other entries' pages
    urls = [reverse(name) for name, _label, _x in entries]
    # the one entry whose page this is: the longest that the path starts with (/command/performance/ is 考评's,
    # not 指挥中心's too)
    matching = [u for u in urls if (path == u if u in exact else path.startswith(u))]
    current = max(matching, key=len) if matching else None
    nav = [{"url": url, "label": label, "active": url == current} for url, (_n, label, _x) in zip(urls, entries, strict=True)]
    return {"nav_entries": nav}
