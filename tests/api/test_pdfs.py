"""The API serves the PDFs too (issue 14): GET /me/agenda.pdf (or /me/agenda with Accept: application/pdf),
/meetings/<id>/days/<day>.pdf, /sessions/<id>/passes.pdf, /sessions/<id>/attendance-report.pdf, under
the same rules as the pages; a server without the PDF engine answers 503 as a problem."""

from __future__ import annotations

import sys
from urllib.parse import unquote

from tests.pdf_check import assert_pdf, drawn_glyphs, embedded_fonts, pdftotext, shaped_in
from tracker.timeutil import to_local


def _pdf(response) -> bytes:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    assert_pdf(response.data)
    assert "Noto-Sans-Devanagari-PDF" in embedded_fonts(response.data) or \
        "Noto-Sans-Devanagari-PDF-Bold" in embedded_fonts(response.data)
    return response.data


def _filename(response) -> str:
    return unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''", 1)[1])


def test_my_agenda_pdf(client, world):
    hindi = world.headers("president", **{"Accept-Language": "hi"})
    response = client.get("/api/v1/me/agenda.pdf?page=phone", headers=hindi)
    data = _pdf(response)
    assert _filename(response).startswith("मेरा-एजेंडा-")
    assert shaped_in("प्रवीण", drawn_glyphs(data)) or shaped_in("भोपाल", drawn_glyphs(data))
    response = client.get("/api/v1/me/agenda", headers=world.headers("president", Accept="application/pdf",
                                                                      **{"Accept-Language": "en"}))
    text = pdftotext(_pdf(response))
    assert "My agenda" in text and _filename(response).startswith("My-agenda-")
    assert client.get("/api/v1/me/agenda.pdf?page=letter", headers=hindi).status_code == 422
    # JSON stays the default
    assert client.get("/api/v1/me/agenda", headers=world.headers("president")).is_json
    assert client.get("/api/v1/me/agenda.pdf", headers=world.headers("office")).status_code == 404  # no person


def test_day_sheet_passes_and_report_pdfs_for_the_office(client, world):
    day = to_local(world.session.starts_at).date().isoformat()
    english = world.headers("office", **{"Accept-Language": "en"})
    response = client.get(f"/api/v1/meetings/{world.meeting.id}/days/{day}.pdf", headers=english)
    text = pdftotext(_pdf(response))
    assert "Praveen Saxena" in text and "Signature" in text and _filename(response) == f"Day-sheet-{day}.pdf"
    response = client.get(f"/api/v1/sessions/{world.session.id}/passes.pdf", headers=english)
    assert "Pass code" in pdftotext(_pdf(response)) and _filename(response) == f"Passes-{day}.pdf"
    response = client.get(f"/api/v1/sessions/{world.session.id}/attendance-report.pdf",
                          headers=world.headers("office", **{"Accept-Language": "hi"}))
    _pdf(response)
    assert _filename(response).startswith("उपस्थिति")
    assert client.get(f"/api/v1/meetings/{world.meeting.id}/days/2001-01-01.pdf", headers=english).status_code == 404
    assert client.get(f"/api/v1/meetings/{world.meeting.id}/days/someday.pdf", headers=english).status_code == 404


def test_pdfs_keep_the_pages_rules(client, world):
    day = to_local(world.session.starts_at).date().isoformat()
    president = world.headers("president")
    assert client.get(f"/api/v1/meetings/{world.meeting.id}/days/{day}.pdf", headers=president).status_code == 403
    assert client.get(f"/api/v1/sessions/{world.session.id}/passes.pdf", headers=president).status_code == 403
    assert client.get(f"/api/v1/sessions/{world.session.id}/attendance-report.pdf",
                      headers=president).status_code == 403
    assert client.get("/api/v1/me/agenda.pdf").status_code == 401
    assert client.get(f"/api/v1/sessions/{world.session.id}/passes.pdf").status_code == 401


def test_a_server_without_the_engine_answers_503(client, world, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = client.get("/api/v1/me/agenda.pdf", headers=world.headers("president", **{"Accept-Language": "en"}))
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert "PDFs cannot be made on this server" in response.get_json()["detail"]
