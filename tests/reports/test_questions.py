"""Asking a question back on a programme report: the district's president gets it by SMS/WhatsApp (read here
from the local webhook receiver) with their personal link; from it, or signed in from the report's page, they
answer; the answer is stored, the report goes back to "submitted" and the office reads the answer. Nobody else
may answer: not another district's president (by sign-in or by their own link), nor the office, nor anyone once
the report is verified."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import DEFAULT_PASSWORD
from tracker.extensions import db
from tracker.reminders import delivery
from tracker.reminders.models import MessageKind, OutboxMessage
from tracker.reports import operations as ops
from tracker.reports.models import ProgrammeReport, ReportStatus
from tracker.timeutil import today_local

MOBILE, OTHER_MOBILE = "+919800000011", "+919800000012"


@pytest.fixture
def report(world):
    world.users["president"].person.mobile = MOBILE
    world.users["other_president"].person.mobile = OTHER_MOBILE
    data = ops.ReportData(world.kinds["rally"].id, today_local(), "ब्यावरा बस स्टैंड", 320, "महँगाई के विरोध में रैली।", "",
                          [world.blocks[0].id])
    item = ops.submit_report(world.users["president"], world.district, data, [], None)
    db.session.commit()
    return item


def _report(report_id: int) -> ProgrammeReport:
    db.session.expire_all()
    return db.session.get(ProgrammeReport, report_id)


def _ask(client, auth, report_id: int, question: str = "कितनी महिलाएँ आईं?"):
    auth.login("u_incharge", DEFAULT_PASSWORD)
    response = client.post(f"/reports/{report_id}/question", data={"question": question})
    assert response.status_code == 302
    auth.logout()


def _link_of(webhook_receiver, number: str) -> str:
    report = delivery.deliver_due()
    assert not report.errors, report.errors
    message = next(m.json for m in webhook_receiver.wait_for(1) if m.json["to"] == number)
    assert message["template"]["name"] == "report_question"
    link = message["text"].rstrip("\n").splitlines()[-1]
    assert "/p/" in link and "[[" not in link
    return link.split("localhost", 1)[1]


def test_the_question_reaches_the_president_by_sms_and_is_answered_from_the_link(app, client, auth, world, report,
                                                                                  webhook_receiver, monkeypatch):
    webhook_receiver.configure(app, monkeypatch)
    _ask(client, auth, report.id)
    queued = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.REPORT_QUESTION)).all()
    assert [m.recipient_person_id for m in queued] == [world.users["president"].person_id]
    link = _link_of(webhook_receiver, MOBILE)
    assert [m.json["to"] for m in webhook_receiver.requests] == [MOBILE]  # nobody else was written to
    assert _report(report.id).status == ReportStatus.QUESTIONED

    # The personal link's page lists the question; the report's page from it shows the question and the form.
    page = client.get(link).get_data(as_text=True)
    assert "कितनी महिलाएँ आईं?" in page
    href = re.search(rf'href="({re.escape(link)}/reports/{report.id})"', page).group(1)
    shown = client.get(href)
    assert shown.status_code == 200 and "कितनी महिलाएँ आईं?" in shown.get_data(as_text=True)
    assert _report(report.id).answered_at is None  # opening it changed nothing

    assert client.post(href, data={"answer": "  "}).status_code == 200  # refused: nothing stored
    assert _report(report.id).answer == "" and _report(report.id).status == ReportStatus.QUESTIONED
    response = client.post(href, data={"answer": "140 महिलाएँ आईं।"})
    assert response.status_code == 302
    stored = _report(report.id)
    assert (stored.answer, stored.status) == ("140 महिलाएँ आईं।", ReportStatus.SUBMITTED)
    assert stored.answered_at is not None and stored.answered_by_person_id == world.users["president"].person_id

    # The office reads the answer on the report's page.
    auth.login("u_office", DEFAULT_PASSWORD)
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'id="report-answer">140 महिलाएँ आईं।<' in html and "कितनी महिलाएँ आईं?" in html


def test_the_president_answers_signed_in_from_the_report_page(client, auth, world, report):
    _ask(client, auth, report.id)
    auth.login("u_president", DEFAULT_PASSWORD)
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert f'action="/reports/{report.id}/answer"' in html
    assert client.post(f"/reports/{report.id}/answer", data={"answer": "x" * 2001}).status_code == 400
    assert _report(report.id).answer == ""
    assert client.post(f"/reports/{report.id}/answer", data={"answer": "140 महिलाएँ"}).status_code == 302
    assert (_report(report.id).answer, _report(report.id).status) == ("140 महिलाएँ", ReportStatus.SUBMITTED)


def test_nobody_else_may_answer(app, client, auth, world, report, webhook_receiver, monkeypatch):
    webhook_receiver.configure(app, monkeypatch)
    _ask(client, auth, report.id)
    _link_of(webhook_receiver, MOBILE)

    # Another district's president, signed in: the report is not theirs to know of.
    auth.login("u_other_president", DEFAULT_PASSWORD)
    assert client.get(f"/reports/{report.id}").status_code == 404
    assert client.post(f"/reports/{report.id}/answer", data={"answer": "मैं भी"}).status_code == 404
    auth.logout()
    # Their own personal link does not open it either.
    other = db.session.get(type(world.users["other_president"].person), world.users["other_president"].person_id)
    from tracker.reminders import personal_links
    from tracker.timeutil import now_utc

    token = personal_links.token_of(personal_links.issue(other, now_utc()))
    db.session.commit()
    assert client.get(f"/p/{token}").status_code == 200  # the link works: it just does not open this report
    assert client.get(f"/p/{token}/reports/{report.id}").status_code == 404
    assert client.post(f"/p/{token}/reports/{report.id}", data={"answer": "मैं भी"}).status_code == 404
    # A made-up token, neither.
    assert client.post(f"/p/not-a-token/reports/{report.id}", data={"answer": "मैं भी"}).status_code == 404
    # The office reads the report but does not answer for the district.
    auth.login("u_office", DEFAULT_PASSWORD)
    assert client.post(f"/reports/{report.id}/answer", data={"answer": "कार्यालय"}).status_code == 403
    assert _report(report.id).answer == "" and _report(report.id).status == ReportStatus.QUESTIONED
    # Once verified, the president answers no more.
    ops.verify_report(_report(report.id), world.users["office"])
    db.session.commit()
    auth.logout()
    auth.login("u_president", DEFAULT_PASSWORD)
    assert client.post(f"/reports/{report.id}/answer", data={"answer": "देर से"}).status_code == 403
    assert _report(report.id).answer == ""
    with pytest.raises(ops.ReportError):
        ops.answer_question(_report(report.id), world.users["president"].person_id, "देर से")
