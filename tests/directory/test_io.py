"""Import and export of units, people and posts (acceptance 3 of the directory issue)."""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from tracker.audit.models import AuditEntry
from tracker.directory import io as dio
from tracker.directory import operations as ops
from tracker.directory.models import Person, Post, Unit
from tracker.extensions import db


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture
def world():
    """A state, a division, Bhopal city with Praveen Saxena as president."""
    state = ops.create_unit({"code": "mp", "level": "state", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश"})
    division = ops.create_unit({"code": "mp-bhopal", "level": "division", "parent": state, "name_en": "Bhopal",
                                "name_hi": "भोपाल"})
    city = ops.create_unit({"code": "mp-bhopal-city", "level": "district", "parent": division,
                            "district_kind": "city", "name_en": "Bhopal City", "name_hi": "भोपाल शहर"})
    praveen = ops.create_person({"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना", "mobile": "9826012345"})
    ops.appoint(praveen, city, "district_president", date(2025, 8, 16), note="appointed August 2025")
    db.session.commit()
    return {"state": state, "division": division, "city": city, "praveen": praveen}


CLEAN_UNITS = _csv(
    "Code,Level,District kind,Name (Hindi),Name (English),Parent code,Archived",
    "mp-bhopal-rural,district,rural,भोपाल ग्रामीण,Bhopal Rural,mp-bhopal,no",
    "mp-sehore,district,whole,सीहोर,Sehore,mp-bhopal,no",
    "mp-sehore-ashta,block,,आष्टा,Ashta,mp-sehore,",
)


def test_clean_units_file_previews_then_imports(world):
    preview = dio.import_file(CLEAN_UNITS, "units.csv")
    assert [r.fate for r in preview.rows] == ["new", "new", "new"]
    assert not preview.committed
    db.session.commit()
    assert _count(Unit) == 3  # the preview changed nothing

    report = dio.import_file(CLEAN_UNITS, "units.csv", commit=True)
    db.session.commit()
    assert report.committed and not report.has_errors
    ashta = db.session.scalar(sa.select(Unit).where(Unit.code == "mp-sehore-ashta"))
    assert ashta.parent.code == "mp-sehore" and ashta.name_hi == "आष्टा"
    assert ashta.search_key.strip()  # written through the operations
    audited = db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.entity_type == "units",
                                                                  AuditEntry.entity_id == ashta.id)
    )
    assert audited >= 1
    again = dio.import_file(CLEAN_UNITS, "units.csv")
    assert {r.fate for r in again.rows} == {"unchanged"}



def test_the_archived_column_archives_and_restores(world):
    header = "Code,Level,District kind,Name (Hindi),Name (English),Parent code,Archived"
    city = "mp-bhopal-city,district,city,भोपाल शहर,Bhopal City,mp-bhopal,{}"
    new_unit = "mp-raisen,district,whole,रायसेन,Raisen,mp-bhopal,yes"
    ops.end_post(world["praveen"].posts[0], date(2025, 9, 1))  # archiving a person needs no current post
    report = dio.import_file(_csv(header, city.format("yes"), new_unit), "units.csv", commit=True)
    assert [(r.fate, r.changes) for r in report.rows] == [("update", [("is_archived", False, True)]), ("new", [])]
    raisen = db.session.scalar(sa.select(Unit).where(Unit.code == "mp-raisen"))
    assert world["city"].is_archived and raisen.is_archived
    report = dio.import_file(_csv(header, city.format("no")), "units.csv", commit=True)
    assert [(r.fate, r.changes) for r in report.rows] == [("update", [("is_archived", True, False)])]
    assert not world["city"].is_archived
    people = _csv("ID,Name (Hindi),Name (English),Mobile,Archived",
                  f"{world['praveen'].id},प्रवीण सक्सेना,Praveen Saxena,9826012345,yes")
    report = dio.import_file(people, "people.csv", commit=True)
    assert [(r.fate, r.changes) for r in report.rows] == [("update", [("is_archived", False, True)])]
    assert world["praveen"].is_archived
    report = dio.import_file(people, "people.csv")
    assert [r.fate for r in report.rows] == ["unchanged"]

def test_hindi_headers_people_and_posts_import(world):
    people = _csv(
        "आईडी,नाम (हिन्दी),नाम (अंग्रेज़ी),मोबाइल,ईमेल,भाषा,संदेश का माध्यम,टिप्पणी,संग्रहीत",
        ",संजय दत्त,Sanjay Dutt,+91 98260 55555,,hi,sms,,नहीं",
        f"{world['praveen'].id},प्रवीण सक्सेना,Praveen Saxena,9826012345,praveen@example.org,hi,email,,नहीं",
    )
    report = dio.import_file(people, "people.csv", commit=True)
    db.session.commit()
    assert [r.fate for r in report.rows] == ["new", "update"]
    assert dict((c[0], c[2]) for c in report.rows[1].changes) == {"email": "praveen@example.org",
                                                                  "preferred_channel": "email"}
    posts = _csv(
        "व्यक्ति आईडी,व्यक्ति का मोबाइल,व्यक्ति का नाम,इकाई कोड,पद,आरंभ तिथि,समाप्ति तिथि,टिप्पणी",
        ",9826055555,,mp-bhopal,co_incharge,2025-08-20,,",
        ",9826055555,,mp-bhopal-city,district_president,01-01-2026,,",
    )
    report = dio.import_file(posts, "posts.csv", commit=True)
    db.session.commit()
    assert [r.fate for r in report.rows] == ["new", "new"]
    assert report.rows[1].notes  # ends Praveen's term
    old = db.session.scalar(sa.select(Post).where(Post.person_id == world["praveen"].id))
    assert old.end_date == date(2025, 12, 31)


def test_file_with_errors_reports_every_bad_row_and_changes_nothing(world):
    units = _csv(
        "Code,Level,District kind,Name (Hindi),Name (English),Parent code",
        "mp-raisen,district,whole,रायसेन,Raisen,mp-bhopal",
        "mp-vidisha,district,whole,विदिशा,Vidisha,mp-nowhere",
        "mp-raisen,district,whole,रायसेन,Raisen again,mp-bhopal",
    )
    people = _csv(
        "Name (Hindi),Name (English),Mobile",
        "अनोखीलाल पटेल,Anokhilal Patel,12345",
        "प्रियव्रत सिंह,Priyavrat Singh,9826077777",
    )
    book = Workbook()
    book.active.title = "units"
    for line in units.decode().splitlines():
        book.active.append(line.split(","))
    sheet = book.create_sheet("people")
    for line in people.decode().splitlines():
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    before = (_count(Unit), _count(Person), _count(AuditEntry))

    report = dio.import_file(buffer.getvalue(), "mixed.xlsx", commit=True)
    db.session.commit()

    assert not report.committed
    errors = {(r.sheet, r.line): r.errors for r in report.rows if r.fate == "error"}
    assert set(errors) == {("units", 3), ("units", 4), ("people", 2)}
    assert "mp-nowhere" in errors[("units", 3)][0]
    assert "2" in errors[("units", 4)][0]  # names the row where the code first appears
    assert "12345" in errors[("people", 2)][0]
    assert (_count(Unit), _count(Person), _count(AuditEntry)) == before


def test_errors_are_in_the_users_language(world, app):
    bad = _csv("Code,Level,Name (Hindi),Name (English),Parent code", "mp-x,district,क,X,nowhere")
    from flask_babel import force_locale

    with force_locale("hi"):
        hindi = dio.import_file(bad, "u.csv").rows[0].errors[0]
    with force_locale("en"):
        english = dio.import_file(bad, "u.csv").rows[0].errors[0]
    assert "nowhere" in hindi and "nowhere" in english
    assert hindi != english and english.startswith("There is no unit")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("locale", ["hi", "en"])
def test_exports_reimport_as_unchanged(world, fmt, locale):
    ops.create_person({"name_hi": "राम", "name_en": "", "mobile": "", "preferred_channel": "none"})
    ops.archive_unit(ops.create_unit({"code": "mp-old", "level": "district", "parent": world["division"],
                                      "name_en": "Old", "name_hi": "पुराना"}))
    db.session.commit()
    for kind in dio.KINDS:
        data = dio.export(kind, fmt, locale)
        report = dio.import_file(data, f"{kind}.{fmt}")
        assert report.rows, kind
        assert {r.fate for r in report.rows} == {"unchanged"}, [(r.label, r.changes, r.errors) for r in report.rows]


def test_export_headers_follow_the_language(world):
    book = load_workbook(io.BytesIO(dio.export("units", "xlsx", "hi")))
    assert [c.value for c in next(book.active.iter_rows())][:2] == ["कोड", "स्तर"]
    text = dio.export("posts", "csv", "en").decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Person ID,Person mobile")
    assert "mp-bhopal-city,district_president,2025-08-16" in text


def test_templates_are_headers_only(world):
    text = dio.export("people", "csv", "hi", empty=True).decode("utf-8-sig")
    assert text.strip() == ",".join(dio.headers("people", "hi"))


def test_unreadable_files_are_refused():
    with pytest.raises(dio.ImportFileError):
        dio.import_file(b"whatever", "people.pdf")
    with pytest.raises(dio.ImportFileError):
        dio.import_file(_csv("Colour,Taste", "red,sweet"), "x.csv")
    with pytest.raises(dio.ImportFileError):
        dio.import_file(b"not a zip", "x.xlsx")


def test_semicolon_csv_and_xlsx_number_cells(world):
    units = "Code;Level;Name (Hindi);Name (English);Parent code\nmp-harda;district;हरदा;Harda;mp-bhopal\n"
    assert [r.fate for r in dio.import_file(units.encode(), "u.csv").rows] == ["new"]
    book = Workbook()
    book.active.append(["Name (Hindi)", "Name (English)", "Mobile"])
    book.active.append(["प्रवीण सक्सेना", "Praveen Saxena", 9826012345])  # a number cell, as Excel keeps it
    buffer = io.BytesIO()
    book.save(buffer)
    assert [r.fate for r in dio.import_file(buffer.getvalue(), "p.xlsx").rows] == ["unchanged"]
