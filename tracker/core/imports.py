"""Reading an uploaded CSV or XLSX file within bounds.

A file is bounded in rows, columns, characters per cell and size (:class:`Limits`, the settings
``IMPORT_MAX_*``). CSV is read as a stream; an XLSX file's unzipped size is checked and its XML streamed
through expat (rows and cells counted, no DTD) before openpyxl reads it. Over a limit, the file is refused
at once with the row (:class:`ImportFileError`), never a 500 or a stalled worker. What the rows mean is the
importer's business (tracker/directory/io.py).
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.parsers import expat

from flask import current_app
from flask_babel import force_locale

from tracker.core import exports
from tracker.core.errors import DomainError
from tracker.i18n import _, fmt_number

YES = {"yes", "y", "true", "1", "हाँ", "हां", "हा"}
NO = {"no", "n", "false", "0", "नहीं", "नही", ""}


class ImportFileError(DomainError):
    """The file cannot be read at all (message in the user's language)."""



@dataclass(frozen=True)
class Limits:
    """How much one file may hold (the settings ``IMPORT_MAX_*`` in tracker/config.py). A file over a limit
    is refused, with the row, before it is read further."""

    rows: int  # rows after the headers, over all the tables of the file
    columns: int  # cells in a row
    cell_chars: int  # characters in a cell
    file_mb: int  # the file as uploaded
    unpacked_mb: int  # an XLSX file once unzipped

    @classmethod
    def from_config(cls) -> Limits:
        cfg = current_app.config
        return cls(cfg["IMPORT_MAX_ROWS"], cfg["IMPORT_MAX_COLUMNS"], cfg["IMPORT_MAX_CELL_CHARS"],
                   cfg["IMPORT_MAX_FILE_MB"], cfg["IMPORT_MAX_UNPACKED_MB"])


def _where(sheet: str, row: int) -> str:
    if sheet:
        return _("Sheet “%(sheet)s”, row %(row)s", sheet=sheet, row=row)
    return _("Row %(row)s", row=row)


def too_many_rows(sheet: str, row: int, limits: Limits) -> ImportFileError:
    return ImportFileError(_("%(where)s: the file has more than %(max)s rows. Split it into smaller files.",
                             where=_where(sheet, row), max=fmt_number(limits.rows)))


def _too_many_columns(sheet: str, row: int, limits: Limits) -> ImportFileError:
    return ImportFileError(_("%(where)s has more than %(max)s columns.", where=_where(sheet, row),
                             max=limits.columns))


def _too_long(sheet: str, row: int, limits: Limits) -> ImportFileError:
    return ImportFileError(_("%(where)s: a cell holds more than %(max)s characters.", where=_where(sheet, row),
                             max=fmt_number(limits.cell_chars)))


@dataclass
class Budget:
    """The rows left for the file's tables."""

    limits: Limits
    rows_left: int = 0

    def __post_init__(self) -> None:
        self.rows_left = self.limits.rows


def checked(cells: tuple[Any, ...] | list[Any], sheet: str, line: int, limits: Limits) -> None:
    """Refuse a row with too many cells or too long a cell."""
    used = len(cells)
    while used and (cells[used - 1] is None or cells[used - 1] == ""):
        used -= 1
    if used > limits.columns:
        raise _too_many_columns(sheet, line, limits)
    if any(isinstance(cell, str) and len(cell) > limits.cell_chars for cell in cells):
        raise _too_long(sheet, line, limits)


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is not in UTF-8. Save it as “CSV UTF-8” and try again."))


def csv_rows(text: str, limits: Limits) -> Iterator[list[str]]:
    """The rows of a CSV text; a cell the csv module cannot take (over its own limit of 131,072
    characters) or a line it cannot read is refused with its row."""
    first_line = text[:text.find("\n")] if "\n" in text else text
    delimiter = max(",;\t", key=first_line.count)  # Excel writes ; in some regional settings
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    row = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _too_long("", row + 1, limits) from None
            raise ImportFileError(_("%(where)s cannot be read as CSV.", where=_where("", row + 1))) from None
        row += 1
        # A cell the export wrote as '=… (a formula character after an apostrophe) reads back as =….
        yield [exports.unescape_csv(cell) for cell in cells]


# The namespaces of a worksheet's XML (transitional and strict).
_SHEET_NAMESPACES = {"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                     "http://purl.oclc.org/ooxml/spreadsheetml/main"}


def unreadable_xlsx() -> ImportFileError:
    return ImportFileError(_("This is not an Excel (.xlsx) file that can be read."))


def _scan_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> None:
    """Read one XML part of an XLSX file as a stream, without building it (expat, ~25 MB/s), and refuse
    it at the first row over the row limit or a row with too many cells, and for any DTD (no entities)."""
    state = {"rows": 0, "cells": 0, "row": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        namespace, _sep, tag = name.rpartition(" ")
        if namespace not in _SHEET_NAMESPACES:
            return
        if tag == "row":
            state["rows"] += 1
            state["cells"] = 0
            number = attrs.get("r", "")
            state["row"] = int(number) if number.isdigit() else state["row"] + 1
            if state["rows"] > limits.rows + 1:  # the headers, then the rows
                raise too_many_rows("", state["row"], limits)
        elif tag == "c":
            state["cells"] += 1
            if state["cells"] > limits.columns:
                raise _too_many_columns("", state["row"], limits)

    def no_dtd(*args: Any) -> None:
        raise unreadable_xlsx()

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_dtd
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            OSError, ValueError):
        raise unreadable_xlsx() from None


def check_xlsx(data: bytes, limits: Limits) -> None:
    """Before openpyxl reads anything: the unzipped size (a zip bomb is refused here; a member larger
    than it says fails its CRC check), then each XML part's rows and cells, streamed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise unreadable_xlsx() from None
    if sum(m.file_size for m in members) > limits.unpacked_mb * 1024 * 1024:
        raise ImportFileError(_("Unpacked, this Excel file is larger than %(max)s MB. Split it into smaller files.",
                                max=limits.unpacked_mb))
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels")):
            _scan_xml(archive, member, limits)


class RowError(DomainError):
    """A row cannot be imported (message in the user's language)."""


# --- cell values ------------------------------------------------------------------------------


def text_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(value).strip()


def date_cell(value: Any, label: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = text_cell(value)
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(_("%(field)s: %(value)s is not a date; write it as 2025-08-16.", field=label, value=text))


def titles_of(enum_cls) -> dict[str, Any]:
    """Every accepted spelling of an enum's values: the code and its title in each language."""
    aliases: dict[str, Any] = {}
    for member in enum_cls:
        aliases[member.value.casefold()] = member
        for locale in ("en", "hi"):
            with force_locale(locale):
                aliases[str(member.title).casefold()] = member
    return aliases


def choice_cell(value: Any, enum_cls, label: str):
    text = text_cell(value)
    if not text:
        return None
    member = titles_of(enum_cls).get(text.casefold())
    if member is None:
        allowed = ", ".join(m.value for m in enum_cls)
        raise RowError(_("%(field)s: %(value)s is not one of %(allowed)s.", field=label, value=text, allowed=allowed))
    return member


def flag_cell(value: Any, label: str) -> bool | None:
    text = text_cell(value).casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError(_("%(field)s: write yes or no.", field=label))


def locale_cell(value: Any, label: str) -> str | None:
    text = text_cell(value).casefold()
    if not text:
        return None
    aliases = {"hi": "hi", "hindi": "hi", "हिन्दी": "hi", "हिंदी": "hi", "en": "en", "english": "en", "अंग्रेज़ी": "en",
               "अंग्रेजी": "en"}
    if text not in aliases:
        raise RowError(_("%(field)s: write hi or en.", field=label))
    return aliases[text]


def id_cell(value: Any, label: str) -> int | None:
    text = text_cell(value)
    if not text:
        return None
    if not text.isdigit():
        raise RowError(_("%(field)s: %(value)s is not a number.", field=label, value=text))
    return int(text)
