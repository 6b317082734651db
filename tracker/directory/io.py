"""Import and export of units, people and posts as CSV and XLSX.

File format
    One table per CSV file or per XLSX sheet; the first row holds the headers, in English or in
    Hindi (see ``COLUMNS``; both are accepted, case and spacing do not matter). The kind of table
    (units, people or posts) is recognized from its headers. The headers are a file format, not UI
    text: they are fixed here so that a file made with one release still reads with the next.
    Values: codes for levels, kinds, channels and languages (their English or Hindi titles are
    accepted too), dates as YYYY-MM-DD (or DD-MM-YYYY, or date cells), yes/no for "archived".

Keys
    units by ``code``; people by ``id`` when given, else by mobile number; posts by
    (person, unit, role, start date), the person by ``person_id`` or ``person_mobile``.

Limits
    A file is bounded in rows, columns, characters per cell and size (:class:`Limits`, the settings
    ``IMPORT_MAX_*``). CSV is read as a stream; an XLSX file's unzipped size is checked and its XML
    streamed through expat (rows and cells counted, no DTD) before openpyxl reads it. Over a limit, the
    file is refused at once with the row (:class:`ImportFileError`), never a 500 or a stalled worker.

Export
    Written by tracker/core/exports.py (formulas neutralised, phone numbers in national format); the
    apostrophe it puts before a CSV cell that begins like a formula is taken off again on import.

Import
    :func:`run_import` applies every row through the directory operations inside a savepoint, one
    nested savepoint per row, so that the preview reports exactly what the real import would do
    (new, update, unchanged, or an error with its reason in the user's language). Unless asked to
    commit *and* no row failed, the savepoint is rolled back: a file with any error changes
    nothing. The caller commits the session.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.orm import aliased

from tracker.core import exports
from tracker.core.enums import TitledEnum
from tracker.core.imports import (
    Budget,
    ImportFileError,
    Limits,
    RowError,
    check_xlsx,
    checked,
    choice_cell,
    csv_rows,
    date_cell,
    decode,
    flag_cell,
    id_cell,
    locale_cell,
    text_cell,
    too_many_rows,
    unreadable_xlsx,
)
from tracker.directory import operations as ops
from tracker.directory.models import Channel, DistrictKind, Person, Post, PostRole, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, _l, current_locale, fmt_date, localized
from tracker.text import TextRefused, check_multiline, clean_line


class ImportKind(TitledEnum):
    """The lists a file may hold (imported in this order: units before the people and posts that name them)."""

    UNITS = "units", _l("Units")
    PEOPLE = "people", _l("People")
    POSTS = "posts", _l("Posts")


class RowFate(TitledEnum):
    """What an import does with a row."""

    NEW = "new", _l("New")
    UPDATE = "update", _l("Update")
    UNCHANGED = "unchanged", _l("Unchanged")
    ERROR = "error", _l("Error")


UNITS, PEOPLE, POSTS = ImportKind
KINDS = tuple(ImportKind)
FORMATS = exports.FORMATS
NEW, UPDATE, UNCHANGED, ERROR = RowFate
FATES = tuple(RowFate)


@dataclass(frozen=True)
class Column:
    field: str
    en: str
    hi: str

    def header(self, locale: str) -> str:
        return self.hi if locale == "hi" else self.en


# Columns that units, people and posts share: one header each.
_NAME_HI = Column("name_hi", "Name (Hindi)", "नाम (हिन्दी)")
_NAME_EN = Column("name_en", "Name (English)", "नाम (अंग्रेज़ी)")
_ARCHIVED = Column("archived", "Archived", "संग्रहीत")
_NOTE = Column("note", "Note", "टिप्पणी")
COLUMNS: dict[str, tuple[Column, ...]] = {
    UNITS: (
        Column("code", "Code", "कोड"),
        Column("level", "Level", "स्तर"),
        Column("district_kind", "District kind", "जिले का प्रकार"),
        _NAME_HI,
        _NAME_EN,
        Column("parent_code", "Parent code", "ऊपर की इकाई का कोड"),
        _ARCHIVED,
    ),
    PEOPLE: (
        Column("id", "ID", "आईडी"),
        _NAME_HI,
        _NAME_EN,
        Column("mobile", "Mobile", "मोबाइल"),
        Column("email", "Email", "ईमेल"),
        Column("preferred_locale", "Language", "भाषा"),
        Column("preferred_channel", "Channel", "संदेश का माध्यम"),
        _NOTE,
        _ARCHIVED,
    ),
    POSTS: (
        Column("person_id", "Person ID", "व्यक्ति आईडी"),
        Column("person_mobile", "Person mobile", "व्यक्ति का मोबाइल"),
        Column("person_name", "Person name", "व्यक्ति का नाम"),
        Column("unit_code", "Unit code", "इकाई कोड"),
        Column("role", "Role", "पद"),
        Column("start_date", "Start date", "आरंभ तिथि"),
        Column("end_date", "End date", "समाप्ति तिथि"),
        _NOTE,
    ),
}
# Columns that tell the kind of a table apart (checked in this order).
_SIGNATURE = ((POSTS, {"role", "unit_code"}), (UNITS, {"code", "level"}), (PEOPLE, {"name_hi", "name_en", "mobile"}))
# Columns shown for information only, ignored on import.
_INFORMATIVE = {"person_name"}




# --- reading files ---------------------------------------------------------------------------


@dataclass
class Table:
    kind: str
    sheet: str  # sheet name ("" for CSV)
    rows: list[tuple[int, dict[str, Any]]]  # (line number in the file, field -> cell value)


def _normal_header(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def _header_fields(headers: list[Any]) -> tuple[str, list[str | None]]:
    """The table's kind and, per column, its field (None for an unknown column)."""
    for kind, signature in _SIGNATURE:
        by_header = {}
        for column in COLUMNS[kind]:
            for text in (column.en, column.hi, column.field):
                by_header[_normal_header(text)] = column.field
        fields = [by_header.get(_normal_header(h)) for h in headers]
        if signature <= set(fields) or (kind == PEOPLE and len(signature & set(fields)) >= 2):
            return kind, fields
    raise ImportFileError(
        _("The headers of this table are not those of a units, people or posts list. Start from a template.")
    )


def _table(rows: Iterable[tuple[Any, ...]], sheet: str, budget: Budget) -> Table | None:
    limits = budget.limits
    iterator = iter(rows)
    header_line, headers = 0, None
    for header_line, cells in enumerate(iterator, start=1):
        checked(cells, sheet, header_line, limits)
        if any(_normal_header(c) for c in cells):
            headers = cells
            break
        if header_line > limits.rows:  # nothing but empty rows: stop all the same
            raise too_many_rows(sheet, header_line, limits)
    if headers is None:
        return None
    kind, fields = _header_fields(list(headers))
    table = Table(kind, sheet, [])
    for line, cells in enumerate(iterator, start=header_line + 1):
        budget.rows_left -= 1
        if budget.rows_left < 0:
            raise too_many_rows(sheet, line, limits)
        checked(cells, sheet, line, limits)
        values = {f: cell for f, cell in zip(fields, cells, strict=False) if f and f not in _INFORMATIVE}
        if any(text_cell(v) for v in values.values()):
            table.rows.append((line, values))
    return table


def read_tables(data: bytes, filename: str, limits: Limits | None = None) -> list[Table]:
    """The tables of a CSV or XLSX file, given its bytes and name; refused (:class:`ImportFileError`)
    when it is over a limit (``limits``, else the settings)."""
    limits = limits or Limits.from_config()
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if len(data) > limits.file_mb * 1024 * 1024:
        raise ImportFileError(_("The file is larger than %(max)s MB. Split it into smaller files.",
                                max=limits.file_mb))
    budget = Budget(limits)
    if suffix == ".csv":
        tables = [_table(csv_rows(decode(data), limits), "", budget)]
    else:
        check_xlsx(data, limits)
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError):
            raise unreadable_xlsx() from None
        try:
            tables = [_table(sheet.iter_rows(values_only=True), sheet.title, budget) for sheet in book.worksheets]
        finally:
            book.close()
    tables = [t for t in tables if t is not None]
    if not tables:
        raise ImportFileError(_("The file is empty."))
    return tables


# --- import -----------------------------------------------------------------------------------


@dataclass
class RowResult:
    kind: str
    sheet: str
    line: int
    label: str = ""
    fate: str = UNCHANGED
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowResult]
    committed: bool = False

    @property
    def has_errors(self) -> bool:
        return any(r.fate == ERROR for r in self.rows)

    def counts(self) -> dict[str, int]:
        return {fate: sum(row.fate == fate for row in self.rows) for fate in FATES}


@dataclass
class _Context:
    """What earlier rows of the same file claimed: key -> line, to report duplicates."""

    seen: dict[tuple, int] = field(default_factory=dict)

    def claim(self, key: tuple, line: int, what: str) -> None:
        first = self.seen.setdefault(key, line)
        if first != line:
            raise RowError(_("%(what)s is also on row %(line)d of the file.", what=what, line=first))


def _label(kind: str, column_field: str) -> str:
    """The header of a column in the user's language, to name it in a message."""
    column = next(c for c in COLUMNS[kind] if c.field == column_field)
    return column.header(current_locale())


def _diff(entity, wanted: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(name, getattr(entity, name), value) for name, value in wanted.items() if getattr(entity, name) != value]


def _save(result: RowResult, values: dict[str, Any], entity, data: dict[str, Any], changes_of: Callable,
          operations: tuple[Callable, Callable, Callable, Callable]) -> None:
    """A unit's or a person's row: create the record, or update it when the row changes it; then archive or
    restore it as the row's "archived" says. ``operations``: create, update, archive, restore."""
    create, update, archive, restore = operations
    archived = flag_cell(values["archived"], _label(result.kind, "archived")) if "archived" in values else None
    new = entity is None
    if new:
        entity = create(data)
    else:
        result.changes = changes_of(entity, data)
        if result.changes:
            update(entity, data)
    if archived is not None and archived != entity.is_archived:
        if not new:  # a new record's changes are not listed
            result.changes.append(("is_archived", entity.is_archived, archived))
        (archive if archived else restore)(entity)
    result.fate = NEW if new else UPDATE if result.changes else UNCHANGED


def _unit_by_code(code: str) -> Unit | None:
    return db.session.scalar(sa.select(Unit).where(sa.func.lower(Unit.code) == code.lower()))


def _import_unit(values: dict[str, Any], ctx: _Context, result: RowResult) -> None:
    code = text_cell(values.get("code")).lower()
    result.label = code
    if not code:
        raise RowError(_("%(field)s is required.", field=_label(UNITS, "code")))
    ctx.claim((UNITS, code), result.line, _("The code %(code)s", code=code))
    unit = _unit_by_code(code)
    _save(result, values, unit, _unit_data(values, code, unit), _unit_changes,
          (ops.create_unit, ops.update_unit, ops.archive_unit, ops.restore_unit))


def _unit_data(values: dict[str, Any], code: str, unit: Unit | None) -> dict[str, Any]:
    """The fields a unit row sets. A new unit needs a level; a district always has a kind (the
    row's, else the unit's, else whole)."""
    data: dict[str, Any] = {"code": code}
    level = choice_cell(values.get("level"), UnitLevel, _label(UNITS, "level"))
    if level is None and unit is None:
        raise RowError(_("%(field)s is required.", field=_label(UNITS, "level")))
    data["level"] = level or unit.level
    if "parent_code" in values:
        data["parent"] = _parent_unit(text_cell(values["parent_code"]))
    kind = choice_cell(values.get("district_kind"), DistrictKind, _label(UNITS, "district_kind"))
    if kind is not None or data["level"] == UnitLevel.DISTRICT:
        data["district_kind"] = kind or (unit.district_kind if unit else None) or DistrictKind.WHOLE
    for name in ("name_hi", "name_en"):
        if text_cell(values.get(name)):
            data[name] = text_cell(values[name])
    return data


def _parent_unit(parent_code: str) -> Unit | None:
    """The unit a row names as parent (none when the cell is empty)."""
    if not parent_code:
        return None
    parent = _unit_by_code(parent_code)
    if parent is None:
        raise RowError(_("There is no unit with the parent code %(code)s.", code=parent_code))
    return parent


def _unit_changes(unit: Unit, data: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """What the row changes on the unit; the parent is shown by its code."""
    changes = _diff(unit, {k: v for k, v in data.items() if k != "parent"})
    if "parent" in data and data["parent"] is not unit.parent:
        changes.append(("parent", unit.parent.code if unit.parent else None, data["parent"] and data["parent"].code))
    return changes


def _person_data(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ("name_hi", "name_en"):
        if text_cell(values.get(name)):
            data[name] = text_cell(values[name])
    if "mobile" in values:
        data["mobile"] = ops.normalize_mobile(text_cell(values["mobile"])) if text_cell(values["mobile"]) else None
    if "email" in values:
        data["email"] = ops.normalize_email(text_cell(values["email"]))
    if text_cell(values.get("preferred_locale")):
        data["preferred_locale"] = locale_cell(values["preferred_locale"], _label(PEOPLE, "preferred_locale"))
    if text_cell(values.get("preferred_channel")):
        data["preferred_channel"] = choice_cell(values["preferred_channel"], Channel, _label(PEOPLE, "preferred_channel"))
    if "note" in values:
        data["note"] = text_cell(values["note"])
    return data


def _person_by_mobile(mobile: str | None, exclude_id: int | None = None) -> Person | None:
    if not mobile:
        return None
    query = sa.select(Person).where(Person.mobile == mobile)
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    return db.session.scalars(query.order_by(Person.id).limit(1)).first()


def _import_person(values: dict[str, Any], ctx: _Context, result: RowResult) -> None:
    person_id = id_cell(values.get("id"), _label(PEOPLE, "id"))
    data = _person_data(values)
    mobile = data.get("mobile")
    result.label = data.get("name_en") or data.get("name_hi") or mobile or ""
    if person_id is not None:
        ctx.claim((PEOPLE, "id", person_id), result.line, _("The ID %(id)s", id=person_id))
        person = db.session.get(Person, person_id)
        if person is None:
            raise RowError(_("There is no person with the ID %(id)s.", id=person_id))
    else:
        person = _person_by_mobile(mobile)
    if mobile:
        ctx.claim((PEOPLE, "mobile", mobile), result.line, _("The mobile number %(number)s", number=mobile))
        other = _person_by_mobile(mobile, exclude_id=person.id if person else None)
        if other is not None:
            raise RowError(_("The mobile number %(number)s belongs to %(name)s (ID %(id)s).", number=mobile,
                             name=other.name_en or other.name_hi, id=other.id))
    _save(result, values, person, data, _diff, (ops.create_person, ops.update_person, ops.archive_person,
                                                ops.restore_person))


def _post_person(values: dict[str, Any]) -> Person:
    person_id = id_cell(values.get("person_id"), _label(POSTS, "person_id"))
    if person_id is not None:
        person = db.session.get(Person, person_id)
        if person is None:
            raise RowError(_("There is no person with the ID %(id)s.", id=person_id))
        return person
    mobile_text = text_cell(values.get("person_mobile"))
    if not mobile_text:
        raise RowError(_("Give the person's ID or mobile number."))
    person = _person_by_mobile(ops.normalize_mobile(mobile_text))
    if person is None:
        raise RowError(_("There is no person with the mobile number %(number)s; import the people list first.",
                         number=mobile_text))
    return person


def _import_post(values: dict[str, Any], ctx: _Context, result: RowResult) -> None:
    person = _post_person(values)
    unit_code = text_cell(values.get("unit_code"))
    unit = _unit_by_code(unit_code) if unit_code else None
    if unit is None:
        raise RowError(_("There is no unit with the code %(code)s.", code=unit_code or "—"))
    role_code = text_cell(values.get("role")).lower()
    role = db.session.scalar(
        sa.select(PostRole).where(sa.or_(PostRole.code == role_code, sa.func.lower(PostRole.title_en) == role_code,
                                         PostRole.title_hi == text_cell(values.get("role"))))
    )
    if role is None:
        role = ops.role_by_code(role_code)  # a standard role, or a refusal
    start = date_cell(values.get("start_date"), _label(POSTS, "start_date"))
    if start is None:
        raise RowError(_("%(field)s is required.", field=_label(POSTS, "start_date")))
    end = date_cell(values.get("end_date"), _label(POSTS, "end_date"))
    result.label = f"{localized(person)} · {unit.code} · {role.code} · {fmt_date(start)}"
    ctx.claim((POSTS, person.id, unit.id, role.id, start), result.line, _("This post"))
    note = text_cell(values.get("note"))
    post = db.session.scalar(
        sa.select(Post).where(Post.person_id == person.id, Post.unit_id == unit.id, Post.role_id == role.id,
                              Post.start_date == start)
    )
    if post is None:
        appointed = ops.appoint(person, unit, role.code, start, end, note)
        result.fate = NEW
        for old in appointed.replaced:
            result.notes.append(_("Ends the term of %(name)s.", name=old.person.name_en or old.person.name_hi))
        return
    data = {"end_date": end, "note": note} if "note" in values else {"end_date": end}
    result.changes = _diff(post, data)
    if result.changes:
        ops.update_post(post, data)
    result.fate = UPDATE if result.changes else UNCHANGED


_IMPORTERS = {UNITS: _import_unit, PEOPLE: _import_person, POSTS: _import_post}
_LEVEL_ORDER = {level: n for n, level in enumerate(UnitLevel)}


def _apply_order(table: Table) -> list[tuple[int, dict[str, Any]]]:
    """Rows in the order they can be applied: parents before children, older posts first."""
    if table.kind == UNITS:
        def key(row):
            try:
                level = choice_cell(row[1].get("level"), UnitLevel, "")
            except RowError:
                level = None
            return _LEVEL_ORDER.get(level, len(_LEVEL_ORDER))
        return sorted(table.rows, key=key)
    if table.kind == POSTS:
        def start(row):
            try:
                return date_cell(row[1].get("start_date"), "") or date.max
            except RowError:
                return date.max
        return sorted(table.rows, key=start)
    return list(table.rows)


_MULTILINE_COLUMNS = {"note"}


def _checked_text(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The row's text cells by the text rule of tracker/text.py (NFC; names and codes without
    control or direction characters, notes without control characters)."""
    checked = dict(values)
    for name, value in values.items():
        if isinstance(value, str):
            try:
                checked[name] = (check_multiline if name in _MULTILINE_COLUMNS else clean_line)(value)
            except TextRefused as exc:
                column = next((c.header(current_locale()) for c in COLUMNS[kind] if c.field == name), name)
                raise RowError(f"{column}: {exc.message}") from exc
    return checked


def _import_row(kind: str, sheet: str, line: int, values: dict[str, Any], ctx: _Context) -> RowResult:
    result = RowResult(kind, sheet, line)
    try:
        values = _checked_text(kind, values)
        with db.session.begin_nested():
            _IMPORTERS[kind](values, ctx, result)
    except (RowError, ops.DirectoryError) as exc:
        result.fate = ERROR
        result.errors.append(str(exc))
    return result


def run_import(tables: list[Table], commit: bool = False) -> ImportReport:
    """Apply the tables (units, then people, then posts); keep the changes only when ``commit`` and
    every row succeeded. Flushes; the caller commits."""
    ctx = _Context()
    results: list[RowResult] = []
    savepoint = db.session.begin_nested()
    try:
        for kind in KINDS:
            for table in (t for t in tables if t.kind == kind):
                for line, values in _apply_order(table):
                    results.append(_import_row(kind, table.sheet, line, values, ctx))
    except BaseException:
        savepoint.rollback()
        raise
    results.sort(key=lambda r: ([t.sheet for t in tables].index(r.sheet), KINDS.index(r.kind), r.line))
    report = ImportReport(results)
    if commit and not report.has_errors:
        savepoint.commit()
        report.committed = True
    else:
        savepoint.rollback()
    return report


def import_file(data: bytes, filename: str, commit: bool = False, limits: Limits | None = None) -> ImportReport:
    return run_import(read_tables(data, filename, limits), commit=commit)


# --- export -----------------------------------------------------------------------------------


def _yes_no(value: bool, locale: str) -> str:
    if locale == "hi":
        return "हाँ" if value else "नहीं"
    return "yes" if value else "no"


def _unit_rows(locale: str) -> Iterator[list[Any]]:
    parent = aliased(Unit)
    query = (
        sa.select(Unit.code, Unit.level, Unit.district_kind, Unit.name_hi, Unit.name_en, parent.code, Unit.is_archived)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .order_by(sa.case(*((Unit.level == lvl, n) for lvl, n in _LEVEL_ORDER.items())), Unit.code)
    )
    for code, level, kind, name_hi, name_en, parent_code, archived in db.session.execute(query):
        yield [code, level.value, kind.value if kind else "", name_hi, name_en, parent_code or "",
               _yes_no(archived, locale)]


def _people_rows(locale: str) -> Iterator[list[Any]]:
    query = sa.select(Person).order_by(Person.id).execution_options(yield_per=1000)
    for p in db.session.scalars(query):
        yield [p.id, p.name_hi, p.name_en, exports.phone(p.mobile), p.email or "", p.preferred_locale,
               p.preferred_channel.value, p.note, _yes_no(p.is_archived, locale)]


def _post_rows(locale: str) -> Iterator[list[Any]]:
    query = (
        sa.select(Post.person_id, Person.mobile, Person.name_en, Person.name_hi, Unit.code, PostRole.code,
                  Post.start_date, Post.end_date, Post.note)
        .join(Person, Person.id == Post.person_id)
        .join(Unit, Unit.id == Post.unit_id)
        .join(PostRole, PostRole.id == Post.role_id)
        .order_by(Unit.code, PostRole.sort_order, Post.start_date, Post.id)
    )
    for person_id, mobile, name_en, name_hi, unit_code, role, start, end, note in db.session.execute(query):
        name = name_hi if locale == "hi" else name_en
        yield [person_id, exports.phone(mobile), name or name_en or name_hi, unit_code, role, start, end, note]


_ROWS = {UNITS: _unit_rows, PEOPLE: _people_rows, POSTS: _post_rows}


def headers(kind: str, locale: str) -> list[str]:
    return [column.header(locale) for column in COLUMNS[kind]]


def export_rows(kind: str, locale: str, empty: bool = False) -> Iterator[list[Any]]:
    """The header row, then (unless ``empty``, for a template) every row of the list."""
    yield headers(kind, locale)
    if not empty:
        yield from _ROWS[kind](locale)


def export(kind: str, fmt: str, locale: str, empty: bool = False) -> bytes:
    """A list (or an empty template) as CSV or XLSX bytes, with headers in ``locale``."""
    rows = export_rows(kind, locale, empty=empty)
    return exports.csv_bytes(rows) if fmt == "csv" else exports.xlsx_bytes(rows, kind)


def export_filename(kind: str, fmt: str, locale: str, template: bool = False) -> str:
    from tracker.timeutil import today_local

    stem = f"{kind}-template-{locale}" if template else f"{kind}-{today_local().isoformat()}"
    return f"{stem}.{fmt}"


# --- showing a report -------------------------------------------------------------------------

# Attribute names in a row's changes that are not column names.
_CHANGE_FIELDS = {"is_archived": "archived", "parent": "parent_code"}


def change_label(kind: str, name: str, locale: str) -> str:
    """The column header (in ``locale``) for a changed attribute of a row."""
    wanted = _CHANGE_FIELDS.get(name, name)
    column = next((c for c in COLUMNS[kind] if c.field == wanted), None)
    return column.header(locale) if column else name


def show_value(value: Any) -> str:
    """A changed value as text: enum codes, ISO dates, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value, current_locale())
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))
