"""The reply pages (issue 12, RSVP): the president answers from their agenda, the office records a reply
taken by phone and sees the counts on the session page, the roster shows the representative; who may
answer for whom; the session page's queries stay flat with the replies."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_person, make_user
from tests.querycount import count_queries
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings import replies
from tracker.meetings.models import Invitation, InvitationReply, ReplyAnswer


def _invitation(session, person) -> Invitation:
    return db.session.scalar(sa.select(Invitation).where(Invitation.session_id == session.id,
                                                         Invitation.person_id == person.id))


def test_the_president_answers_from_the_agenda(world, published, client, auth, clock):
    _meeting, session = published
    user = make_user("president", "pa1", person=world.pa1, locale="hi")
    auth.login("pa1")
    invitation = _invitation(session, world.pa1)
    agenda = client.get("/agenda").get_data(as_text=True)
    assert f'href="/agenda/invitations/{invitation.id}/reply"' in agenda
    page = client.get(f"/agenda/invitations/{invitation.id}/reply")
    assert page.status_code == 200
    response = client.post(f"/agenda/invitations/{invitation.id}/reply", data={
        "answer": "representative", "representative_name": "रमेश यादव", "representative_mobile": "9876543210"})
    assert response.status_code == 302 and response.location.endswith(f"/agenda/sessions/{session.id}")
    db.session.expire_all()
    reply = db.session.scalar(sa.select(InvitationReply))
    assert (reply.answer, reply.recorded_by_user_id) == (ReplyAnswer.REPRESENTATIVE, user.id)
    assert reply.representative_invitation.person.mobile == "+919876543210"
    shown = client.get(f"/agenda/sessions/{session.id}").get_data(as_text=True)
    assert "धन्यवाद: आपका जवाब सहेजा गया।" in shown and "आपका जवाब: प्रतिनिधि भेज रहे हैं" in shown


def test_a_refused_reply_is_shown_on_the_form(world, published, client, auth, clock):
    _meeting, session = published
    make_user("president", "pa1", person=world.pa1)
    auth.login("pa1")
    invitation = _invitation(session, world.pa1)
    response = client.post(f"/agenda/invitations/{invitation.id}/reply", data={"answer": "not_attending"})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InvitationReply)) == 0


def test_another_districts_president_cannot_answer_for_someone_else(world, published, client, auth, clock):
    _meeting, session = published
    make_user("president", "pb1", person=world.pb1)
    auth.login("pb1")
    invitation = _invitation(session, world.pa1)
    assert client.get(f"/agenda/invitations/{invitation.id}/reply").status_code == 404
    response = client.post(f"/agenda/invitations/{invitation.id}/reply", data={"answer": "attending"})
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InvitationReply)) == 0


def test_a_coordinator_cannot_answer_for_a_president(world, published, client, auth, clock):
    _meeting, session = published
    make_user("coordinator", "co")
    auth.login("co")
    invitation = _invitation(session, world.pa1)
    assert client.post(f"/agenda/invitations/{invitation.id}/reply", data={"answer": "attending"}).status_code == 404


def test_the_office_records_a_phone_reply_and_sees_the_counts(world, published, client, auth, clock):
    _meeting, session = published
    make_user("office", "off")
    auth.login("off")
    page = client.get(f"/meetings/sessions/{session.id}").get_data(as_text=True)
    invitation = _invitation(session, world.pa1)
    assert 'id="replies"' in page and f'href="/agenda/invitations/{invitation.id}/reply"' in page
    response = client.post(f"/agenda/invitations/{invitation.id}/reply",
                           data={"answer": "not_attending", "reason": "Ill"})
    assert response.status_code == 302 and response.location.endswith(f"/meetings/sessions/{session.id}#replies")
    db.session.expire_all()
    assert db.session.scalar(sa.select(InvitationReply.answer)) == ReplyAnswer.NOT_ATTENDING
    page = client.get(f"/meetings/sessions/{session.id}").get_data(as_text=True)
    assert '<dd data-answer="not_attending">1</dd>' in page
    assert f'href="/agenda/invitations/{invitation.id}/reply"' not in page  # no longer in "not answered"


def test_the_roster_shows_the_representative_and_whom_they_represent(world, published, client, auth, clock):
    _meeting, session = published
    reply = replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.REPRESENTATIVE,
                                 representative_name="Ramesh Yadav", representative_mobile="9876543210")
    db.session.commit()
    make_user("coordinator", "co", locale="en")
    auth.login("co")
    roster = client.get(f"/attendance/sessions/{session.id}").get_data(as_text=True)
    rep_row = roster.split(f'id="att-{reply.representative_invitation.person_id}"')[1].split("</li>")[0]
    assert "Representing <bdi>Praveen Saxena</bdi>" in rep_row
    own_row = roster.split(f'id="att-{world.pa1.id}"')[1].split("</li>")[0]
    assert 'data-reply="representative"' in own_row


def _session_page_queries(client, session) -> int:
    with count_queries() as counter:
        assert client.get(f"/meetings/sessions/{session.id}").status_code == 200
    return counter.count


def test_the_session_pages_queries_stay_flat_with_the_replies(world, published, client, auth, clock):
    _meeting, session = published
    make_user("office", "off")
    auth.login("off")
    replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.ATTENDING)
    db.session.commit()
    few = _session_page_queries(client, session)
    for n in range(6):
        guest = make_person(f"Guest {n}", f"अतिथि {n}", commit=False)
        invitation = ops.invite_person(session, guest)
        answer = [ReplyAnswer.ATTENDING, ReplyAnswer.NOT_ATTENDING, None][n % 3]
        if answer is not None:
            replies.record_reply(invitation, answer, reason="Busy")
    db.session.commit()
    assert _session_page_queries(client, session) == few


def test_a_coordinator_sees_the_counts_but_no_record_link(world, published, client, auth, clock):
    _meeting, session = published
    make_user("coordinator", "co")
    auth.login("co")
    page = client.get(f"/meetings/sessions/{session.id}").get_data(as_text=True)
    assert 'id="replies"' in page and '<dd data-answer="none">' in page
    assert "/agenda/invitations/" not in page


def test_once_the_session_has_started_the_agenda_offers_no_reply(world, published, client, auth, fixed_now):
    _meeting, session = published
    make_user("president", "pa1", person=world.pa1)
    auth.login("pa1")
    invitation = _invitation(session, world.pa1)
    fixed_now("2025-09-22T10:30:00+05:30")
    assert f"/agenda/invitations/{invitation.id}/reply" in client.get("/agenda").get_data(as_text=True)
    fixed_now("2025-09-22T11:30:00+05:30")  # started at 11:00
    assert f"/agenda/invitations/{invitation.id}/reply" not in client.get(
        f"/agenda/sessions/{session.id}").get_data(as_text=True)


def test_the_counts_per_division(world, published, client, auth, clock):
    _meeting, session = published
    ops.invite_person(session, world.pb1, unit=world.b1)  # a president of division B, named as a guest
    replies.record_reply(_invitation(session, world.pa1), ReplyAnswer.ATTENDING)
    db.session.commit()
    summary = replies.summary(session)
    by_code = {getattr(division, "code", None): tally for division, tally in summary.by_division.items()}
    assert by_code["div_a"]["attending"] == 1 and by_code["div_b"]["none"] == 1
    make_user("office", "off", locale="en")
    auth.login("off")
    page = client.get(f"/meetings/sessions/{session.id}").get_data(as_text=True)
    assert "Replies by division" in page and "<bdi>Beta</bdi>" in page
