"""The office's replies page of a meeting (issue 12, RSVP): expected counts per session and per division,
who has not answered and "remind those who have not answered" (a confirmation first; only they get a
message, once within a short window; the meeting's history says so), the printable and downloadable reply
list with stays and meals for a multi-day meeting; only office and admin; queries stay flat."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from tests.factories import make_person, make_user
from tests.meetings.conftest import START, group_data, new_meeting
from tests.querycount import count_queries
from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings import replies
from tracker.meetings.models import Invitation, InvitationKind, ReplyAnswer
from tracker.meetings.reply_list import meeting_replies
from tracker.reminders.models import MessageKind, OutboxMessage

DAY2, DAY3 = START + timedelta(days=1), START + timedelta(days=2)
EVERYONE = {"Praveen Saxena", "Anil Verma", "Bina Rao", "Harish Chaudhary", "Sanjay Dutt", "Sanjay Kamle"}


def _invitation(session, person) -> Invitation:
    return db.session.scalar(sa.select(Invitation).where(Invitation.session_id == session.id,
                                                         Invitation.person_id == person.id))


@pytest.fixture
def three_days(world, clock):
    """A published 3-day meeting: day 1 division A (pa1, pa2), day 2 both divisions (pa1, pa2, pb1), day 3
    division B (pb1); chaired by the state in-charge, who has no mobile number. Presidents have numbers."""
    world.pa1.mobile, world.pa2.mobile, world.pb1.mobile = "+919800000001", "+919800000002", "+919800000003"
    world.si.mobile = None
    meeting = new_meeting(days=3)
    s1 = ops.add_session(meeting, group_data(world))
    s2 = ops.add_session(meeting, group_data(world, day=DAY2, units=[world.div_a, world.div_b]))
    s3 = ops.add_session(meeting, group_data(world, day=DAY3, units=[world.div_b]))
    ops.publish_meeting(meeting)
    db.session.commit()
    return meeting, (s1, s2, s3)


def _answer(world, sessions):
    """pa1 comes on days 1 and 2; pa2 sends Ramesh on day 1 and cannot come on day 2; pb1 comes on days 2
    and 3 (day 3 after the cut-off); the chair has not answered."""
    s1, s2, s3 = sessions
    replies.record_reply(_invitation(s1, world.pa1), ReplyAnswer.ATTENDING)
    replies.record_reply(_invitation(s2, world.pa1), ReplyAnswer.ATTENDING)
    replies.record_reply(_invitation(s1, world.pa2), ReplyAnswer.REPRESENTATIVE, representative_name="Ramesh Yadav",
                         representative_mobile="9876543210")
    replies.record_reply(_invitation(s2, world.pa2), ReplyAnswer.NOT_ATTENDING, reason="Wedding in the family")
    replies.record_reply(_invitation(s2, world.pb1), ReplyAnswer.ATTENDING)
    late = replies.record_reply(_invitation(s3, world.pb1), ReplyAnswer.ATTENDING)
    late.after_cutoff = True
    db.session.commit()


def test_counts_per_session_and_division_and_who_has_not_answered(world, three_days):
    meeting, sessions = three_days
    s1, s2, s3 = sessions
    _answer(world, sessions)
    data = meeting_replies(meeting)
    assert [s.id for s in data.sessions] == [s1.id, s2.id, s3.id]
    # The division's reviewers (the co-in-charge of A, the organization in-charge for B) and the chair
    # are asked too; none of them has answered.
    assert dict(data.by_session[s1.id]) == {"attending": 1, "representative": 1, "none": 2}
    assert dict(data.by_session[s2.id]) == {"attending": 2, "not_attending": 1, "none": 3}
    assert dict(data.by_session[s3.id]) == {"attending": 1, "none": 2}
    by_division = {(d.code if d else None): dict(t) for d, t in data.by_division.items()}
    assert by_division == {"div_a": {"attending": 2, "representative": 1, "not_attending": 1, "none": 2},
                           "div_b": {"attending": 2, "none": 2}, None: {"none": 3}}
    assert list(by_division) == ["div_a", "div_b", None]
    # The representative is not asked, and not listed as an invitee of their own.
    assert {e.person.name_en for e in data.invitees} == EVERYONE
    assert [(p.name_en, [s.id for s in ss]) for p, ss in data.unanswered] == [
        ("Harish Chaudhary", [s1.id, s2.id, s3.id]), ("Sanjay Dutt", [s1.id, s2.id]),
        ("Sanjay Kamle", [s2.id, s3.id])]
    assert data.late == 1


def test_stays_and_meals_follow_the_documented_rule(world, three_days):
    meeting, sessions = three_days
    _answer(world, sessions)
    data = meeting_replies(meeting)
    # Lunches: day 1 pa1 + Ramesh; day 2 pa1 + pb1; day 3 pb1. Nights: pa1 (1→2), pb1 (2→3); Ramesh one day.
    assert data.lunches == {START: 2, DAY2: 2, DAY3: 1}
    assert data.nights == {START: 1, DAY2: 1}
    assert data.multi_day


def test_sessions_on_days_that_are_not_consecutive_need_no_stay(world, three_days):
    meeting, (s1, _s2, s3) = three_days
    make_person("Extra", "अतिरिक्त")
    ops.invite_person(s3, world.pa1, InvitationKind.GUEST)
    replies.record_reply(_invitation(s1, world.pa1), ReplyAnswer.ATTENDING)
    replies.record_reply(_invitation(s3, world.pa1), ReplyAnswer.ATTENDING)
    db.session.commit()
    data = meeting_replies(meeting)
    assert data.lunches == {START: 1, DAY3: 1} and data.nights == {}


def test_the_office_opens_the_page_from_the_meeting_and_the_session(world, three_days, client, auth):
    meeting, (s1, _s2, _s3) = three_days
    _answer(world, three_days[1])
    make_user("office", "off", locale="en")
    auth.login("off")
    url = f"/meetings/{meeting.id}/replies"
    assert f'href="{url}"' in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="{url}"' in client.get(f"/meetings/sessions/{s1.id}").get_data(as_text=True)
    page = client.get(url)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert f'<tr data-session="{s1.id}">' in body and 'id="stays"' in body and "data-print" in body
    assert f'href="/meetings/{meeting.id}/replies/remind"' in body
    assert f'href="/meetings/{meeting.id}/replies.csv"' in body and f'href="/meetings/{meeting.id}/replies.xlsx"' in body
    assert "Ramesh Yadav" in body and "Wedding in the family" in body and "Harish Chaudhary" in body


def test_hindi_page(world, three_days, client, auth):
    meeting, _sessions = three_days
    make_user("office", "off", locale="hi")
    auth.login("off")
    body = client.get(f"/meetings/{meeting.id}/replies", headers={"Accept-Language": "hi"}).get_data(as_text=True)
    assert "जवाब" in body and "ठहरना और भोजन" in body


@pytest.mark.parametrize("role", ["president", "coordinator", "incharge"])
def test_only_office_and_admin_see_replies(world, three_days, client, auth, role):
    meeting, _sessions = three_days
    make_user(role, "someone", person=world.pa1 if role == "president" else None)
    auth.login("someone")
    for url in (f"/meetings/{meeting.id}/replies", f"/meetings/{meeting.id}/replies.csv",
                f"/meetings/{meeting.id}/replies.xlsx", f"/meetings/{meeting.id}/replies/remind"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/meetings/{meeting.id}/replies/remind").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage).where(
        OutboxMessage.kind == MessageKind.REPLY_REQUEST)) == 0
    if role == "coordinator":
        assert "/replies" not in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_admin_sees_replies_anonymous_logs_in_and_a_draft_has_none(world, three_days, client, auth):
    meeting, _sessions = three_days
    assert "/login" in client.get(f"/meetings/{meeting.id}/replies").headers["Location"]
    draft = new_meeting("Draft")
    db.session.commit()
    make_user("admin", "adm", locale="en")
    auth.login("adm")
    assert client.get(f"/meetings/{meeting.id}/replies").status_code == 200
    assert client.get(f"/meetings/{draft.id}/replies").status_code == 404


def _reply_requests() -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.REPLY_REQUEST)
                                   .order_by(OutboxMessage.recipient_person_id)))


def test_remind_those_who_have_not_answered_confirms_then_sends_once(world, three_days, client, auth, fixed_now):
    meeting, (s1, s2, _s3) = three_days
    replies.record_reply(_invitation(s1, world.pa1), ReplyAnswer.ATTENDING)
    replies.record_reply(_invitation(s2, world.pa1), ReplyAnswer.ATTENDING)
    replies.record_reply(_invitation(s1, world.pa2), ReplyAnswer.NOT_ATTENDING, reason="Ill")
    db.session.commit()
    make_user("office", "off", locale="en")
    auth.login("off")
    url = f"/meetings/{meeting.id}/replies/remind"
    confirm = client.get(url).get_data(as_text=True)
    # pa2 (day 2 unanswered), pb1, the two reviewers, and the chair (no number: cannot be reached);
    # pa1 answered everything.
    assert "5 people have not answered yet" in confirm
    assert '<li data-channel="console">Console: 4</li>' in confirm
    assert '<li data-channel="none">Cannot be reached (no number, or no messages wanted): 1</li>' in confirm
    assert _reply_requests() == []

    response = client.post(url)
    assert response.status_code == 302 and response.location.endswith(f"/meetings/{meeting.id}/replies")
    db.session.expire_all()
    sent = _reply_requests()
    assert sorted(m.recipient_person_id for m in sent) == sorted([world.pa2.id, world.pb1.id, world.ci.id,
                                                                  world.org.id])
    assert all(m.meeting_id == meeting.id and "/p/" in m.body for m in sent), [m.body for m in sent]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "remind_unanswered"))
    assert (entry.entity_type, entry.entity_id, entry.changes["reminded"][1]) == ("meetings", meeting.id, 4)

    again = client.post(url, follow_redirects=True).get_data(as_text=True)  # a double click
    assert "Nobody was reminded" in again
    db.session.expire_all()
    assert len(_reply_requests()) == 4
    fixed_now("2025-09-20T10:30:00+05:30")  # half an hour later: those still silent are asked again
    client.post(url)
    db.session.expire_all()
    assert len(_reply_requests()) == 8


def test_the_reply_request_is_in_the_persons_language(world, three_days, clock):
    meeting, _sessions = three_days
    world.pb1.preferred_locale = "hi"
    data = meeting_replies(meeting)
    assert len(data.unanswered) == 6
    assert replies.remind_unanswered(meeting, data.unanswered) == 5  # the chair has no number
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient_person_id == world.pb1.id,
                                                               OutboxMessage.kind == MessageKind.REPLY_REQUEST))
    assert message.locale == "hi" and "क्या आप" in message.body


def test_the_downloads_hold_the_list_and_the_counts(world, three_days, client, auth):
    meeting, _sessions = three_days
    _answer(world, three_days[1])
    make_user("office", "off", locale="en")
    auth.login("off")
    response = client.get(f"/meetings/{meeting.id}/replies.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Name,Mobile,District,Division,") and lines[0].endswith(
        "Representative,Reason,After the cut-off")
    anil = next(line for line in lines if line.startswith("Anil Verma"))
    assert "Sending a representative,Not attending" in anil and "Ramesh Yadav 098765 43210" in anil
    assert "Wedding in the family" in anil
    bina = next(line for line in lines if line.startswith("Bina Rao"))
    assert bina.endswith(",yes")
    assert any(line.startswith("Lunch,") and line.endswith(",2") for line in lines)
    assert any(line.startswith("Stay (night of),") for line in lines)

    response = client.get(f"/meetings/{meeting.id}/replies.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["Replies", "Counts"]
    rows = list(book["Replies"].iter_rows(values_only=True))
    assert rows[1][0] == "Name" and {r[0] for r in rows[2:]} == EVERYONE
    counts = list(book["Counts"].iter_rows(values_only=True))
    assert [r[2] for r in counts if r[0] == "Lunch"] == [2, 2, 1]
    assert [r[2] for r in counts if r[0] == "Stay (night of)"] == [1, 1]


def _grow(world, meeting, sessions, extra: int) -> None:
    """``extra`` more invitees of division A on days 1 and 2, half of them answering."""
    from tests.worlds import make_holder
    from tracker.directory.models import Unit

    for n in range(extra):
        district = Unit(level=world.a1.level, code=f"x{n}", name_en=f"X {n}", name_hi=f"एक्स {n}",
                        parent_id=world.div_a.id)
        db.session.add(district)
        db.session.flush()
        person = make_holder(district, "district_president", name_en=f"Person {n}", name_hi=f"व्यक्ति {n}")
        for session in sessions[:2]:
            invitation = ops.invite_person(session, person, InvitationKind.GUEST, unit=district)
            if n % 2:
                replies.record_reply(invitation, ReplyAnswer.REPRESENTATIVE, representative_name=f"Rep {n}",
                                     representative_mobile=f"98770{n:05d}")
    db.session.commit()


def _count(client, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200, url
    return counter.count


def test_queries_stay_flat_as_the_meeting_grows(world, three_days, client, auth):
    meeting, sessions = three_days
    _answer(world, sessions)
    make_user("office", "off", locale="en")
    auth.login("off")
    urls = [f"/meetings/{meeting.id}/replies", f"/meetings/{meeting.id}/replies.csv",
            f"/meetings/{meeting.id}/replies.xlsx", f"/meetings/{meeting.id}/replies/remind"]
    small = [_count(client, url) for url in urls]
    _grow(world, meeting, sessions, 12)
    large = [_count(client, url) for url in urls]
    assert small == large, (small, large)
