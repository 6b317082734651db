"""Hostile import files, made fast: a CSV with a huge cell, an XLSX of a million rows written straight
into its zip (a few hundred KB, no openpyxl)."""

from __future__ import annotations

import io
import zipfile

PEOPLE_HEADERS = ("ID", "Name (Hindi)", "Name (English)", "Mobile", "Email", "Language", "Channel", "Note",
                  "Archived")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<sheets><sheet name="people" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def xlsx_of_rows(rows: int, *, compact: bool = False, doctype: str = "") -> bytes:
    """A people list of ``rows`` rows (after the headers). ``compact`` leaves out the row and cell
    references (allowed by the format), so that a million rows stay under the unpacked-size limit."""
    header = "".join(_inline(f"{chr(65 + i)}1", text) for i, text in enumerate(PEOPLE_HEADERS))
    body = io.StringIO()
    body.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}'
               f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1">{header}</row>')
    for n in range(2, rows + 2):
        if compact:
            body.write("<row><c><v>1</v></c></row>")
        else:
            body.write(f'<row r="{n}"><c r="C{n}" t="inlineStr"><is><t>Person {n}</t></is></c></row>')
    body.write("</sheetData></worksheet>")
    return _zip({**_PARTS, "xl/worksheets/sheet1.xml": body.getvalue()})


def xlsx_of_cells(cells: list[list[str]]) -> bytes:
    """A sheet of the given text cells (the first row: the headers)."""
    rows = []
    for n, row in enumerate(cells, start=1):
        rows.append(f'<row r="{n}">' + "".join(_inline(f"{_column(i)}{n}", text) for i, text in enumerate(row))
                    + "</row>")
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}"><sheetData>'
             + "".join(rows) + "</sheetData></worksheet>")
    return _zip({**_PARTS, "xl/worksheets/sheet1.xml": sheet})


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def csv_with_cell(chars: int) -> bytes:
    """A people list whose first person's note holds ``chars`` characters."""
    return (",".join(PEOPLE_HEADERS) + "\n" + f",राम,Ram,9425000001,,hi,sms,{'x' * chars},no\n").encode()
