"""Messages as registered templates: what the office registers with the operator (DLT) and WhatsApp is
exactly what is sent, the webhook carries the template and its variables, and a Hindi SMS costs at most
two parts with long real values."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.factories import make_user
from tracker.extensions import db
from tracker.i18n import fmt_date
from tracker.meetings import signals
from tracker.reminders import message_templates, messages, personal_links
from tracker.reminders.delivery import deliver_due
from tracker.reminders.message_templates import TEMPLATES, sms_segments
from tracker.reminders.models import MessageKind, OutboxChannel, OutboxMessage
from tracker.reminders.sign_in import code_text

LOCALES = ("hi", "en")
PUBLIC_URL = "https://tracker.mpcongress.org"
# The longest titles the office writes: two districts with long names (पश्चिम निमाड़ (खरगोन), नर्मदापुरम).
LONG = {
    "hi": {"meeting": "नर्मदापुरम एवं पश्चिम निमाड़ (खरगोन) जिला अध्यक्षों की संभागीय समीक्षा बैठक",
           "item": "पश्चिम निमाड़ (खरगोन) के सभी बूथों पर बूथ समितियों का गठन और सत्यापन",
           "name": "ज्योतिरादित्य माधवराव सिंधिया"},
    "en": {"meeting": "Narmadapuram and West Nimar (Khargone) district presidents' divisional review meeting",
           "item": "Form and verify the booth committees of every booth of West Nimar (Khargone)",
           "name": "Jyotiraditya Madhavrao Scindia"},
}


def _slots_filled(text: str, pattern: str, values: list[str]) -> str:
    """A registered text with its placeholders replaced, in order, by ``values``."""
    queue = iter(values)
    return re.sub(pattern, lambda _m: next(queue), text)


def _as_registered(name: str, locale: str, values: list[str]) -> tuple[str, str]:
    template = TEMPLATES[name]
    return (_slots_filled(template.dlt_text(locale), r"\{#\w+#\}", values),
            _slots_filled(template.whatsapp_text(locale), r"\{\{\d+\}\}", values))


def _longest(fn) -> str:
    """The longest text ``fn(day)`` gives over the year (month names differ in length)."""
    return max((fn(datetime(2026, month, 28, 12, 0, tzinfo=UTC)) for month in range(1, 13)), key=len)


def _long_values(locale: str) -> dict:
    token = secrets.token_urlsafe(24)
    assert len(token) == personal_links.TOKEN_CHARS
    with force_locale(locale):
        when = _longest(messages.short_when)
        day = _longest(lambda moment: fmt_date(moment.date()))
    return {**LONG[locale], "when": when, "date": day, "link": personal_links.absolute_url(token),
            "sessions": 128, "absent": 71, "overdue": 245, "code": "483920", "minutes": 10,
            "host": "tracker.mpcongress.org"}


# --- the registry -----------------------------------------------------------------------------------


def test_every_template_is_translated_and_numbers_its_variables_in_each_language(app):
    for template in TEMPLATES.values():
        english, hindi = template.source("en"), template.source("hi")
        assert hindi != english, template.name  # the Hindi catalog has it
        assert sorted(template.slots("hi")) == sorted(template.slots("en")), template.name
        assert re.search(r"[\u0900-\u097F]", hindi), template.name


@pytest.mark.parametrize("locale", LOCALES)
def test_each_sms_text_is_its_registered_template_with_the_variables_filled_in(app, monkeypatch, locale):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC_URL)
    values = _long_values(locale)
    for name, template in TEMPLATES.items():
        filled = template.fill(locale, values)
        registered = [value for _slot, value in filled.variables]
        assert [slot for slot, _value in filled.variables] == template.slots(locale)
        dlt, whatsapp = _as_registered(name, locale, registered)
        assert filled.text == dlt == whatsapp, name
        for slot, value in filled.variables:  # one line each; a {#var#} within the operator's limit
            assert "\n" not in value
            if template.types.get(slot, "var") == "var":
                assert len(value) <= message_templates.VAR_MAX_CHARS, (name, slot, value)
        if "link" in template.slots(locale):
            assert filled.text.splitlines()[-1] == values["link"], name  # the link is the last line


@pytest.mark.parametrize("locale", LOCALES)
def test_each_sms_fits_in_two_parts_with_long_real_values(app, monkeypatch, locale):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC_URL)
    values = _long_values(locale)
    for name, template in TEMPLATES.items():
        text = template.fill(locale, values).text
        assert sms_segments(text) <= 2, f"{name} [{locale}]: {len(text)} characters, {sms_segments(text)} parts\n{text}"
    if locale == "hi":  # a Hindi text is UCS-2: the link alone is half of the room
        assert sms_segments(TEMPLATES["invitation"].fill("hi", values).text) == 2


def test_a_longer_address_cuts_the_title_never_the_link_nor_the_time(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://sangathan.mpcongress.org/meetings")
    values = _long_values("hi")
    for name in ("invitation", "reminder", "change", "action_due"):
        filled = TEMPLATES[name].fill("hi", values)
        assert sms_segments(filled.text) <= 2, filled.text
        assert filled.text.splitlines()[-1] == values["link"]
        assert values.get("when", "") in filled.text or name == "action_due"
        cut = dict(filled.variables).get("meeting") or dict(filled.variables)["item"]
        assert cut.endswith("...") and message_templates.MIN_CHARS <= len(cut) < message_templates.VAR_MAX_CHARS, cut


def test_sms_segments_count_gsm7_and_ucs2_parts():
    assert sms_segments("") == 1
    assert [sms_segments("a" * n) for n in (160, 161, 306, 307)] == [1, 2, 2, 3]
    assert [sms_segments("€" * n) for n in (80, 81)] == [1, 2]  # an extension character counts two
    assert [sms_segments("[a]" * n) for n in (32, 33)] == [1, 2]  # 96 characters, 160 septets; then 165
    assert [sms_segments("क" * n) for n in (70, 71, 134, 135)] == [1, 2, 2, 3]  # Devanagari: UCS-2
    assert sms_segments("a" * 69 + "क") == 1 and sms_segments("a" * 70 + "क") == 2  # one character makes it UCS-2
    assert sms_segments("😀" * 35) == 1 and sms_segments("😀" * 36) == 2  # two UTF-16 units each


def test_template_ids_come_from_the_configuration_with_a_default(app, monkeypatch):
    monkeypatch.setitem(app.config, "MESSAGE_TEMPLATE_IDS", {"invitation": {"hi": "1107170000000000001"}})
    assert message_templates.template_id("invitation", "hi") == "1107170000000000001"
    assert message_templates.template_id("invitation", "en") == "tracker_invitation_en"
    assert message_templates.template_id("reminder", "hi") == "tracker_reminder_hi"


# --- every message kind, as rendered for a person ------------------------------------------------------


def _short(content, locale: str, link: str | None):
    return messages.for_channel(content, locale, email=False, link=link, short=True)


def _kinds(world, person):
    session, meeting = world.session, world.meeting
    item = SimpleNamespace(title=LONG["hi"]["item"], due_on=date(2025, 9, 22), status=SimpleNamespace(title="Open"))
    return {
        "invitation": messages.invitation(person, meeting, [session], {session.id: []}),
        "representative": messages.invitation(person, meeting, [session], {session.id: []}, represents=world.hindi),
        "reminder": messages.reminder(person, session, []),
        "change": messages.change(person, session, session.starts_at, session.ends_at, []),
        "cancellation": messages.cancellation(person, session, withdrawn=False),
        "withdrawal": messages.cancellation(person, session, withdrawn=True),
        "digest": messages.digest(person, date(2025, 9, 22), [session], [], []),
        "action_due": messages.action_due(person, item, date(2025, 9, 22)),
        "reply_request": messages.reply_request(person, meeting, [session]),
    }


@pytest.mark.parametrize("attr", ["sms", "english"])
def test_every_kind_sends_its_registered_template_and_email_keeps_the_long_text(world, clock, attr):
    person = getattr(world, attr)
    locale = messages.person_locale(person)
    link = "https://tracker.mpcongress.org/p/" + "x" * personal_links.TOKEN_CHARS
    for name, content in _kinds(world, person).items():
        sms = _short(content, locale, link)
        assert sms.template == name
        dlt, whatsapp = _as_registered(name, locale, [value for _slot, value in sms.variables])
        assert sms.body == dlt == whatsapp, name
        assert ("सितंबर" if locale == "hi" else "September") in sms.body or name == "digest" and "22" in sms.body, name
        if "link" in TEMPLATES[name].slots(locale):
            assert sms.body.splitlines()[-1] == link
        email = messages.for_channel(content, locale, email=True, link=link)
        assert email.body.splitlines()[-1] == link if "link" in TEMPLATES[name].slots(locale) else True
        assert len(email.body) > len(sms.body) and not email.variables, name  # the e-mail is the long text
    subject, code = code_text("483920", "tracker.mpcongress.org", 10, locale)
    dlt, whatsapp = _as_registered("sign_in_code", locale, [value for _slot, value in code.variables])
    assert code.text == dlt == whatsapp and code.text.endswith("\n@tracker.mpcongress.org #483920")


# --- the webhook -----------------------------------------------------------------------------------------


def test_the_webhook_carries_the_template_id_and_variables_besides_the_text(
        app, monkeypatch, world, clock, webhook_server):
    webhook_server.configure(app, monkeypatch, secret="s3cret")
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setitem(app.config, "MESSAGE_TEMPLATE_IDS", {"invitation": {"hi": "1107170000000000001"}})
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    assert deliver_due().sent == 3

    (request,) = webhook_server.requests
    payload = request["json"]
    template = payload["template"]
    assert (template["name"], template["id"], template["language"]) == ("invitation", "1107170000000000001", "hi")
    assert template["variables"][0] == "जिला अध्यक्षों की बैठक"
    assert template["variables"][1] == "22 सितंबर, 11:00"  # 05:30 UTC in India time
    link = template["variables"][-1]
    assert link.startswith(PUBLIC_URL + "/p/") and "[[" not in link
    # The text is the registered Hindi template filled with exactly these variables; the link is its last line.
    assert payload["text"] == _as_registered("invitation", "hi", template["variables"])[0]
    assert payload["text"].splitlines()[-1] == link
    assert personal_links.find(link.rsplit("/", 1)[1]).person_id == world.sms.id
    # The other fields and the signature as before.
    assert payload["kind"] == "invitation" and payload["to"] == "+919800000001" and payload["channel"] == "sms"
    assert request["headers"]["Idempotency-Key"] == payload["idempotency_key"]
    assert request["headers"]["X-Tracker-Signature"] == hmac.new(b"s3cret", request["body"],
                                                                 hashlib.sha256).hexdigest()


def test_templates_cli_prints_what_to_register(app):
    result = app.test_cli_runner().invoke(args=["messages", "templates"])
    assert result.exit_code == 0, result.output
    heading = next(line for line in result.output.splitlines() if line.startswith("== invitation [hi]"))
    assert heading.endswith(" tracker_invitation_hi")
    assert "निमंत्रण: {#var#}, {#var#}। एजेंडा व पास:\n{#url#}" in result.output
    assert "निमंत्रण: {{1}}, {{2}}। एजेंडा व पास:\n{{3}}" in result.output
    assert "{#numeric#} आपका साइन-इन कोड है" in result.output
    assert result.output.count("== ") == len(TEMPLATES) * 2


def test_the_outbox_page_names_the_template_of_an_sms(client, auth, app, monkeypatch, world, clock):
    monkeypatch.setitem(app.config, "WEBHOOK_URL", "http://127.0.0.1:9/send")  # queued for SMS, not delivered
    monkeypatch.setitem(app.config, "MESSAGE_TEMPLATE_IDS", {"invitation": {"hi": "1107170000000000001"}})
    signals.meeting_published.send(world.meeting)
    db.session.commit()
    sms = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.channel == OutboxChannel.SMS,
                                                            OutboxMessage.template == "invitation")).one()
    assert [slot for slot, _value in sms.template_variables] == ["meeting", "when", "link"]
    make_user("office", "office", locale="hi")
    auth.login("office")
    html = client.get(f"/outbox/{sms.id}").get_data(as_text=True)
    assert "<code>invitation</code>" in html and "<code>1107170000000000001</code>" in html
    assert "(.ics)" not in html  # an SMS carries no file


def test_a_representative_gets_the_representative_template_naming_whom_they_come_for(app, monkeypatch, world, clock):
    from tracker.meetings.models import ReplyAnswer
    from tracker.meetings.replies import record_reply

    monkeypatch.setitem(app.config, "WEBHOOK_URL", "http://127.0.0.1:9/send")  # queued for SMS, not delivered
    world.meeting.published_at = clock.now()
    signals.meeting_published.send(world.meeting)
    invitation = next(inv for inv in world.session.invitations if inv.person_id == world.sms.id)
    reply = record_reply(invitation, ReplyAnswer.REPRESENTATIVE, representative_name="रमेश यादव",
                         representative_mobile="+917000123457")
    db.session.commit()
    rep = reply.representative_invitation.person
    (message,) = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient_person_id == rep.id,
                                                                   OutboxMessage.kind == MessageKind.INVITATION))
    assert message.template == "representative" and message.channel == OutboxChannel.SMS
    assert dict(message.template_variables)["name"] == "अनोखीलाल पटेल"
    assert message.body.startswith("अनोखीलाल पटेल की जगह: जिला अध्यक्षों की बैठक, 22 सितंबर, 11:00।")
    assert message.body.splitlines()[-1].startswith("http") and "/p/" in message.body.splitlines()[-1]
