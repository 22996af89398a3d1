from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core.config import config_get
from core.http import handle_application_errors
from core.importing import get_importer, run_export, run_import
from org.access import require

KINDS = ["enterprises", "items", "boundary", "officers"]


@login_required
@handle_application_errors
def upload(request):
    require(request.user, "import.run")
    importers = {k: get_importer(k) for k in KINDS}
    importer_list = list(importers.items())
    report = None
    error = ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        upload = request.FILES.get("file")
        mapping_text = request.POST.get("mapping", "").strip()
        mapping = {}
        if kind not in importers:
            error = "请选择导入类型"
        elif upload is None:
            error = "请选择要导入的文件"
        elif upload.size > config_get("import.max_bytes"):
            error = f"文件超过大小上限 {config_get('import.max_bytes') // (1024 * 1024)} MB"
        else:
            for line in mapping_text.splitlines():
                if "=" in line:
                    src, dst = line.split("=", 1)
                    mapping[src.strip()] = dst.strip()
                elif line.strip():
                    error = f"列映射格式应为“文件列名=字段”，无法识别：{line.strip()}"
            if not error:
                importer = get_importer(kind, update_existing=bool(request.POST.get("update_existing")))
                report = run_import(importer, actor=request.user, data=upload.read(), filename=upload.name,
                                    mapping=mapping, max_rows=config_get("import.max_rows"))
    return render(request, "imports/upload.html", {"importers": importer_list, "report": report, "error": error})


@login_required
@handle_application_errors
def export(request, kind, fmt):
    require(request.user, "import.run")
    if kind not in KINDS or fmt not in ("xlsx", "csv"):
        return HttpResponse("unknown export", status=404)
    body = run_export(get_importer(kind), actor=request.user, fmt=fmt)
    ctype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
             else "text/csv; charset=utf-8")
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return resp
