"""CSV and XLSX downloads of any attendance :class:`~tracker.attendance.reports.Report`, written by the
one export writer (tracker/core/exports.py: formulas neutralised, phone numbers as people write them).

Headers are the report's column labels, already in the user's language. Percentages are written
as fractions with a percent format in XLSX, and as formatted text in CSV.
"""

from __future__ import annotations

from flask import Response

from tracker.attendance.reports import Column, Report, format_rate
from tracker.core import exports


def _value(column: Column, value):
    """A report value for a file: phone numbers as people write them (the report keeps E.164 for links)."""
    return exports.phone(value) if column.key == "mobile" else value


def _csv_value(column: Column, value):
    if value is None:
        return ""
    return format_rate(value) if column.kind == "percent" else _value(column, value)


def to_csv(report: Report) -> Response:
    rows = [[c.label for c in report.columns]]
    rows += [[_csv_value(c, v) for c, v in zip(report.columns, report.values(row), strict=True)]
             for row in report.rows]
    return exports.download(exports.csv_bytes(rows), exports.CSV, f"{report.filename}.csv")


def to_xlsx(report: Report) -> Response:
    header_row = 3 if report.subtitle else 2
    widths = [min(max([len(str(column.label))] + [len(str(r.get(column.key) or "")) for r in report.rows[:500]]) + 2,
                  48) for column in report.columns]
    book = exports.XlsxBook()
    sheet = book.sheet("Attendance", widths=widths, freeze_rows=header_row)
    sheet.append([report.title], bold=True, size=13)
    if report.subtitle:
        sheet.append([report.subtitle])
    sheet.append([c.label for c in report.columns], bold=True)
    formats = ["0%" if c.kind == "percent" else None for c in report.columns]
    for row in report.rows:
        sheet.append([_value(c, v) for c, v in zip(report.columns, report.values(row), strict=True)],
                     bold=row.get("_level") in ("division", "total"), number_formats=formats)
    return exports.download(book.to_bytes(), exports.XLSX, f"{report.filename}.xlsx")


EXPORTERS = {exports.CSV: to_csv, exports.XLSX: to_xlsx}
