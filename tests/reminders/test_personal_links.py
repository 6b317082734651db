"""The personal link in every invitation and reminder (issue 12): what the messages carry, what the link
opens (the person's own agenda, nothing of anyone else), that opening it changes nothing, and that a
revoked or expired link is refused."""

from __future__ import annotations

import re
from datetime import date, timedelta

import sqlalchemy as sa

from tests.factories import make_invitation, make_post, make_session, make_unit, make_user
from tests.reminders.conftest import SESSION_START
from tracker import policy
from tracker.directory import operations as directory_ops
from tracker.extensions import db
from tracker.meetings import signals
from tracker.reminders import personal_links
from tracker.reminders.delivery import outgoing
from tracker.reminders.models import MessageKind, OutboxMessage, PersonalLink

LINK = re.compile(r"^https?://[^/\s]+/p/([A-Za-z0-9_-]{32})$")
HI = {"Accept-Language": "hi"}


def publish(world):
    world.meeting.published_at = world.meeting.published_at or SESSION_START - timedelta(days=7)
    signals.meeting_published.send(world.meeting)
    db.session.commit()


def messages_to(person, kind=None) -> list[OutboxMessage]:
    stmt = sa.select(OutboxMessage).where(OutboxMessage.recipient_person_id == person.id).order_by(OutboxMessage.id)
    if kind is not None:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(stmt))


def link_token(message: OutboxMessage) -> str:
    """The token of the link on the last line of the message as it goes out."""
    last = outgoing(message).body.rstrip("\n").splitlines()[-1]
    match = LINK.match(last)
    assert match, last
    return match.group(1)


def test_an_sms_invitation_ends_with_the_personal_link_and_says_nothing_attached(world, clock):
    publish(world)
    invitation = messages_to(world.sms, MessageKind.INVITATION)[0]
    text = outgoing(invitation).body
    assert "attached" not in text and "संलग्न" not in text
    assert "अनोखीलाल पटेल" in text or "जिला अध्यक्षों की बैठक" in text  # in the person's saved language
    token = link_token(invitation)
    # Every message to the person (the invitation and both reminders) carries the same link; one row.
    assert {link_token(m) for m in messages_to(world.sms)} == {token}
    links = db.session.scalars(sa.select(PersonalLink).where(PersonalLink.person_id == world.sms.id)).all()
    assert len(links) == 1
    assert links[0].token_hash == personal_links.token_hash(token)
    assert links[0].expires_at == SESSION_START + timedelta(minutes=120)  # the end of the last session


def test_an_email_keeps_its_calendar_file_says_so_and_carries_the_link(app, world, clock, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    publish(world)
    invitation = messages_to(world.english, MessageKind.INVITATION)[0]
    assert invitation.channel.value == "email" and "BEGIN:VCALENDAR" in invitation.ics
    assert "A calendar file (.ics) is attached." in invitation.body
    link_token(invitation)


def test_the_token_is_stored_nowhere_in_clear(world, clock):
    publish(world)
    token = link_token(messages_to(world.sms, MessageKind.INVITATION)[0])
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).all():
            if any(token in str(value) for value in row):
                found.append(table.name)
    assert found == []
    assert "[[personal-link:" in messages_to(world.sms, MessageKind.INVITATION)[0].body


def _counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def test_the_link_opens_the_own_agenda_only_and_opening_changes_nothing(client, world, clock):
    other_district = make_session(world.meeting, starts_at=SESSION_START + timedelta(hours=3),
                                  title_en="Gwalior division slot", title_hi="ग्वालियर संभाग सत्र", commit=False)
    make_invitation(other_district, world.english, commit=False)
    db.session.commit()
    publish(world)
    token = link_token(messages_to(world.sms, MessageKind.INVITATION)[0])
    link = db.session.scalar(sa.select(PersonalLink).where(PersonalLink.person_id == world.sms.id))
    before, link_before = _counts(), (link.expires_at, link.revoked_at)
    db.session.commit()

    response = client.get(f"/p/{token}", headers=HI)

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "अनोखीलाल पटेल" in page and "जिला अध्यक्षों की बैठक" in page
    for other in ("Praveen", "प्रवीण सक्सेना", "Priyavrat", "प्रियवृत सिंह", "ग्वालियर संभाग सत्र", "Gwalior"):
        assert other not in page
    assert "noindex" in page
    db.session.expire_all()
    assert _counts() == before
    link = db.session.get(PersonalLink, link.id)
    assert (link.expires_at, link.revoked_at) == link_before


def test_the_link_grants_the_persons_own_invitations_only():
    class Inv:
        def __init__(self, person_id):
            self.person_id = person_id

    assert policy.link_grants(7, "invitation.reply", Inv(7)) and policy.link_grants(7, "invitation.view", Inv(7))
    assert not policy.link_grants(7, "invitation.reply", Inv(8))
    assert not policy.link_grants(7, "review.read", Inv(7)) and not policy.link_grants(7, "invitation.view", None)


def test_unknown_revoked_and_expired_links_are_refused_in_hindi(client, world, clock):
    publish(world)
    token = link_token(messages_to(world.sms, MessageKind.INVITATION)[0])
    assert client.get("/p/" + "x" * 32, headers=HI).status_code == 404

    page = client.get(f"/p/{token}", headers=HI).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"csrf_token": csrf.group(1)} if csrf else {}
    assert client.post(f"/p/{token}/revoke", data=data, headers=HI).status_code == 200
    link = db.session.scalar(sa.select(PersonalLink).where(PersonalLink.person_id == world.sms.id))
    db.session.refresh(link)
    assert link.revoked_at is not None and link.revoked_by == "person"
    refused = client.get(f"/p/{token}", headers=HI)
    assert refused.status_code == 410
    assert "यह लिंक" in refused.get_data(as_text=True)

    # A new link (the next message) expires with the last session.
    fresh = personal_links.issue(world.sms, clock.now())
    db.session.commit()
    fresh_token = personal_links.token_of(fresh)
    assert client.get(f"/p/{fresh_token}").status_code == 200
    clock.set(SESSION_START + timedelta(minutes=121))
    assert client.get(f"/p/{fresh_token}", headers=HI).status_code == 410


def test_the_office_revokes_the_links_from_the_persons_page(client, auth, world, clock):
    make_user("office", username="office1")
    publish(world)
    token = link_token(messages_to(world.sms, MessageKind.INVITATION)[0])
    auth.login("office1")
    page = client.get(f"/directory/people/{world.sms.id}").get_data(as_text=True)
    assert f"/directory/people/{world.sms.id}/personal-links/revoke" in page
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"csrf_token": csrf.group(1)} if csrf else {}
    assert client.post(f"/directory/people/{world.sms.id}/personal-links/revoke", data=data).status_code in (302, 303)
    auth.logout()
    assert client.get(f"/p/{token}").status_code == 410
    assert db.session.scalar(sa.select(PersonalLink.revoked_by).where(PersonalLink.person_id == world.sms.id)) \
        == "office"


def test_a_president_cannot_revoke_anothers_links(client, auth, world, clock):
    make_user("president", username="dp1", person=world.english)
    auth.login("dp1")
    assert client.post(f"/directory/people/{world.sms.id}/personal-links/revoke", data={}).status_code in (403, 404)


def test_the_link_ends_when_the_persons_post_ends(world, clock):
    district = make_unit("district", code="DZZ")
    post = make_post(world.sms, district, start_date=date(2025, 1, 1))
    publish(world)
    link = db.session.scalar(sa.select(PersonalLink).where(PersonalLink.person_id == world.sms.id))
    directory_ops.end_post(post, date(2025, 9, 14))  # ended before today (15 September)
    db.session.commit()
    db.session.refresh(link)
    assert link.revoked_at is not None and link.revoked_by == "post_ended"


def test_the_person_replies_from_the_link_and_only_to_their_own_invitations(client, world, clock):
    from tracker.meetings.models import Invitation, InvitationReply

    publish(world)
    token = link_token(messages_to(world.sms, MessageKind.INVITATION)[0])
    own = db.session.scalar(sa.select(Invitation).where(Invitation.person_id == world.sms.id))
    other = db.session.scalar(sa.select(Invitation).where(Invitation.person_id == world.english.id))
    db.session.commit()
    page = client.get(f"/p/{token}", headers=HI).get_data(as_text=True)
    assert f"/p/{token}/invitations/{own.id}/reply" in page

    assert client.get(f"/p/{token}/invitations/{own.id}/reply", headers=HI).status_code == 200
    assert client.get(f"/p/{token}/invitations/{other.id}/reply").status_code == 404
    assert client.post(f"/p/{token}/invitations/{other.id}/reply", data={"answer": "attending"}).status_code == 404
    response = client.post(f"/p/{token}/invitations/{own.id}/reply", data={"answer": "attending"})
    assert response.status_code in (302, 303) and response.headers["Location"].endswith(f"/p/{token}")
    replies = db.session.execute(sa.select(InvitationReply.invitation_id, InvitationReply.answer,
                                           InvitationReply.recorded_by_user_id)).all()
    assert [(r[0], r[1].value, r[2]) for r in replies] == [(own.id, "attending", None)]

    personal_links.revoke_all(world.sms.id, clock.now(), "person")
    db.session.commit()
    assert client.post(f"/p/{token}/invitations/{own.id}/reply", data={"answer": "not_attending",
                                                                       "reason": "x"}).status_code == 410


def test_the_person_revokes_their_links_from_the_settings_page(client, auth, world, clock):
    make_user("president", username="dp2", person=world.sms)
    publish(world)
    token = link_token(messages_to(world.sms, MessageKind.INVITATION)[0])
    auth.login("dp2")
    assert "/settings/personal-links/revoke" in client.get("/settings").get_data(as_text=True)
    assert client.post("/settings/personal-links/revoke", data={}).status_code in (302, 303)
    assert db.session.scalar(sa.select(PersonalLink.revoked_by).where(PersonalLink.person_id == world.sms.id)) \
        == "person"
    assert client.get(f"/p/{token}").status_code == 410


def test_a_changed_phone_or_a_deactivated_login_ends_the_links_a_new_password_does_not(world, clock):
    from tracker.auth import operations as auth_ops
    from tracker.auth.phone import change_phone

    user = make_user("president", "sms_person", person=world.sms)
    publish(world)
    link = db.session.scalar(sa.select(PersonalLink).where(PersonalLink.person_id == world.sms.id))
    auth_ops.set_password(user, "another-long-password")
    db.session.flush()
    db.session.refresh(link)
    assert link.revoked_at is None
    change_phone(user, "+91 94250 55555")
    db.session.commit()
    db.session.refresh(link)
    assert link.revoked_at is not None and link.revoked_by == "phone"

    fresh = personal_links.issue(world.sms, clock.now())
    auth_ops.set_active(user, False)
    db.session.commit()
    db.session.refresh(fresh)
    assert fresh.revoked_at is not None and fresh.revoked_by == "deactivated"
