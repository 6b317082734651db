"""Issue 14: the minutes' PDF. The print page's ``?format=pdf`` (the minutes page's "Download PDF"), the public
and personal links' PDFs and the API's ``/api/v1/minutes/{id}.pdf``: A4, the letterhead and the reference, the
complete Devanagari font embedded, numbers and Latin text by pdftotext, the Hindi drawn as HarfBuzz shapes it,
the file name in the reader's language; the pages' own access checks. And the e-mail of approved minutes carries
the PDF, made again at delivery (or says it could not be attached)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from urllib.parse import unquote

import sqlalchemy as sa

from tests.meetings.test_pdf import A4, _hindi_ok, _page_sizes, _pdf
from tests.minutes.test_views import _approved, _post, _save, _start
from tests.pdf_check import assert_pdf, pdftotext
from tracker.extensions import db


def _locale(client, locale: str) -> None:
    client.post("/locale", data={"locale": locale})


def _is_a4(data: bytes) -> None:
    assert set(_page_sizes(data)) == {A4}


def test_minutes_pdf_in_hindi_and_english(client, auth, world):
    minutes = _approved(client, auth, world)
    auth.login("office1")
    page = client.get(f"/minutes/{minutes.id}").get_data(as_text=True)
    assert f'href="/minutes/{minutes.id}/print?format=pdf"' in page and "PDF" in page
    data = _pdf(client, f"/minutes/{minutes.id}/print?format=pdf", "कार्यवृत्त-MPCC-2025-001.pdf")
    _is_a4(data)
    text = pdftotext(data)
    assert "MPCC/2025/" in text and "/001" in text and "2025" in text
    _hindi_ok(data, "कार्यवृत्त", "मध्यप्रदेश", "कांग्रेस", "संगठन", "समीक्षा", "जीतू", "पटवारी", "प्रवीण", "सक्सेना",
              "चर्चा", "स्वागत", "बूथ", "समितियाँ")
    _locale(client, "en")
    data = _pdf(client, f"/minutes/{minutes.id}/print?format=pdf", "Minutes-MPCC-2025-001.pdf")
    _is_a4(data)
    text = pdftotext(data)
    for words in ("Madhya Pradesh Congress Committee", "Reference", "Organisation review", "Booth committees",
                  "Membership drive", "Jitu Patwari", "Chair", "Attendance", "Action items",
                  "Form booth committees in every block", "Approved on", "(version 1)", "15 October 2025"):
        assert words in text, words
    _hindi_ok(data, "चर्चा", "स्वागत")  # the office's texts stay in the language they were written in
    # Accept: application/pdf asks for it too
    response = client.get(f"/minutes/{minutes.id}/print", headers={"Accept": "application/pdf"})
    assert response.mimetype == "application/pdf"


def test_readers_download_it_as_far_as_they_may_read_the_page(app, client, auth, world):
    from tracker.minutes.messages import public_token
    from tracker.reminders import personal_links

    auth.login("office1")
    draft = _start(client, world, session=False)
    auth.logout()
    minutes = _approved(client, auth, world)
    auth.login("praveen")  # invited
    _pdf(client, f"/minutes/{minutes.id}/print?format=pdf", f"कार्यवृत्त-MPCC-2025-{minutes.number:03d}.pdf")
    assert client.get(f"/minutes/{draft.id}/print?format=pdf").status_code == 404
    auth.logout()
    auth.login("vidisha")  # not invited
    assert client.get(f"/minutes/{minutes.id}/print?format=pdf").status_code == 404
    auth.logout()
    assert client.get(f"/minutes/{minutes.id}/print?format=pdf").status_code in (302, 401)
    with app.test_request_context("/"):
        token, bad = public_token(minutes), public_token(draft)
    public = client.get(f"/public/minutes/{token}").get_data(as_text=True)
    assert f"/public/minutes/{token}?format=pdf" in public
    _pdf(client, f"/public/minutes/{token}?format=pdf")
    assert client.get(f"/public/minutes/{bad}?format=pdf").status_code == 404
    link = personal_links.issue(world.region.presidents[0], datetime(2025, 9, 23, tzinfo=UTC))
    other = personal_links.issue(world.region.presidents[4], datetime(2025, 9, 23, tzinfo=UTC))
    db.session.commit()
    with app.test_request_context("/"):
        own, foreign = personal_links.token_of(link), personal_links.token_of(other)
    assert f"/p/{own}/minutes/{minutes.id}?format=pdf" in client.get(f"/p/{own}/minutes/{minutes.id}").get_data(
        as_text=True)
    _pdf(client, f"/p/{own}/minutes/{minutes.id}?format=pdf", f"कार्यवृत्त-MPCC-2025-{minutes.number:03d}.pdf")
    assert client.get(f"/p/{foreign}/minutes/{minutes.id}?format=pdf").status_code == 404
    assert client.get(f"/p/{own}/minutes/{draft.id}?format=pdf").status_code == 404


def test_the_api_serves_it_under_the_same_rules(client, auth, world):
    from tests.api.conftest import token_for

    auth.login("office1")
    draft = _start(client, world, session=False)
    auth.logout()
    minutes = _approved(client, auth, world)
    praveen, vidisha = token_for(world.president), token_for(world.outsider)
    office = token_for(world.office)
    response = client.get(f"/api/v1/minutes/{minutes.id}.pdf",
                          headers={"Authorization": f"Bearer {praveen}", "Accept-Language": "hi"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_pdf(response.data)
    assert unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''", 1)[1]) == \
        f"कार्यवृत्त-MPCC-2025-{minutes.number:03d}.pdf"
    response = client.get(f"/api/v1/minutes/{minutes.id}.pdf",
                          headers={"Authorization": f"Bearer {office}", "Accept-Language": "en"})
    assert "Jitu Patwari" in pdftotext(response.data)
    for token, target in ((vidisha, minutes.id), (praveen, draft.id), (praveen, 999999), (praveen, 10**12)):
        refused = client.get(f"/api/v1/minutes/{target}.pdf", headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 404 and refused.mimetype == "application/problem+json"
    assert client.get(f"/api/v1/minutes/{draft.id}.pdf", headers={"Authorization": f"Bearer {office}"}).status_code == 200
    assert client.get(f"/api/v1/minutes/{minutes.id}.pdf").status_code == 401


def _mail_world(app, monkeypatch, smtp_server, world):
    from tracker.directory.models import Channel
    from tracker.minutes import operations

    smtp_server.configure(app, monkeypatch)
    president = world.region.presidents[0]
    president.email, president.preferred_channel = "praveen@example.org", Channel.EMAIL
    db.session.commit()
    operations.save_settings(world.office, datetime(2025, 9, 23, tzinfo=UTC), national_office_email="national@inc.example")
    db.session.commit()


def _send_and_deliver(client, auth, world, smtp_server):
    from tracker.reminders.delivery import deliver_due

    minutes = _approved(client, auth, world)
    auth.login("office1")
    assert _post(client, minutes, "send").status_code == 302
    # a later edit (version 2) does not change the PDF of the version that was sent
    _save(client, minutes, {f"item-{world.items[0].id}": "LATER-EDIT-Q8 चर्चा", "opening": "स्वागत"})
    auth.logout()
    report = deliver_due()
    assert report.sent >= 2, report
    return minutes, {mail.rcpt_tos[0]: mail for mail in smtp_server.wait_for(2)}


def _pdf_part(mail):
    parts = [p for p in mail.message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    return parts[0].get_filename(), parts[0].get_payload(decode=True)


def test_approved_minutes_go_by_e_mail_with_their_pdf(app, client, auth, world, smtp_server, monkeypatch):
    from tracker.reminders.models import OutboxMessage

    _mail_world(app, monkeypatch, smtp_server, world)
    minutes, mails = _send_and_deliver(client, auth, world, smtp_server)
    name, data = _pdf_part(mails["praveen@example.org"])
    assert name == "कार्यवृत्त-MPCC-2025-001.pdf" and data.startswith(b"%PDF")
    _hindi_ok(data, "कार्यवृत्त", "संगठन")
    assert "LATER-EDIT-Q8" not in pdftotext(data)  # the version sent (1), not today's
    name, data = _pdf_part(mails["national@inc.example"])
    assert name == "Minutes-MPCC-2025-001.pdf" and data.startswith(b"%PDF")
    assert "Jitu Patwari" in pdftotext(data) and "/public/minutes/" in mails["national@inc.example"].text()
    # the outbox keeps a reference, never the file
    rows = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.address == "national@inc.example")).all()
    assert rows[0].attachment == {"maker": "minutes_pdf", "minutes_id": minutes.id, "version": 1}


def test_without_the_pdf_engine_the_e_mail_goes_with_its_link_and_says_so(app, client, auth, world, smtp_server,
                                                                         monkeypatch):
    _mail_world(app, monkeypatch, smtp_server, world)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint raises ImportError
    _minutes, mails = _send_and_deliver(client, auth, world, smtp_server)
    for address, sentence in (("praveen@example.org", "कार्यवृत्त की PDF"),
                              ("national@inc.example", "The PDF of the minutes could not be attached")):
        mail = mails[address]
        assert not [p for p in mail.message.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert sentence in mail.text()
    assert "/public/minutes/" in mails["national@inc.example"].text()
    assert "/p/" in mails["praveen@example.org"].text()
