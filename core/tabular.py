"""Reading and writing tables (xlsx, csv) with Chinese headers, and the row-by-row import report.

An import is all-or-nothing: every row is validated first; if any cell is wrong the report lists
(row, column, value, message) for each problem and nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass
class RowError:
    row: int  # 1-based line/row number in the file as the user sees it (header = 1)
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class ImportReport:
    kind: str
    filename: str
    sha256: str = ""
    encoding: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    fatal: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.fatal

    def add(self, row: int, column: str, value, message: str) -> None:
        self.errors.append(RowError(row, column, "" if value is None else str(value)[:100], message))

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "filename": self.filename, "sha256": self.sha256, "encoding": self.encoding,
            "rows": self.rows, "created": self.created, "updated": self.updated, "ok": self.ok,
            "fatal": self.fatal, "errors": [e.as_dict() for e in self.errors], "seconds": round(self.seconds, 3),
        }


class FileTypeError(Exception):
    pass


def sniff(data: bytes, filename: str) -> str:
    """'xlsx' or 'csv', from the content (not only the name)."""
    name = filename.lower()
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(XLS_MAGIC):
        raise FileTypeError("不支持旧版 Excel (.xls) 文件，请另存为 .xlsx 或 .csv 后再导入")
    if name.endswith((".xlsx", ".xlsm")):
        raise FileTypeError("文件扩展名为 .xlsx，但内容不是有效的 Excel 文件")
    if b"\x00" in data[:4096]:
        raise FileTypeError("文件类型不支持：请上传 .xlsx 或 .csv（UTF-8 或 GBK 编码）")
    if not name.endswith((".csv", ".txt")) and name:
        raise FileTypeError(f"文件类型不支持：“{filename}”，请上传 .xlsx 或 .csv")
    return "csv"


def decode_csv(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), ("GBK/GB18030" if encoding == "gb18030" else "UTF-8")
        except UnicodeDecodeError:
            continue
    raise FileTypeError("无法识别文件编码：请使用 UTF-8 或 GBK 编码的 CSV")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text a spreadsheet will not run as a formula (CSV injection): a leading = + - @ tab or CR gets a
    quote. Numbers pass unchanged."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def from_spreadsheet(text: str) -> str:
    """The inverse of ``spreadsheet_safe`` on import: an exported "'=..." comes back as "=...", so an
    export can be edited and imported again without the quote creeping into names."""
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return from_spreadsheet(str(value).strip())


def read_table(data: bytes, filename: str) -> tuple[list[str], Iterator[tuple[int, list[str]]], str]:
    """(header, iterator of (row number, cells), encoding label)."""
    kind = sniff(data, filename)
    if kind == "xlsx":
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several types for corrupt files
            raise FileTypeError(f"Excel 文件无法读取：{exc.__class__.__name__}") from None
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [_cell(v) for v in next(rows, ())]

        def gen():
            for i, row in enumerate(rows, start=2):
                cells = [_cell(v) for v in row]
                if any(cells):
                    yield i, cells
            wb.close()

        return header, gen(), "xlsx"
    text, encoding = decode_csv(data)
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]

    def gen_csv():
        for i, row in enumerate(reader, start=2):
            cells = [from_spreadsheet(c.strip()) for c in row]
            if any(cells):
                yield i, cells

    return header, gen_csv(), encoding


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _safe_row(row) -> list:
    return ["" if v is None else spreadsheet_safe(v) for v in row]


def write_xlsx(header: list[str], rows: Iterable[list]) -> bytes:
    """An .xlsx of the rows. Text cells are spreadsheet-safe: openpyxl would otherwise store a cell that
    starts with "=" as a formula."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(header)
    for row in rows:
        ws.append(_safe_row(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_csv(header: list[str], rows: Iterable[list]) -> bytes:
    """UTF-8 CSV with a BOM (Excel); text cells spreadsheet-safe (``read_table`` takes the quote off)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(_safe_row(row))
    return out.getvalue().encode("utf-8-sig")


def stream_csv(header: list, rows: Iterable[list]) -> Iterator[str]:
    """CSV lines for a StreamingHttpResponse: UTF-8 with a BOM (Excel), every text cell spreadsheet-safe."""

    class _Echo:
        def write(self, value):
            return value

    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(h) for h in header])
    for row in rows:
        yield writer.writerow(["" if v is None else spreadsheet_safe(v if isinstance(v, (int, float)) else str(v))
                               for v in row])
