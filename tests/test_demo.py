"""The living demo (``tracker setup``): the reference meeting and a coming one, through the operations."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_unit
from tracker import demo as living_demo
from tracker import policy
from tracker.attendance import operations as attendance_ops
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.audit.models import AuditEntry
from tracker.auth.models import User
from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.meetings import queries as meeting_queries
from tracker.meetings.models import Invitation, Meeting, MeetingSession, MeetingStatus, SessionKind
from tracker.reminders.models import MessageState, OutboxMessage
from tracker.reviews.models import ActionItem, ItemStatus, NoteStatus, ReviewNote, ReviewNoteVersion
from tracker.timeutil import clock_at

# Each test loads the whole living demo: in `make test` (and CI), not in the quick lane.
pytestmark = pytest.mark.slow

TODAY = date(2026, 3, 2)


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _meeting(title_en: str) -> list[Meeting]:
    return list(db.session.scalars(sa.select(Meeting).where(Meeting.title_en == title_en).order_by(Meeting.starts_on)))


def test_the_living_demo(app):
    """The demo loaded once (it takes seconds), then each check in turn: those that only read first, then
    loading again, then a later day."""
    living_demo.load_demo()
    loaded = living_demo.load_meetings(TODAY)
    db.session.commit()
    for check in (_the_reference_meeting_as_the_planner_makes_it,
                  _attendance_is_marked_at_every_session_of_the_reference_meeting,
                  _bhopal_city_is_reviewed_with_a_signed_note_and_action_items,
                  _the_coming_meeting_is_tomorrow_and_holds_the_demo_presidents,
                  _no_demo_message_is_left_to_send,
                  _loading_again_adds_nothing,
                  _once_the_coming_meeting_is_past_a_new_one_is_planned):
        check(loaded)
        db.session.rollback()


def _the_reference_meeting_as_the_planner_makes_it(loaded):
    (meeting,) = _meeting(living_demo.REFERENCE_TITLE["title_en"])
    assert (meeting.starts_on, meeting.ends_on, meeting.status) == (date(2025, 9, 22), date(2025, 9, 24),
                                                                   MeetingStatus.PUBLISHED)
    assert meeting.campaign is not None and meeting.campaign.code == "sangathan_srijan"
    groups = [s for s in meeting.sessions if s.kind == SessionKind.GROUP]
    by_day = {meeting_queries.session_date(s): {u.code for u in s.covered_units} for s in groups}
    assert by_day == {
        date(2025, 9, 22): {"bhopal_division", "narmadapuram_division"},
        date(2025, 9, 23): {"indore_division", "ujjain_division"},
        date(2025, 9, 24): {"jabalpur_division", "sagar_division"},
    }
    assert all(s.chair is not None and s.chair.name_en == "Harish Chaudhary" for s in groups)
    divisions = [d for g in groups for d in g.covered_units]
    districts = db.session.scalars(sa.select(Unit.id).where(
        Unit.level == UnitLevel.DISTRICT, Unit.parent_id.in_([d.id for d in divisions]))).all()
    one_to_ones = [s for s in meeting.sessions if s.kind == SessionKind.ONE_TO_ONE]
    assert sorted(s.district_unit_id for s in one_to_ones) == sorted(districts)  # every district once
    assert meeting_queries.find_clashes(meeting.sessions) == []


def _attendance_is_marked_at_every_session_of_the_reference_meeting(loaded):
    (meeting,) = _meeting(living_demo.REFERENCE_TITLE["title_en"])
    session_ids = [s.id for s in meeting.sessions]
    invitations = _count(Invitation, Invitation.session_id.in_(session_ids))
    marks = db.session.scalars(sa.select(Attendance).where(Attendance.session_id.in_(session_ids))).all()
    assert len(marks) == invitations == loaded.marks > 100
    statuses = Counter(m.status for m in marks)
    assert set(statuses) == set(AttendanceStatus)
    assert statuses[AttendanceStatus.PRESENT] > len(marks) / 2
    assert all(m.late_at is not None for m in marks if m.status == AttendanceStatus.LATE)
    assert all(m.represented_by_name for m in marks if m.status == AttendanceStatus.REPRESENTED)
    assert {m.marked_by_user_id for m in marks} == {_user("coordinator").id}


def _bhopal_city_is_reviewed_with_a_signed_note_and_action_items(loaded):
    (note,) = db.session.scalars(sa.select(ReviewNote)).all()
    assert note.district.code == "bhopal_city" and note.president.name_en == "Praveen Saxena"
    assert note.session is not None and note.session.meeting.title_en == living_demo.REFERENCE_TITLE["title_en"]
    assert note.status == NoteStatus.SIGNED_OFF and note.version == 1 and _count(ReviewNoteVersion) == 1
    assert "Sanjay Dutt" in {p.name_en for p in note.reviewers}
    assert note.challenges and note.strategy and note.readiness == 3 and note.answers
    items = db.session.scalars(sa.select(ActionItem).order_by(ActionItem.id)).all()
    assert len(items) == 3 and all(i.review_note_id == note.id for i in items)
    praveen = _user("praveen").person_id
    assert [i.status for i in items if i.owner_person_id == praveen] == [ItemStatus.OPEN, ItemStatus.OPEN]
    assert [i.status for i in items if i.owner_person_id != praveen] == [ItemStatus.DONE]


def _the_coming_meeting_is_tomorrow_and_holds_the_demo_presidents(loaded):
    (meeting,) = _meeting(living_demo.COMING_TITLE["title_en"])
    assert meeting.starts_on == meeting.ends_on == date(2026, 3, 3)  # relative to the fixed today
    assert meeting.status == MeetingStatus.PUBLISHED
    invited = {}
    for inv in db.session.scalars(sa.select(Invitation).join(MeetingSession).where(
            MeetingSession.meeting_id == meeting.id)):
        invited.setdefault(inv.person_id, set()).add(inv.session.kind)
    for login in living_demo.PRESIDENT_LOGINS:
        assert invited[_user(login).person_id] == {SessionKind.GROUP, SessionKind.ONE_TO_ONE}, login
    assert _count(Attendance, Attendance.session_id.in_([s.id for s in meeting.sessions])) == 0

    coordinator = _user("coordinator")
    session = next(s for s in meeting.sessions if s.kind == SessionKind.GROUP)
    assert policy.can(coordinator, "attendance.mark", session)
    with clock_at(session.starts_at):  # marking opens before the session (issue 13), not a day ahead
        result = attendance_ops.mark(session, _user("praveen").person_id,
                                     attendance_ops.Mark(AttendanceStatus.PRESENT), coordinator.id)
    assert result.created
    db.session.rollback()


def _no_demo_message_is_left_to_send(loaded):
    assert loaded.cancelled_messages > 0
    states = Counter(db.session.scalars(sa.select(OutboxMessage.state)))
    assert set(states) == {MessageState.CANCELLED}
    assert states[MessageState.CANCELLED] == loaded.cancelled_messages


def _snapshot() -> list[int]:
    return [_count(m) for m in (Meeting, MeetingSession, Invitation, Attendance, ReviewNote, ReviewNoteVersion,
                                ActionItem, OutboxMessage, AuditEntry)]


def _loading_again_adds_nothing(loaded):
    before = _snapshot()
    again = living_demo.load_meetings(TODAY)
    db.session.commit()
    assert again.meetings == [] and again.marks == 0
    assert _snapshot() == before
    # The coming meeting has not begun yet a few days later: still nothing new.
    assert living_demo.load_meetings(date(2026, 3, 3)).meetings == []


def _once_the_coming_meeting_is_past_a_new_one_is_planned(loaded):
    later = date(2026, 3, 10)
    added = living_demo.load_meetings(later).meetings
    db.session.commit()
    assert [m.starts_on for m in added] == [date(2026, 3, 11)]
    assert [m.starts_on for m in _meeting(living_demo.COMING_TITLE["title_en"])] == [date(2026, 3, 3),
                                                                                     date(2026, 3, 11)]
    assert len(_meeting(living_demo.REFERENCE_TITLE["title_en"])) == 1


def test_setup_loads_the_living_demo_once_and_says_how_to_log_in(runner, app):
    first = runner.invoke(args=["setup"])
    assert first.exit_code == 0, first.output
    assert "demo meetings added: 2" in first.output
    assert "Log in at /login" in first.output and app.config["DEMO_PASSWORD"] in first.output
    for username, _description in living_demo.demo_logins():
        assert f"  {username} " in first.output
    assert "coming meeting:" in first.output
    before = _snapshot()
    db.session.rollback()  # end the read: the migrations' connection must not wait for it (SQLite)
    second = runner.invoke(args=["setup"])
    assert second.exit_code == 0, second.output
    assert "demo meetings added" not in second.output and "coming meeting:" in second.output
    db.session.expire_all()
    assert _snapshot() == before


def test_setup_adds_no_demo_meetings_to_real_data(runner):
    make_unit("state", code="xx", name_en="Somewhere", name_hi="कहीं")
    result = runner.invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert _count(Meeting) == 0 and "Demo meetings" not in result.output


def test_setup_without_demo(runner):
    result = runner.invoke(args=["setup", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert _count(Meeting) == 0 and _count(Unit) == 0
