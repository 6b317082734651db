"""Messages in the person's language (issue 15): every message and personal page a person receives
follows their saved language, whatever the language of whoever set it off."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.factories import make_user
from tests.reminders.conftest import SESSION_START
from tests.reminders.test_personal_links import link_token, messages_to
from tracker.directory.models import Channel, Person
from tracker.extensions import db
from tracker.meetings.models import Invitation, MeetingStatus
from tracker.reminders.models import MessageKind
from tracker.reminders.sign_in import code_text

EN = {"Accept-Language": "en"}
HI = {"Accept-Language": "hi"}


def _office(auth, locale: str) -> None:
    make_user("office", f"office_{locale}", locale=locale)
    auth.login(f"office_{locale}")


def _publish_from_the_page(client, world) -> None:
    world.meeting.status, world.meeting.published_at = MeetingStatus.DRAFT, None
    world.meeting.starts_on = world.meeting.ends_on = SESSION_START.date()
    db.session.commit()
    response = client.post(f"/meetings/{world.meeting.id}/publish", data={"confirmed": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert world.meeting.status == MeetingStatus.PUBLISHED


def test_an_office_user_in_english_invites_a_hindi_person_in_hindi_and_an_english_one_in_english(
        client, auth, world, clock):
    _office(auth, "en")
    _publish_from_the_page(client, world)
    hindi = messages_to(world.hindi, MessageKind.INVITATION)[0]
    english = messages_to(world.english, MessageKind.INVITATION)[0]
    assert hindi.locale == "hi" and hindi.subject == "निमंत्रण: जिला अध्यक्षों की बैठक"
    assert "22 सितंबर 2025" in hindi.body and "September" not in hindi.body
    assert english.locale == "en" and english.subject == "Invitation: District presidents' meeting"
    assert "22 September 2025" in english.body and "सितंबर" not in english.body


def test_a_hindi_office_user_writes_to_an_english_person_in_english(client, auth, world, clock):
    _office(auth, "hi")
    _publish_from_the_page(client, world)
    english = messages_to(world.english, MessageKind.INVITATION)[0]
    assert english.subject == "Invitation: District presidents' meeting" and "निमंत्रण" not in english.body


def test_a_representative_named_by_an_english_office_user_is_written_to_in_the_invitees_language(
        client, auth, world, clock):
    world.meeting.published_at = SESSION_START - timedelta(days=7)
    db.session.commit()
    _office(auth, "en")
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.person_id == world.sms.id))
    response = client.post(f"/agenda/invitations/{invitation.id}/reply", headers=EN, data={
        "answer": "representative", "representative_name": "Ramesh Yadav", "representative_mobile": "9800000077"})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    representative = db.session.scalar(sa.select(Person).where(Person.mobile == "+919800000077"))
    assert representative is not None and representative.preferred_locale == "hi"  # the invitee's language
    [message] = messages_to(representative, MessageKind.INVITATION)
    assert message.locale == "hi" and message.subject.startswith("निमंत्रण:") and "सितंबर" in message.body


def test_the_personal_page_opens_in_the_persons_saved_language(client, world, clock):
    world.english.mobile, world.english.preferred_channel = "+919800000002", Channel.SMS
    db.session.commit()
    world.meeting.published_at = SESSION_START - timedelta(days=7)
    from tracker.meetings import signals

    signals.meeting_published.send(world.meeting)
    db.session.commit()
    hindi_token = link_token(messages_to(world.sms, MessageKind.INVITATION)[0])
    english_token = link_token(messages_to(world.english, MessageKind.INVITATION)[0])

    page = client.get(f"/p/{hindi_token}", headers=EN).get_data(as_text=True)  # an English phone
    assert 'lang="hi"' in page and "जिला अध्यक्षों की बैठक" in page
    page = client.get(f"/p/{english_token}", headers=HI).get_data(as_text=True)  # a Hindi phone
    assert 'lang="en"' in page and "District presidents&#39; meeting" in page

    # A signed-in office user in English who opens the link sees what the person sees.
    make_user("office", "clerk", locale="en")
    client.post("/login", data={"username": "clerk", "password": "correct-horse-battery"})
    assert 'lang="hi"' in client.get(f"/p/{hindi_token}", headers=EN).get_data(as_text=True)


def test_the_sign_in_code_is_in_the_persons_language(app):
    hindi = code_text("123456", "example.org", 10, "hi")
    english = code_text("123456", "example.org", 10, "en")
    assert hindi[0] == "साइन-इन कोड" and "123456" in hindi[1].text and "sign-in" not in hindi[1].text
    assert english[0] == "Sign-in code" and "sign-in code" in english[1].text
