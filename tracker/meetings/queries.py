"""Read side of the meetings domain: who is invited to what, clashes, timetables and agendas.

Invitations before and after publication
----------------------------------------
A session's *explicit* invitations are ``Invitation`` rows: the chair, people on the dais, named
guests and a one-to-one's reviewers. Its *derived* invitees come from the directory: for a group
session, the current district presidents of the covered districts (or of every district under a
covered division) and the in-charges responsible for them (the division's co-in-charges, or the
organization in-charge where a division has none); for a one-to-one, the district's president.
Until the meeting is published the derived invitees are computed afresh (the directory may still
change); publishing freezes them into rows, and from then on the rows alone are the list.

Every function here issues a number of SQL queries that does not grow with the directory or the
number of invitations (at most a few per distinct session date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker.core.pagination import Page, paginate
from tracker.directory import queries as directory
from tracker.directory.models import Person, Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import name_order
from tracker.meetings import signals
from tracker.meetings.models import (
    AgendaItem,
    CalendarFeed,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingSession,
    MeetingStatus,
    SessionKind,
    SessionStatus,
)
from tracker.timeutil import now_utc, to_local

# Kinds of invitation that are explicit rows even before publication.
EXPLICIT_KINDS = (InvitationKind.CHAIR, InvitationKind.DAIS, InvitationKind.GUEST, InvitationKind.REVIEWER,
                  InvitationKind.WALK_IN)


@dataclass(frozen=True)
class Invitee:
    person_id: int
    kind: InvitationKind
    unit_id: int | None
    derived: bool = False  # computed from the directory, not (yet) a row


@dataclass(frozen=True)
class Clash:
    person: Person
    session: MeetingSession  # the session being edited
    other: MeetingSession  # where the person is already invited


def session_date(session: MeetingSession) -> date:
    return to_local(session.starts_at).date()


def is_frozen(meeting: Meeting) -> bool:
    """Published (or later) meetings keep their invitation rows as they are."""
    return meeting.published_at is not None


# --- derived invitees --------------------------------------------------------------------------


@dataclass
class _Directory:
    """The part of the directory a set of sessions needs, for all their dates at once."""

    districts_by_division: dict[int, list[int]] = field(default_factory=dict)
    division_of: dict[int, int | None] = field(default_factory=dict)  # district id -> division id
    state_of: dict[int, int | None] = field(default_factory=dict)  # division id -> state id
    divisions_of_state: dict[int, list[int]] = field(default_factory=dict)
    posts: dict[tuple[str, int], list[tuple[date, date | None, int]]] = field(default_factory=dict)

    def holders(self, role: str, unit_id: int | None, on: date) -> list[int]:
        """Who holds a role at a unit on a date (latest appointed first)."""
        found = [(start, person) for start, end, person in self.posts.get((role, unit_id), [])
                 if start <= on and (end is None or end >= on)]
        return list(dict.fromkeys(person for _start, person in sorted(found, reverse=True)))

    def president(self, district_id: int, on: date) -> int | None:
        found = self.holders(RoleCode.DISTRICT_PRESIDENT, district_id, on)
        return found[0] if found else None

    def responsible(self, division_id: int, on: date) -> list[int]:
        """The division's co-in-charges, else the organization in-charge of its state."""
        found = sorted(self.holders(RoleCode.CO_INCHARGE, division_id, on))
        return found or self.holders(RoleCode.ORG_INCHARGE, self.state_of.get(division_id), on)[:1]


def _load_directory(sessions: Sequence[MeetingSession]) -> _Directory:
    found = _Directory()
    division_ids: set[int] = set()
    district_ids: set[int] = set()
    state_ids: set[int] = set()
    for s in sessions:
        for unit in s.covered_units:
            {UnitLevel.DIVISION: division_ids, UnitLevel.DISTRICT: district_ids,
             UnitLevel.STATE: state_ids}.get(unit.level, set()).add(unit.id)
        if s.district_unit_id is not None:
            district_ids.add(s.district_unit_id)
    if district_ids:
        for unit_id, parent_id in db.session.execute(
                sa.select(Unit.id, Unit.parent_id).where(Unit.id.in_(district_ids))):
            found.division_of[unit_id] = parent_id
            if parent_id is not None:
                division_ids.add(parent_id)
    divisions = sa.select(Unit.id, Unit.parent_id).where(Unit.level == UnitLevel.DIVISION)
    for div_id, state_id in db.session.execute(divisions.where(sa.or_(
            Unit.id.in_(division_ids), sa.and_(Unit.parent_id.in_(state_ids), Unit.is_archived.is_(False))))):
        found.state_of[div_id] = state_id
        found.divisions_of_state.setdefault(state_id, []).append(div_id)
        division_ids.add(div_id)
    for district in directory.districts_under(division_ids) if division_ids else []:
        found.districts_by_division.setdefault(district.parent_id, []).append(district.id)
        found.division_of[district.id] = district.parent_id
    if division_ids:
        dates = [session_date(s) for s in sessions]
        _load_posts(found, min(dates), max(dates), division_ids)
    return found


def _load_posts(found: _Directory, first: date, last: date, division_ids: set[int]) -> None:
    """Posts that matter, overlapping the dates: presidents of the districts, co-in-charges of the
    divisions, organization in-charges of their states. One query."""
    district = sa.orm.aliased(Unit)
    states = {s for s in found.state_of.values() if s is not None}
    query = (
        sa.select(PostRole.code, Post.unit_id, Post.start_date, Post.end_date, Post.person_id)
        .join(PostRole, Post.role_id == PostRole.id)
        .outerjoin(district, sa.and_(district.id == Post.unit_id, district.level == UnitLevel.DISTRICT))
        .where(Post.start_date <= last, sa.or_(Post.end_date.is_(None), Post.end_date >= first),
               sa.or_(sa.and_(PostRole.code == RoleCode.DISTRICT_PRESIDENT, district.parent_id.in_(division_ids)),
                      sa.and_(PostRole.code == RoleCode.CO_INCHARGE, Post.unit_id.in_(division_ids)),
                      sa.and_(PostRole.code == RoleCode.ORG_INCHARGE, Post.unit_id.in_(states))))
    )
    for code, unit_id, start, end, person_id in db.session.execute(query):
        found.posts.setdefault((code, unit_id), []).append((start, end, person_id))


def _derive_one(session: MeetingSession, found: _Directory) -> list[Invitee]:
    on = session_date(session)
    out: list[Invitee] = []
    if session.kind == SessionKind.ONE_TO_ONE:
        president = found.president(session.district_unit_id, on)
        if president is not None:
            out.append(Invitee(president, InvitationKind.INVITEE, session.district_unit_id, True))
        return out
    districts: list[int] = []
    divisions: list[int | None] = []
    for unit in session.covered_units:
        if unit.level == UnitLevel.DISTRICT:
            districts.append(unit.id)
            divisions.append(found.division_of.get(unit.id))
            continue
        whole = [unit.id] if unit.level == UnitLevel.DIVISION else found.divisions_of_state.get(unit.id, [])
        for division in whole:
            divisions.append(division)
            districts.extend(found.districts_by_division.get(division, []))
    for district in dict.fromkeys(districts):
        president = found.president(district, on)
        if president is not None:
            out.append(Invitee(president, InvitationKind.INVITEE, district, True))
    for division in dict.fromkeys(d for d in divisions if d is not None):
        for person_id in found.responsible(division, on):
            out.append(Invitee(person_id, InvitationKind.REVIEWER, division, True))
    return out


def derived_invitees(sessions: Iterable[MeetingSession], include_frozen: bool = False) -> dict[int, list[Invitee]]:
    """Derived invitees of each scheduled session (of unpublished meetings, unless
    ``include_frozen``), from the directory on the session's date."""
    wanted = [s for s in sessions if s.status == SessionStatus.SCHEDULED and (include_frozen or not is_frozen(s.meeting))]
    if not wanted:
        return {}
    found = _load_directory(wanted)
    return {s.id: _derive_one(s, found) for s in wanted}


def invitation_rows(session_ids: Sequence[int]) -> dict[int, list[Invitation]]:
    rows: dict[int, list[Invitation]] = defaultdict(list)
    if session_ids:
        for inv in db.session.scalars(sa.select(Invitation).where(Invitation.session_id.in_(list(session_ids)))
                                      .order_by(Invitation.id)):
            rows[inv.session_id].append(inv)
    return rows


def effective_invitees(sessions: Sequence[MeetingSession],
                       rows: dict[int, list[Invitation]] | None = None) -> dict[int, list[Invitee]]:
    """Everyone invited to each session: the rows, plus the derived invitees while unpublished."""
    if rows is None:
        rows = invitation_rows([s.id for s in sessions])
    derived = derived_invitees(sessions)
    result: dict[int, list[Invitee]] = {}
    for s in sessions:
        seen: dict[int, Invitee] = {}
        for inv in rows.get(s.id, []):
            seen.setdefault(inv.person_id, Invitee(inv.person_id, inv.kind, inv.unit_id))
        for inv in derived.get(s.id, []):
            seen.setdefault(inv.person_id, inv)
        result[s.id] = list(seen.values())
    return result


# --- clashes -----------------------------------------------------------------------------------


def _active_sessions_between(start: datetime, end: datetime) -> list[MeetingSession]:
    query = (
        sa.select(MeetingSession)
        .join(Meeting, MeetingSession.meeting_id == Meeting.id)
        .where(MeetingSession.starts_at < end, MeetingSession.ends_at > start,
               MeetingSession.status == SessionStatus.SCHEDULED, Meeting.status != MeetingStatus.CANCELLED)
        .options(selectinload(MeetingSession.covered_units), selectinload(MeetingSession.meeting))
    )
    return list(db.session.scalars(query))


def find_clashes(sessions: Sequence[MeetingSession], person_ids: Iterable[int] | None = None) -> list[Clash]:
    """People invited to one of ``sessions`` and, at an overlapping time, to another active session.

    ``person_ids`` limits the check to some people (e.g. the one being added)."""
    sessions = [s for s in sessions if s.status == SessionStatus.SCHEDULED]
    if not sessions:
        return []
    db.session.flush()
    start = min(s.starts_at for s in sessions)
    end = max(s.ends_at for s in sessions)
    candidates = _active_sessions_between(start, end)
    invitees = effective_invitees(candidates)
    wanted = set(person_ids) if person_ids is not None else None
    by_person: dict[int, list[MeetingSession]] = defaultdict(list)
    for cand in candidates:
        for inv in invitees.get(cand.id, []):
            by_person[inv.person_id].append(cand)
    mine = {s.id for s in sessions}
    pairs = [(person_id, a, b) for person_id, attended in by_person.items()
             if wanted is None or person_id in wanted
             for a, b in _overlapping_pairs(attended, mine)]  # fmt: skip
    if not pairs:
        return []
    people = people_by_id(p for p, _a, _b in pairs)
    return [Clash(people[p], a, b) for p, a, b in pairs]


def _overlapping_pairs(attended: list[MeetingSession],
                       mine: set[int]) -> list[tuple[MeetingSession, MeetingSession]]:  # fmt: skip
    """The overlapping pairs of one person's sessions that involve one of ``mine``, as (mine,
    other). Once sorted by start, a session overlaps only the later ones that start before it ends."""
    attended.sort(key=lambda s: (s.starts_at, s.id))
    pairs = []
    for i, a in enumerate(attended):
        for b in attended[i + 1:]:
            if b.starts_at >= a.ends_at:
                break
            if a.id in mine:
                pairs.append((a, b))
            elif b.id in mine:
                pairs.append((b, a))
    return pairs


def people_by_id(ids: Iterable[int]) -> dict[int, Person]:
    ids = set(ids)
    if not ids:
        return {}
    """The people, in name order for the page's language (dicts keep it)."""
    query = sa.select(Person).where(Person.id.in_(ids)).order_by(*name_order(Person), Person.id)
    return {p.id: p for p in db.session.scalars(query)}


# --- meetings ----------------------------------------------------------------------------------


def meetings_page(status: str | None, page: int, per_page: int = 25) -> Page:
    query = sa.select(Meeting).order_by(Meeting.starts_on.desc(), Meeting.id.desc())
    if status:
        query = query.where(Meeting.status == MeetingStatus(status))
    return paginate(query, page, per_page)


def meeting_sessions(meeting: Meeting) -> list[MeetingSession]:
    """The sessions of a meeting with what the meeting pages show, in a fixed number of queries."""
    query = (
        sa.select(MeetingSession)
        .where(MeetingSession.meeting_id == meeting.id)
        .order_by(MeetingSession.starts_at, MeetingSession.id)
        .options(
            selectinload(MeetingSession.covered_units),
            joinedload(MeetingSession.chair),
            joinedload(MeetingSession.district),
            selectinload(MeetingSession.agenda_items).selectinload(AgendaItem.presenter),
        )
    )
    return list(db.session.scalars(query))


@dataclass
class SessionView:
    session: MeetingSession
    invitees: list[tuple[Invitee, Person]]

    def of_kind(self, *kinds: InvitationKind) -> list[Person]:
        return [p for inv, p in self.invitees if inv.kind in kinds]

    @property
    def reviewers(self) -> list[Person]:
        return self.of_kind(InvitationKind.REVIEWER)

    @property
    def presidents(self) -> list[Person]:
        return self.of_kind(InvitationKind.INVITEE)


def session_views(sessions: Sequence[MeetingSession]) -> list[SessionView]:
    invitees = effective_invitees(sessions)
    people = people_by_id(inv.person_id for invs in invitees.values() for inv in invs)
    rank = {person_id: i for i, person_id in enumerate(people)}  # name order, from the database
    views = []
    for s in sessions:
        pairs = [(inv, people[inv.person_id]) for inv in invitees.get(s.id, []) if inv.person_id in people]
        pairs.sort(key=lambda pair: (_KIND_ORDER.get(pair[0].kind, 9), rank[pair[1].id]))
        views.append(SessionView(s, pairs))
    return views


_KIND_ORDER = {InvitationKind.CHAIR: 0, InvitationKind.DAIS: 1, InvitationKind.REVIEWER: 2,
               InvitationKind.INVITEE: 3, InvitationKind.GUEST: 4, InvitationKind.WALK_IN: 5}


@dataclass
class TimetableDay:
    day: date
    group_sessions: list[SessionView]
    times: list[datetime]  # start times of the one-to-ones (local)
    columns: list[tuple[int, ...]]  # reviewer id tuples, one column per reviewer stream
    column_people: dict[tuple[int, ...], list[Person]]
    cells: dict[tuple[datetime, tuple[int, ...]], SessionView]
    one_to_ones: list[SessionView]


def timetable(meeting: Meeting) -> list[TimetableDay]:
    """Days × time: the group sessions and, per reviewer stream, the one-to-one slots."""
    views = session_views(meeting_sessions(meeting))
    days: dict[date, TimetableDay] = {}
    for view in views:
        s = view.session
        d = session_date(s)
        day = days.setdefault(d, TimetableDay(d, [], [], [], {}, {}, []))
        if s.kind == SessionKind.GROUP:
            day.group_sessions.append(view)
            continue
        day.one_to_ones.append(view)
        column = tuple(sorted(p.id for p in view.reviewers))
        if column not in day.column_people:
            day.columns.append(column)
            day.column_people[column] = view.reviewers
        start = to_local(s.starts_at)
        if start not in day.times:
            day.times.append(start)
        day.cells[(start, column)] = view
    for day in days.values():
        day.times.sort()
    return [days[d] for d in sorted(days)]


# --- my agenda ---------------------------------------------------------------------------------


@dataclass
class AgendaEntry:
    invitation: Invitation
    session: MeetingSession
    companions: list[Invitation]  # one-to-one: the others; group: others from the same division

    @property
    def replies_open(self) -> bool:
        """May the invitee still answer (RSVP)? Until the session starts; not a walk-in."""
        return (self.session.status == SessionStatus.SCHEDULED and now_utc() < self.session.starts_at
                and self.invitation.kind != InvitationKind.WALK_IN)


def agenda_for(person: Person, past: bool = False, limit: int = 50) -> list[AgendaEntry]:
    """A person's sessions in published meetings: upcoming ones (or past ones), in time order."""
    now = now_utc()
    query = _agenda_query(person)
    if past:
        query = query.where(MeetingSession.ends_at < now).order_by(MeetingSession.starts_at.desc())
    else:
        query = query.where(MeetingSession.ends_at >= now).order_by(MeetingSession.starts_at)
    return _agenda_entries(list(db.session.scalars(query.limit(limit))))


def agenda_entry(person: Person, session_id: int) -> AgendaEntry | None:
    """One session of the person's agenda (past or upcoming), or None when it is not on their agenda."""
    query = _agenda_query(person).where(MeetingSession.id == session_id).order_by(Invitation.kind, Invitation.id)
    entries = _agenda_entries(list(db.session.scalars(query.limit(1))))
    return entries[0] if entries else None


def _agenda_query(person: Person) -> sa.Select:
    return (
        sa.select(Invitation)
        .join(MeetingSession, Invitation.session_id == MeetingSession.id)
        .join(Meeting, MeetingSession.meeting_id == Meeting.id)
        .where(Invitation.person_id == person.id, Meeting.published_at.is_not(None),
               Meeting.status != MeetingStatus.CANCELLED)
        .options(
            # Many-to-one in the same query; the two collections in one query each.
            joinedload(Invitation.unit),
            joinedload(Invitation.reply),
            joinedload(Invitation.session).joinedload(MeetingSession.meeting),
            joinedload(Invitation.session).joinedload(MeetingSession.chair),
            joinedload(Invitation.session).joinedload(MeetingSession.district),
            joinedload(Invitation.session).selectinload(MeetingSession.covered_units),
            joinedload(Invitation.session).selectinload(MeetingSession.agenda_items)
            .joinedload(AgendaItem.presenter),
        )
    )


def _agenda_entries(invitations: list[Invitation]) -> list[AgendaEntry]:
    companions = _companions(invitations)
    return [AgendaEntry(inv, inv.session, companions.get(inv.id, [])) for inv in invitations]


def _companions(invitations: Sequence[Invitation]) -> dict[int, list[Invitation]]:
    """For each invitation: who else comes (one-to-one: everyone; group: the same division)."""
    if not invitations:
        return {}
    my_division = {inv.id: (inv.unit.parent_id if inv.unit is not None and inv.unit.level == UnitLevel.DISTRICT
                            else inv.unit_id) for inv in invitations}
    session_ids = [inv.session_id for inv in invitations]
    divisions = {d for d in my_division.values() if d is not None}
    unit = sa.orm.aliased(Unit)
    query = (
        sa.select(Invitation)
        .join(MeetingSession, Invitation.session_id == MeetingSession.id)
        .outerjoin(unit, Invitation.unit_id == unit.id)
        .where(Invitation.session_id.in_(session_ids),
               sa.or_(MeetingSession.kind == SessionKind.ONE_TO_ONE,
                      unit.parent_id.in_(divisions), unit.id.in_(divisions),
                      Invitation.kind.in_([InvitationKind.CHAIR, InvitationKind.DAIS])))
        .options(joinedload(Invitation.person), joinedload(Invitation.unit))
        .order_by(Invitation.kind, Invitation.id)
    )
    by_session: dict[int, list[Invitation]] = defaultdict(list)
    for other in db.session.scalars(query):
        by_session[other.session_id].append(other)
    result: dict[int, list[Invitation]] = {}
    for inv in invitations:
        division = my_division[inv.id]
        result[inv.id] = [
            o for o in by_session.get(inv.session_id, [])
            if o.person_id != inv.person_id and (
                inv.session.kind == SessionKind.ONE_TO_ONE
                or o.kind in (InvitationKind.CHAIR, InvitationKind.DAIS)
                or (o.unit is not None and division is not None and division in (o.unit.parent_id, o.unit_id)))
        ]
    return result


def active_feed(person_id: int) -> CalendarFeed | None:
    return db.session.scalar(sa.select(CalendarFeed).where(CalendarFeed.person_id == person_id,
                                                           CalendarFeed.revoked_at.is_(None))
                             .order_by(CalendarFeed.id.desc()).limit(1))


def feed_invitations(person_id: int, since: datetime) -> list[Invitation]:
    """A person's invitations in published meetings (cancelled ones too, so calendars drop them)."""
    query = (
        sa.select(Invitation)
        .join(MeetingSession, Invitation.session_id == MeetingSession.id)
        .join(Meeting, MeetingSession.meeting_id == Meeting.id)
        .where(Invitation.person_id == person_id, Meeting.published_at.is_not(None),
               MeetingSession.ends_at >= since)
        .options(selectinload(Invitation.session).selectinload(MeetingSession.meeting),
                 selectinload(Invitation.session).selectinload(MeetingSession.chair))
        .order_by(MeetingSession.starts_at)
    )
    return list(db.session.scalars(query))


# --- what publishing will send ---------------------------------------------------------------------


@dataclass
class PublishNotice:
    """What publishing a meeting now will and will not send (see tracker.reminders: publishing
    queues one invitation per invitee with their sessions, and each session's day-before and
    same-day reminders whose time has not passed)."""

    upcoming_people: int  # invitees of sessions still to come: each gets an invitation
    started: list[MeetingSession]  # begun or over: no invitation or reminder is of use
    no_day_before: list[MeetingSession]  # too near for the day-before reminder
    no_same_day: list[MeetingSession]  # too near for the same-day reminder
    day_before_minutes: int
    same_day_minutes: int

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.started or self.no_day_before or self.no_same_day)


def _reminder_offsets(meeting: Meeting) -> tuple[int, int]:
    """Minutes before a session's start that its day-before and same-day reminders go out, as the domain
    that sends them answers (tracker/meetings/signals.py); (0, 0), nothing to miss, when none does."""
    for _receiver, offsets in signals.reminder_offsets.send(meeting):
        if offsets is not None:
            return offsets
    return 0, 0


def publish_notice(meeting: Meeting, now: datetime) -> PublishNotice:
    sessions = [s for s in meeting_sessions(meeting) if s.status == SessionStatus.SCHEDULED]
    day_before, same_day = _reminder_offsets(meeting)
    started = [s for s in sessions if s.starts_at <= now]
    ahead = [s for s in sessions if s.starts_at > now]

    def too_near(minutes: int) -> list[MeetingSession]:
        return [s for s in ahead if minutes > 0 and s.starts_at - timedelta(minutes=minutes) <= now]

    people = {person.id for view in session_views(ahead) for _inv, person in view.invitees} if ahead else set()
    return PublishNotice(upcoming_people=len(people), started=started, no_day_before=too_near(day_before),
                         no_same_day=too_near(same_day), day_before_minutes=day_before, same_day_minutes=same_day)
