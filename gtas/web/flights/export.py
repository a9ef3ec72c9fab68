"""Tables as CSV or Excel files that a spreadsheet opens safely: no cell is ever run as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from gtas.cells import inert

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """UTF-8 CSV with a byte order mark (so that Excel reads the accents), every cell made inert."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([inert(cell) for cell in header])
    writer.writerows([inert(cell) for cell in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(sheet: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """An Excel workbook of one sheet whose cells are all text, every cell made inert."""
    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31])
    page.append([inert(cell) for cell in header])
    for row in rows:
        page.append([inert(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
