"""The directory import reads its text cells by the shared text rule (issue 17, finding 6)."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.directory import io as dio
from tracker.directory.models import Person
from tracker.extensions import db


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_control_and_direction_characters_are_row_errors(app):
    data = _csv("Name (Hindi),Name (English),Mobile,Note",
                "राम,Ram\u202eKumar,,",
                "श्याम,Shyam\u0085,,",
                "गीता,Geeta,,fine note",
                "सीता,Sita,,bad\x00note")
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        report = dio.import_file(data, "people.csv", commit=True)
    fates = [(r.fate, r.errors) for r in report.rows]
    assert [f for f, _ in fates] == ["error", "error", "new", "error"], fates
    assert "Name (English): This text holds an invisible control or direction character (U+202E)" in fates[0][1][0]
    assert "U+0085" in fates[1][1][0]
    assert "Note:" in fates[3][1][0]


def test_names_are_stored_in_nfc_with_zwj_kept(app):
    data = _csv("Name (Hindi),Name (English),Mobile", "क्\u200dष,Jose\u0301,")
    with app.test_request_context("/", headers={"Accept-Language": "hi"}):
        report = dio.import_file(data, "people.csv", commit=True)
    assert [r.fate for r in report.rows] == ["new"], report.rows[0].errors
    db.session.commit()
    person = db.session.scalars(sa.select(Person)).one()
    assert (person.name_hi, person.name_en) == ("क्\u200dष", "Jos\u00e9")
