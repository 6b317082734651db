"""The office's reply list of a whole meeting (RSVP): every invitee's answer per session, the expected
counts per session and per division, who has not answered yet, and the stays and meals a multi-day meeting
must arrange. Read-only; two queries whatever the size of the meeting (its sessions, then its invitations
with their people, replies, districts, divisions and representatives).

Stays and meals (the rule the page states in a short note):

* Who is expected: an invitee who answered "attending", and the representative named by one who sends
  someone. Those who have not answered are not counted (the list of them says how many may still come).
* Meals: one lunch for each day on which an expected person has a session.
* Stays: an expected person with sessions on two consecutive days needs a stay for the night between
  them (a night is named by the evening it begins). Nobody else is counted: the first evening's arrivals
  and those who come for one day find their own way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import localized
from tracker.meetings.models import (
    Invitation,
    InvitationReply,
    Meeting,
    MeetingSession,
    ReplyAnswer,
    SessionStatus,
)
from tracker.meetings.replies import REPLYING_KINDS
from tracker.timeutil import now_utc, to_local

NONE = "none"  # the tally key of "no answer"


@dataclass(frozen=True)
class Answer:
    """One invitation's answer (``answer`` None: not answered yet)."""

    invitation_id: int
    answer: ReplyAnswer | None
    reason: str = ""
    representative: Person | None = None
    late: bool = False


@dataclass
class InviteeReplies:
    """One invitee's answers, per session id."""

    person: Person
    district: Unit | None
    division: Unit | None
    answers: dict[int, Answer] = field(default_factory=dict)

    @property
    def representatives(self) -> list[Person]:
        seen: dict[int, Person] = {}
        for answer in self.answers.values():
            if answer.representative is not None:
                seen.setdefault(answer.representative.id, answer.representative)
        return list(seen.values())

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(a.reason for a in self.answers.values() if a.reason))

    @property
    def late(self) -> bool:
        return any(a.late for a in self.answers.values())


@dataclass
class MeetingReplies:
    meeting: Meeting
    sessions: list[MeetingSession]
    invitees: list[InviteeReplies]
    # {session id: {answer value or "none": count}}
    by_session: dict[int, Counter]
    # Over all sessions, per division (None: invitees without one), in name order.
    by_division: dict[Unit | None, Counter]
    # The invitees with an unanswered invitation to a session that is still to come, with those sessions.
    unanswered: list[tuple[Person, list[MeetingSession]]]
    lunches: dict[date, int]
    nights: dict[date, int]

    @property
    def multi_day(self) -> bool:
        return self.meeting.ends_on > self.meeting.starts_on

    @property
    def late(self) -> int:
        return sum(1 for i in self.invitees for a in i.answers.values() if a.late)


def _rows(meeting: Meeting):
    reps = sa.select(InvitationReply.representative_invitation_id).where(
        InvitationReply.representative_invitation_id.is_not(None)).scalar_subquery()
    district, division = aliased(Unit, name="district"), aliased(Unit, name="division")
    rep_invitation, rep_person = aliased(Invitation, name="rep_invitation"), aliased(Person, name="rep_person")
    return db.session.execute(
        sa.select(Invitation, Person, InvitationReply, district, division, rep_person)
        .join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .join(Person, Person.id == Invitation.person_id)
        .outerjoin(InvitationReply, InvitationReply.invitation_id == Invitation.id)
        .outerjoin(rep_invitation, rep_invitation.id == InvitationReply.representative_invitation_id)
        .outerjoin(rep_person, rep_person.id == rep_invitation.person_id)
        .outerjoin(district, district.id == Invitation.unit_id)
        .outerjoin(division, division.id == district.parent_id)
        .where(MeetingSession.meeting_id == meeting.id, MeetingSession.status == SessionStatus.SCHEDULED,
               Invitation.kind.in_(REPLYING_KINDS), Invitation.id.not_in(reps))
        .order_by(Person.name_en, Person.id)
    )


def _division_of(unit: Unit | None, parent: Unit | None) -> Unit | None:
    return unit if unit is not None and unit.level == UnitLevel.DIVISION else parent


def _sorted_divisions(tallies: dict[Unit | None, Counter]) -> dict[Unit | None, Counter]:
    return dict(sorted(tallies.items(), key=lambda item: (item[0] is None, localized(item[0]) if item[0] else "")))


def meeting_replies(meeting: Meeting) -> MeetingReplies:
    """The reply list of ``meeting`` (its scheduled sessions only)."""
    sessions = [s for s in db.session.scalars(
        sa.select(MeetingSession).where(MeetingSession.meeting_id == meeting.id,
                                        MeetingSession.status == SessionStatus.SCHEDULED)
        .order_by(MeetingSession.starts_at, MeetingSession.id))]
    by_id = {s.id: s for s in sessions}
    invitees: dict[int, InviteeReplies] = {}
    by_session: dict[int, Counter] = {s.id: Counter() for s in sessions}
    by_division: dict[Unit | None, Counter] = {}
    for invitation, person, reply, unit, parent, rep in _rows(meeting):
        district_unit = None if unit is None or unit.level == UnitLevel.DIVISION else unit
        entry = invitees.setdefault(person.id, InviteeReplies(person, district_unit, _division_of(unit, parent)))
        entry.answers[invitation.session_id] = Answer(
            invitation.id, reply.answer if reply else None, reply.reason if reply else "",
            rep if reply is not None and reply.answer == ReplyAnswer.REPRESENTATIVE else None,
            bool(reply and reply.after_cutoff))
        key = reply.answer.value if reply else NONE
        by_session[invitation.session_id][key] += 1
        by_division.setdefault(entry.division, Counter())[key] += 1
    listed = list(invitees.values())
    lunches, nights = stays_and_meals(listed, by_id)
    return MeetingReplies(meeting, sessions, listed, by_session, _sorted_divisions(by_division),
                          _unanswered(listed, by_id), lunches, nights)


def _unanswered(invitees: list[InviteeReplies], sessions: dict[int, MeetingSession]):
    now = now_utc()
    result = []
    for entry in invitees:
        open_sessions = [sessions[sid] for sid, a in entry.answers.items()
                         if a.answer is None and sessions[sid].starts_at > now]
        if open_sessions:
            result.append((entry.person, sorted(open_sessions, key=lambda s: s.starts_at)))
    return result


def expected_days(invitees: list[InviteeReplies], sessions: dict[int, MeetingSession]) -> dict[int, set[date]]:
    """Who is expected (by person id: the invitees who come, the representatives sent) on which local days."""
    days: dict[int, set[date]] = defaultdict(set)
    for entry in invitees:
        for session_id, answer in entry.answers.items():
            day = to_local(sessions[session_id].starts_at).date()
            if answer.answer == ReplyAnswer.ATTENDING:
                days[entry.person.id].add(day)
            elif answer.answer == ReplyAnswer.REPRESENTATIVE and answer.representative is not None:
                days[answer.representative.id].add(day)
    return days


def stays_and_meals(invitees: list[InviteeReplies], sessions: dict[int, MeetingSession]):
    """``(lunches, nights)``: lunches per day, stays per night (named by its evening); see the module's rule."""
    lunches: Counter = Counter()
    nights: Counter = Counter()
    for days in expected_days(invitees, sessions).values():
        for day in days:
            lunches[day] += 1
            if day + timedelta(days=1) in days:
                nights[day] += 1
    return dict(sorted(lunches.items())), dict(sorted(nights.items()))
