"""Issue 19, acceptance 2: a circular to the Bhopal division goes out by SMS/WhatsApp (read here from the local
webhook receiver); two presidents acknowledge from the link in their message and one answers with a number;
the sender's table shows exactly that; "remind those who have not" sends to the others only (those who have
neither acknowledged nor answered; read here from the webhook receiver too). The database
is read after each step."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from tests.circulars.conftest import TODAY
from tracker.circulars.models import Circular, CircularRecipient
from tracker.extensions import db
from tracker.reminders import delivery
from tracker.reminders.models import MessageKind, OutboxMessage


def _deliver():
    report = delivery.deliver_due()
    assert not report.errors, report.errors
    return report


def _rows() -> dict[str, CircularRecipient]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(CircularRecipient)).all()
    return {row.district.code: row for row in rows}


def _status(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-district="([^"]+)" data-state="([^"]+)"', html))


def _count(html: str, key: str) -> int:
    return int(re.search(rf'data-count="{key}">(\d+)<', html).group(1))


def test_a_circular_to_the_bhopal_division_is_read_acknowledged_answered_and_reminded(
        app, client, auth, world, webhook_receiver, monkeypatch):
    webhook_receiver.configure(app, monkeypatch)
    division = world.region.divisions[0]
    auth.login("karyalay")
    form = {"title": "Sangathan Srijan: booth committees", "body": "How many booth committees are formed?",
            "answer_kind": "number", "due_on": date(2026, 12, 10).isoformat(), "scope": "division",
            "division": str(division.id)}
    preview = client.post("/circulars/new", data=form)
    assert preview.status_code == 200
    assert "5 जिलों को जाएगा" in preview.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Circular)) == 0  # nothing sent yet
    sent = client.post("/circulars/new", data={**form, "confirmed": "yes"})
    assert sent.status_code == 302
    circular = db.session.scalars(sa.select(Circular)).one()
    rows = _rows()
    assert sorted(rows) == ["bhopal_city", "raisen", "rajgarh", "sehore", "vidisha"]  # not Indore
    assert rows["vidisha"].president_person_id is None  # the post is vacant: no message
    assert all(row.read_at is None and row.completed_at is None for row in rows.values())

    _deliver()
    messages = webhook_receiver.wait_for(4)
    assert len(messages) == 4
    by_number = {m.json["to"]: m.json for m in messages}
    assert sorted(by_number) == ["+919800000001", "+919800000002", "+919800000003", "+919800000004"]
    assert by_number["+919800000003"]["channel"] == "whatsapp"
    links = {}
    for number, payload in by_number.items():
        assert payload["template"]["name"] == "circular" and payload["template"]["language"] == "hi"
        assert payload["text"].startswith("निर्देश: Sangathan Srijan")
        link = payload["text"].rstrip("\n").splitlines()[-1]
        assert "/p/" in link and "[[" not in link
        links[number] = link.split("localhost", 1)[1]
    auth.logout()

    # The personal link's page lists the circular; opening it (GET) changes nothing.
    page = client.get(links["+919800000001"])
    assert page.status_code == 200 and "Sangathan Srijan" in page.get_data(as_text=True)
    own = f"{links['+919800000001']}/circulars/{circular.id}"
    assert client.get(own).status_code == 200
    assert _rows()["bhopal_city"].read_at is None

    # Two acknowledge, one answers with a number.
    for number, code in (("+919800000001", "bhopal_city"), ("+919800000002", "raisen")):
        response = client.post(f"{links[number]}/circulars/{circular.id}", data={"ack-submit": "1"})
        assert response.status_code == 302
        row = _rows()[code]
        assert row.read_at and row.acknowledged_at and row.answered_at is None and row.completed_at is None
    refused = client.post(f"{links['+919800000003']}/circulars/{circular.id}",
                          data={"answer-number": "बयालीस", "answer-submit": "1"})
    assert refused.status_code == 200 and _rows()["rajgarh"].answered_at is None
    response = client.post(f"{links['+919800000003']}/circulars/{circular.id}",
                           data={"answer-number": "42", "answer-submit": "1"})
    assert response.status_code == 302
    row = _rows()["rajgarh"]
    assert row.answer_number == 42 and row.answered_at and row.acknowledged_at and row.completed_at
    # Another district's link does not open it for a circular not sent there.
    assert client.get(f"{links['+919800000001']}/circulars/{circular.id + 1}").status_code == 404

    # The sender's table shows exactly that.
    auth.login("karyalay")
    html = client.get(f"/circulars/{circular.id}/status").get_data(as_text=True)
    assert _status(html) == {"bhopal_city": "acknowledged", "raisen": "acknowledged", "rajgarh": "answered",
                             "sehore": "not_read", "vidisha": "not_read"}
    assert (_count(html, "total"), _count(html, "acknowledged"), _count(html, "answered"),
            _count(html, "not_read"), _count(html, "waiting")) == (5, 2, 1, 2, 4)
    assert ">42<" in html

    # "Remind those who have not": the button says whom it writes to (the two districts that have neither
    # acknowledged nor answered), in Hindi; the two that acknowledged and Rajgarh, which answered, are not reminded,
    # nor Vidisha, whose post is vacant: only Sehore's president gets a message.
    assert re.search(r'data-remind="2">उन 2 जिलों को याद दिलाएँ जिन्होंने न प्राप्ति स्वीकार की है, न उत्तर दिया है<',
                     html)
    assert "जिन जिलों ने प्राप्ति स्वीकार कर ली है पर अभी उत्तर नहीं दिया, उन्हें यह बटन याद नहीं दिलाता" in html
    webhook_receiver.clear()
    response = client.post(f"/circulars/{circular.id}/remind", follow_redirects=True)
    assert response.status_code == 200
    assert "जिस 1 जिले ने न प्राप्ति स्वीकार की थी, न उत्तर दिया था, उसे याद दिलाया गया।" in response.get_data(as_text=True)
    _deliver()
    reminders = webhook_receiver.wait_for(1)
    assert [m.json["to"] for m in reminders] == ["+919800000004"]
    assert reminders[0].json["template"]["name"] == "circular_reminder"
    assert "/p/" in reminders[0].json["text"]
    assert len(webhook_receiver.requests) == 1  # the delivery is done: nobody else was written to
    rows = _rows()
    assert {code: row.remind_count for code, row in rows.items()} == {
        "bhopal_city": 0, "raisen": 0, "rajgarh": 0, "sehore": 1, "vidisha": 0}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.kind == MessageKind.CIRCULAR_REMINDER)) == 1

    # The export has the answers.
    csv = client.get(f"/circulars/{circular.id}/answers.csv").get_data(as_text=True)
    assert "42" in csv and "राजगढ़" in csv
    assert TODAY < circular.due_on
