"""The import framework: column mapping, validation of every row, then one atomic write.

An ``Importer`` declares its fields (canonical Chinese header, aliases seen in real files, required
or not). ``run_import`` maps the file's header to fields (aliases + a user mapping), validates all
rows, and writes only when there is no error. Each import is one audit record carrying the file's
SHA-256 and counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction

from core.audit import audit_log
from core.tabular import FileTypeError, ImportReport, read_table, sha256, write_csv, write_xlsx


@dataclass
class Field:
    name: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


class Importer:
    kind: str = ""
    label: str = ""
    fields: list[Field] = []
    permission: str = "import.run"

    def __init__(self, **context):
        self.context = context

    def prepare(self) -> None:
        """Load lookups once (towns by name, existing codes, ...)."""

    def validate(self, rowno: int, values: dict[str, str], report: ImportReport):
        """Return an object to write, or None after adding errors to ``report``."""
        raise NotImplementedError

    def write(self, objects: list, *, actor) -> tuple[int, int]:
        """Write validated objects; return (created, updated)."""
        raise NotImplementedError

    def export_rows(self):
        raise NotImplementedError


def normalise_header(h: str) -> str:
    return h.replace(" ", "").replace("\u3000", "").replace("（", "(").replace("）", ")").strip()


def map_columns(importer: Importer, header: list[str], mapping: dict[str, str] | None,
                report: ImportReport) -> dict[str, int] | None:
    """field name -> column index. ``mapping`` maps a file header to a field name or canonical header."""
    by_key: dict[str, Field] = {}
    for f in importer.fields:
        for key in (f.name, f.header, *f.aliases):
            by_key[normalise_header(key)] = f
    user = {normalise_header(k): v for k, v in (mapping or {}).items()}
    columns: dict[str, int] = {}
    for idx, raw in enumerate(header):
        h = normalise_header(raw)
        target = user.get(h)
        f = by_key.get(normalise_header(target)) if target else by_key.get(h)
        if target and f is None:
            report.add(1, raw, target, f"列映射目标“{target}”不是可导入的字段")
            continue
        if f is None:
            continue
        if f.name in columns:
            report.add(1, raw, raw, f"与第{columns[f.name] + 1}列重复映射到“{f.header}”")
            continue
        columns[f.name] = idx
    for f in importer.fields:
        if f.required and f.name not in columns:
            accepted = "、".join(dict.fromkeys((f.header, *f.aliases)))
            report.add(1, f.header, "", f"缺少必填列“{f.header}”（可用列名：{accepted}；或在列映射中指定）")
    return None if report.errors else columns


def run_import(importer: Importer, *, actor, data: bytes, filename: str, mapping: dict[str, str] | None = None,
               max_rows: int | None = None, dry_run: bool = False) -> ImportReport:
    from org.access import has_perm

    started = time.perf_counter()
    report = ImportReport(kind=importer.kind, filename=filename, sha256=sha256(data))
    if not has_perm(actor, importer.permission):
        report.fatal = "您没有导入权限"
        return report
    try:
        header, rows, report.encoding = read_table(data, filename)
    except FileTypeError as exc:
        report.fatal = str(exc)
        return report
    if not any(header):
        report.fatal = "文件为空或缺少表头行"
        return report
    columns = map_columns(importer, header, mapping, report)
    if columns is None:
        return report
    importer.prepare()
    objects = []
    for rowno, cells in rows:
        report.rows += 1
        if max_rows and report.rows > max_rows:
            report.fatal = f"行数超过上限 {max_rows}"
            return report
        values = {name: (cells[idx] if idx < len(cells) else "") for name, idx in columns.items()}
        obj = importer.validate(rowno, values, report)
        if obj is not None:
            objects.append(obj)
        if len(report.errors) >= 1000:
            report.fatal = "错误过多（已列出前1000条），请修正后重新导入"
            break
    if report.rows == 0 and not report.fatal:
        report.fatal = "文件没有数据行"
    if report.ok and not dry_run:
        with transaction.atomic():
            report.created, report.updated = importer.write(objects, actor=actor)
            audit_log(actor=actor, action=f"import.{importer.kind}", object_type="import", object_id=report.sha256[:16],
                      object_repr=filename[:300], after={"file": filename, "sha256": report.sha256,
                                                         "rows": report.rows, "created": report.created,
                                                         "updated": report.updated})
    report.seconds = time.perf_counter() - started
    return report


def run_export(importer: Importer, *, actor, fmt: str) -> bytes:
    """The register as an .xlsx or .csv that ``run_import`` reads back (导出). Audited: enterprise and
    officer registers carry personal data (法定代表人, 执法证号), so who took a copy out is recorded."""
    header, rows = importer.export_rows()
    rows = list(rows)
    body = write_xlsx(header, rows) if fmt == "xlsx" else write_csv(header, rows)
    with transaction.atomic():
        audit_log(actor=actor, action=f"import.{importer.kind}.export", object_type="import", object_id="export",
                  after={"format": fmt, "rows": len(rows)})
    return body


REGISTRY: dict[str, type[Importer]] = {}


def register(cls):
    REGISTRY[cls.kind] = cls
    return cls


def get_importer(kind: str, **context) -> Importer:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("importers")
    if kind not in REGISTRY:
        raise KeyError(kind)
    return REGISTRY[kind](**context)
