"""Acceptance 1 of issue 14: each printable page's PDF (my agenda on A4 and on a phone page, the day sheet,
the passes sheet, the session attendance report), for a demo-like meeting, in Hindi and in English: a PDF,
the complete Devanagari font embedded, the numbers and Latin text found by pdftotext, the Hindi words drawn
as HarfBuzz shapes them (never checked by text extraction), the file name in the reader's language, and
the page's own access checks."""

from __future__ import annotations

import io
import math
import os
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.factories import make_person, make_user
from tests.meetings.conftest import publish_agenda_of_a1
from tests.pdf_check import (
    assert_pdf,
    drawn_glyphs,
    draws_dotted_circle,
    embedded_fonts,
    pdftotext,
    shaped_in,
)
from tracker.extensions import db

DAY = "2025-09-22"


@pytest.fixture
def meeting(world, clock):
    """A1's agenda (Hindi agenda items, a one-to-one) plus seven guests at the group session, so the passes
    sheet needs two A4 sheets; the office user ``office_pdf``."""
    from tracker.meetings import operations as ops

    meeting = publish_agenda_of_a1(world)
    group = next(s for s in meeting.sessions if s.kind.value == "group")
    for n in range(7):
        ops.invite_person(group, make_person(f"Guest {n} Kumar", f"अतिथि क्षत्रिय {n}", commit=False))
    db.session.commit()
    make_user("office", "office_pdf")
    return meeting


def _as(client, auth, username: str, locale: str):
    auth.login(username)
    client.post("/locale", data={"locale": locale})


def _pdf(client, url: str, filename: str | None = None) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"") and "filename*=UTF-8''" in disposition
    if filename is not None:
        assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == filename
    assert disposition.split('filename="', 1)[1].split('"', 1)[0].isascii()
    data = response.data
    assert_pdf(data)
    if os.environ.get("TRACKER_PDF_DUMP"):  # to look at them: pdftoppm -png -r 80
        Path(os.environ["TRACKER_PDF_DUMP"]).mkdir(exist_ok=True)
        name = unquote(disposition.split("filename*=UTF-8''", 1)[1])
        (Path(os.environ["TRACKER_PDF_DUMP"]) / (("phone-" if "page=phone" in url else "") + name)).write_bytes(data)
    assert "Noto-Sans-Devanagari-PDF" in embedded_fonts(data) or "Noto-Sans-Devanagari-PDF-Bold" in embedded_fonts(data)
    return data


def _hindi_ok(data: bytes, *words: str) -> None:
    drawn = drawn_glyphs(data)
    assert not draws_dotted_circle(drawn)
    for word in words:
        assert shaped_in(word, drawn), word


def _page_sizes(data: bytes) -> list[tuple[float, float]]:
    from pypdf import PdfReader

    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in PdfReader(io.BytesIO(data)).pages]


A4 = (595, 842)


def test_day_sheet_pdf_in_hindi_and_english(world, meeting, client, auth):
    _as(client, auth, "office_pdf", "hi")
    url = f"/meetings/{meeting.id}/days/{DAY}?format=pdf"
    data = _pdf(client, url, f"दिन-की-सूची-{DAY}.pdf")
    assert set(_page_sizes(data)) == {A4}
    _hindi_ok(data, "प्रवीण", "सक्सेना", "संगठन", "सृजन", "अभियान", "क्षत्रिय", "अल्फ़ा")
    text = pdftotext(data)
    # Numbers and Latin text only (Hindi is checked by its glyphs above): the year, the time, the room,
    # the count of invitees, a mobile number.
    for latin in ("2025", "11:00", "13:15", "Hall", "(11)"):
        assert latin in text, latin
    assert world.pa1.mobile[-5:] in text.replace(" ", "")
    client.post("/locale", data={"locale": "en"})
    data = _pdf(client, url, f"Day-sheet-{DAY}.pdf")
    text = pdftotext(data)
    for latin in ("Review meeting", "22 September 2025", "Signature", "Praveen Saxena", "Guest 6 Kumar",
                  "One-to-one reviews", "11:00"):
        assert latin in text, latin
    assert world.pa1.mobile[-5:] in text.replace(" ", "")
    page = client.get(f"/meetings/{meeting.id}/days/{DAY}").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/days/{DAY}?format=pdf" in page and "Download PDF" in page


def test_my_agenda_pdf_on_a4_and_on_a_phone_page(world, meeting, client, auth):
    _as(client, auth, "praveen_b", "hi")
    page = client.get("/agenda").get_data(as_text=True)
    assert "/agenda?page=phone&amp;format=pdf" in page and "PDF डाउनलोड करें" in page
    data = _pdf(client, "/agenda?format=pdf&page=phone", "मेरा-एजेंडा-2025-09-20.pdf")
    sizes = _page_sizes(data)
    assert sizes and all(w == 255 and h == 454 for w, h in sizes), sizes  # 90 x 160 mm
    _hindi_ok(data, "संगठन", "सृजन", "अभियान", "प्रशिक्षण", "संजय")
    text = pdftotext(data)
    for latin in ("2025", "11:00", "13:00", "State office"):
        assert latin in text, latin
    a4 = _pdf(client, "/agenda?format=pdf")
    assert set(_page_sizes(a4)) == {A4}
    # The pass is in it: its QR code (an image) and its code.
    from tracker.attendance import passcodes
    from tracker.meetings.models import Invitation

    invitation = db.session.scalar(db.select(Invitation).filter_by(person_id=world.pa1.id).limit(1))
    code = passcodes.shown([invitation]).get(invitation.id)
    assert code and code.replace("-", "").replace(" ", "")[:4] in pdftotext(a4).replace(" ", "")
    client.post("/locale", data={"locale": "en"})
    text = pdftotext(_pdf(client, "/agenda?format=pdf&page=phone", "My-agenda-2025-09-20.pdf"))
    for latin in ("My agenda", "Review meeting", "State office", "Sanjay Dutt", "Pass code"):
        assert latin in text, latin


def test_a_president_cannot_fetch_another_agenda_or_the_office_pdfs(world, meeting, client, auth):
    _as(client, auth, "praveen_b", "hi")
    group = next(s for s in meeting.sessions if s.kind.value == "group")
    assert client.get(f"/agenda/{world.pa2.id}?format=pdf").status_code == 404
    assert client.get(f"/agenda/{world.pa2.id}?format=pdf&page=phone").status_code == 404
    assert client.get(f"/meetings/{meeting.id}/days/{DAY}?format=pdf").status_code == 403
    assert client.get(f"/attendance/sessions/{group.id}/passes?format=pdf").status_code == 403
    assert client.get(f"/attendance/reports/sessions/{group.id}?format=pdf").status_code == 403
    assert client.get(f"/agenda/{world.pa1.id}?format=pdf").status_code == 200  # one's own, by id too
    auth.logout()
    assert client.get("/agenda?format=pdf").status_code in (302, 401)


def test_passes_sheet_eight_to_an_a4_page(world, meeting, client, auth):
    from tracker.attendance import passcodes

    group = next(s for s in meeting.sessions if s.kind.value == "group")
    invitations = sorted(group.invitations, key=lambda i: i.id)
    _as(client, auth, "office_pdf", "hi")
    data = _pdf(client, f"/attendance/sessions/{group.id}/passes?format=pdf", f"पास-{DAY}.pdf")
    assert _page_sizes(data) == [A4] * math.ceil(len(invitations) / 8) and len(invitations) > 8
    _hindi_ok(data, "प्रवीण", "सक्सेना", "क्षत्रिय")
    text = pdftotext(data).replace(" ", "")
    for code in passcodes.shown(invitations).values():
        assert code.replace("-", "")[-4:] in text.replace("-", "")
    client.post("/locale", data={"locale": "en"})
    text = pdftotext(_pdf(client, f"/attendance/sessions/{group.id}/passes?format=pdf", f"Passes-{DAY}.pdf"))
    assert "Praveen Saxena" in text and "Guest 0 Kumar" in text and "Pass code" in text


def test_session_attendance_report_pdf(world, meeting, client, auth, fixed_now):
    from tracker.attendance import operations as att
    from tracker.attendance.models import AttendanceStatus

    group = next(s for s in meeting.sessions if s.kind.value == "group")
    fixed_now("2025-09-22T12:00:00+05:30")
    att.mark(group, world.pa1.id, att.Mark(AttendanceStatus.PRESENT), None)
    db.session.commit()
    _as(client, auth, "office_pdf", "en")
    url = f"/attendance/reports/sessions/{group.id}?format=pdf"
    data = _pdf(client, url)
    text = pdftotext(data)
    for latin in ("Alpha", "A One", "A Two", "Review meeting"):
        assert latin in text, latin
    assert "Attendance-" in client.get(url).headers["Content-Disposition"]
    client.post("/locale", data={"locale": "hi"})
    response = client.get(url)
    assert "filename*=UTF-8''" + "%E0" in response.headers["Content-Disposition"]  # a Devanagari name
    data = _pdf(client, url)
    _hindi_ok(data, "अल्फ़ा")
    page = client.get(f"/attendance/reports/sessions/{group.id}").get_data(as_text=True)
    assert "format=pdf" in page and "PDF डाउनलोड करें" in page


def test_a_pdf_reads_only_its_own_stylesheet_and_fonts(world, meeting, client, auth, monkeypatch):
    """Panels that link their screen CSS from the page's body (the agenda's) do not style the PDF, and
    every file is read from the package, none over HTTP."""
    from tracker.core import pdf

    fetched = []
    real = pdf.static_file
    monkeypatch.setattr(pdf, "static_file", lambda url: fetched.append(url) or real(url))
    _as(client, auth, "praveen_b", "hi")
    _pdf(client, "/agenda?format=pdf&page=phone")
    names = sorted({url.split("?")[0].rsplit("/", 1)[-1] for url in fetched})
    assert names == ["NotoSans-Bold.latin.ttf", "NotoSans-Regular.latin.ttf", "NotoSansDevanagari-Bold.ttf",
                     "NotoSansDevanagari-Regular.ttf", "pdf.css"], names
