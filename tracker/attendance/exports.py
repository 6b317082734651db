"""CSV and XLSX downloads of any attendance :class:`~tracker.attendance.reports.Report`.

Headers are the report's column labels, already in the user's language. Percentages are written
as fractions with a percent format in XLSX, and as formatted text in CSV.
"""

from __future__ import annotations

import csv
import io

from flask import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from tracker.attendance.reports import Report, format_rate

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_value(column, value):
    if value is None:
        return ""
    return format_rate(value) if column.kind == "percent" else value


def to_csv(report: Report) -> Response:
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads the Devanagari as UTF-8
    writer = csv.writer(out)
    writer.writerow([c.label for c in report.columns])
    for row in report.rows:
        writer.writerow([_csv_value(c, v) for c, v in zip(report.columns, report.values(row), strict=True)])
    return _download(out.getvalue().encode("utf-8"), CSV_MIMETYPE, f"{report.filename}.csv")


def to_xlsx(report: Report) -> Response:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Attendance"
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=13)
    if report.subtitle:
        sheet.append([report.subtitle])
    sheet.append([c.label for c in report.columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    percent_columns = [i for i, c in enumerate(report.columns, start=1) if c.kind == "percent"]
    bold = Font(bold=True)
    for offset, row in enumerate(report.rows, start=1):
        sheet.append(report.values(row))
        row_number = header_row + offset
        for column in percent_columns:
            sheet.cell(row=row_number, column=column).number_format = "0%"
        if row.get("_level") in ("division", "total"):
            for column in range(1, len(report.columns) + 1):
                sheet.cell(row=row_number, column=column).font = bold
    for index, column in enumerate(report.columns, start=1):
        width = max([len(str(column.label))] + [len(str(r.get(column.key) or "")) for r in report.rows[:500]])
        sheet.column_dimensions[sheet.cell(row=header_row, column=index).column_letter].width = min(width + 2, 48)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    body = io.BytesIO()
    workbook.save(body)
    return _download(body.getvalue(), XLSX_MIMETYPE, f"{report.filename}.xlsx")


EXPORTERS = {"csv": to_csv, "xlsx": to_xlsx}
