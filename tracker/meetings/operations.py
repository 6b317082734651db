"""Business rules of meetings, sessions, agendas and invitations.

Every function flushes but never commits: the request transaction (:mod:`tracker.core.transaction`),
CLI command or job commits once. A refused change raises :class:`MeetingError` (message in the user's
language) *after* it may have touched the session, so the caller rolls back on error (the request
transaction does so for a view).

Nobody may be invited to two overlapping sessions (of meetings that are not cancelled): every
change that adds people or moves a session is checked with :func:`queries.find_clashes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import force_locale

from tracker.audit.operations import record
from tracker.core.errors import DomainError
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, fmt_date, fmt_time, localized
from tracker.meetings import queries, signals
from tracker.meetings.models import (
    AgendaItem,
    Invitation,
    InvitationKind,
    Meeting,
    MeetingPurpose,
    MeetingSession,
    MeetingStatus,
    SessionKind,
    SessionStatus,
)
from tracker.timeutil import local_to_utc, now_utc, to_local


class MeetingError(DomainError):
    """A refused change; ``message`` is for the user, already translated."""


# --- labels ------------------------------------------------------------------------------------


def session_label(session: MeetingSession) -> str:
    """The session's title in the current language, or a description when it has none."""
    title = localized(session, "title")
    if title:
        return title
    if session.kind == SessionKind.ONE_TO_ONE and session.district is not None:
        return _("One-to-one review: %(district)s", district=localized(session.district))
    units = [localized(u) for u in session.covered_units]
    return ", ".join(units) or str(session.kind.title)


def both_languages(message: str, **params) -> tuple[str, str]:
    """A catalog message rendered in Hindi and in English (for titles stored in both)."""
    out = []
    for locale in ("hi", "en"):
        with force_locale(locale):
            out.append(_(message, **params))
    return out[0], out[1]


def clash_message(clash: queries.Clash) -> str:
    other = clash.other
    start, end = to_local(other.starts_at), to_local(other.ends_at)
    return _("%(person)s is already invited to “%(session)s” (%(meeting)s) on %(date)s, %(start)s–%(end)s.",
             person=localized(clash.person), session=session_label(other), meeting=localized(other.meeting, "title"),
             date=fmt_date(start.date(), "d MMMM y"), start=fmt_time(start, "HH:mm"), end=fmt_time(end, "HH:mm"))


def check_clashes(sessions: Iterable[MeetingSession], person_ids: Iterable[int] | None = None) -> None:
    clashes = queries.find_clashes(list(sessions), person_ids)
    if clashes:
        messages = list(dict.fromkeys(clash_message(c) for c in clashes))
        if len(messages) > 3:
            messages = messages[:3] + [_("… and %(count)s more clashes.", count=len(messages) - 3)]
        raise MeetingError(" ".join(messages))


# --- meetings ----------------------------------------------------------------------------------

MEETING_FIELDS = ("title_hi", "title_en", "purpose", "campaign_id", "host_unit_id", "venue", "starts_on",
                  "ends_on", "description")


def _require_editable(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.COMPLETED):
        raise MeetingError(_("This meeting is %(status)s and can no longer be changed.",
                             status=meeting.status.title.lower()))


def _apply_meeting(meeting: Meeting, data: Mapping) -> None:
    for key in MEETING_FIELDS:
        if key in data:
            value = data[key]
            if key in ("title_hi", "title_en", "venue", "description"):
                value = (value or "").strip()
            if key == "purpose":
                value = MeetingPurpose(value)
            setattr(meeting, key, value)
    if not (meeting.title_hi or meeting.title_en):
        raise MeetingError(_("Give the meeting a title (in Hindi or English)."))
    meeting.title_hi = meeting.title_hi or meeting.title_en
    meeting.title_en = meeting.title_en or meeting.title_hi
    if meeting.starts_on is None or meeting.ends_on is None:
        raise MeetingError(_("Give the first and the last date of the meeting."))
    if meeting.ends_on < meeting.starts_on:
        raise MeetingError(_("The last date cannot be before the first date."))


def create_meeting(data: Mapping) -> Meeting:
    meeting = Meeting(status=MeetingStatus.DRAFT, purpose=MeetingPurpose.REVIEW, venue="", description="")
    _apply_meeting(meeting, data)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting: Meeting, data: Mapping) -> Meeting:
    _require_editable(meeting)
    _apply_meeting(meeting, data)
    outside = [s for s in meeting.sessions if s.status == SessionStatus.SCHEDULED
               and not meeting.starts_on <= queries.session_date(s) <= meeting.ends_on]
    if outside:
        raise MeetingError(_("“%(session)s” on %(date)s would fall outside the meeting's dates: move it first.",
                             session=session_label(outside[0]),
                             date=fmt_date(queries.session_date(outside[0]), "d MMMM y")))
    db.session.flush()
    return meeting


def publish_meeting(meeting: Meeting) -> Meeting:
    """Freeze the derived invitations into rows (each with its pass) and publish."""
    if meeting.status != MeetingStatus.DRAFT:
        raise MeetingError(_("Only a draft meeting can be published."))
    sessions = [s for s in meeting.sessions if s.status == SessionStatus.SCHEDULED]
    if not sessions:
        raise MeetingError(_("Add at least one session before publishing the meeting."))
    check_clashes(sessions)
    derived = queries.derived_invitees(sessions)
    rows = queries.invitation_rows([s.id for s in sessions])
    for s in sessions:
        have = {inv.person_id for inv in rows.get(s.id, [])}
        for inv in derived.get(s.id, []):
            if inv.person_id not in have:
                have.add(inv.person_id)
                db.session.add(Invitation(session=s, person_id=inv.person_id, kind=inv.kind, unit_id=inv.unit_id))
    db.session.flush()
    issued = now_utc()
    for inv in db.session.scalars(sa.select(Invitation).where(
            Invitation.session_id.in_([s.id for s in sessions]), Invitation.pass_issued_at.is_(None),
            Invitation.pass_revoked_at.is_(None))):
        inv.pass_issued_at = issued
    meeting.status = MeetingStatus.PUBLISHED
    meeting.published_at = now_utc()
    db.session.flush()
    record(db.session, "meetings", meeting.id, "publish")
    signals.meeting_published.send(meeting)
    return meeting


def complete_meeting(meeting: Meeting) -> Meeting:
    if meeting.status != MeetingStatus.PUBLISHED:
        raise MeetingError(_("Only a published meeting can be marked as completed."))
    meeting.status = MeetingStatus.COMPLETED
    db.session.flush()
    return meeting


def cancel_meeting(meeting: Meeting) -> Meeting:
    _require_editable(meeting)
    was_published = queries.is_frozen(meeting)
    meeting.status = MeetingStatus.CANCELLED
    for s in meeting.sessions:
        if s.status == SessionStatus.SCHEDULED:
            s.status = SessionStatus.CANCELLED
            s.sequence += 1
    db.session.flush()
    record(db.session, "meetings", meeting.id, "cancel")
    if was_published:
        for s in meeting.sessions:
            signals.session_cancelled.send(s)
    return meeting


# --- sessions ----------------------------------------------------------------------------------


def _people(ids: Iterable[int | None]) -> list[int]:
    wanted = [i for i in dict.fromkeys(ids) if i is not None]
    if not wanted:
        return []
    with db.session.no_autoflush:
        found = set(db.session.scalars(sa.select(Person.id).where(Person.id.in_(wanted))))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise MeetingError(_("There is no person with the number %(id)s in the directory.", id=missing[0]))
    return wanted


def _times(meeting: Meeting, data: Mapping) -> tuple[datetime, datetime]:
    day: date = data["day"]
    start: time = data["start"]
    end: time = data["end"]
    if not meeting.starts_on <= day <= meeting.ends_on:
        raise MeetingError(_("The session must be on one of the meeting's dates (%(first)s to %(last)s).",
                             first=fmt_date(meeting.starts_on, "d MMMM y"),
                             last=fmt_date(meeting.ends_on, "d MMMM y")))
    if end <= start:
        raise MeetingError(_("The session must end after it starts."))
    return local_to_utc(day, start), local_to_utc(day, end)


def _units(ids: Iterable[int]) -> list[Unit]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    with db.session.no_autoflush:
        units = list(db.session.scalars(sa.select(Unit).where(Unit.id.in_(ids))))
    if len(units) != len(ids):
        raise MeetingError(_("One of the chosen units does not exist."))
    return units


def _apply_session(session: MeetingSession, data: Mapping) -> None:
    for key in ("title_hi", "title_en", "room", "what_to_bring_hi", "what_to_bring_en"):
        if key in data:
            setattr(session, key, (data[key] or "").strip())
    if "self_checkin_enabled" in data:
        session.self_checkin_enabled = bool(data["self_checkin_enabled"])
    if "kind" in data:
        session.kind = SessionKind(data["kind"])
    if "covered_unit_ids" in data:
        session.covered_units = _units(data["covered_unit_ids"] or [])
    if "district_unit_id" in data:
        session.district_unit_id = data["district_unit_id"] or None
    if "chair_person_id" in data:
        session.chair_person_id = (_people([data["chair_person_id"]]) or [None])[0]
    if session.kind == SessionKind.ONE_TO_ONE:
        district = db.session.get(Unit, session.district_unit_id) if session.district_unit_id else None
        if district is None or district.level != UnitLevel.DISTRICT:
            raise MeetingError(_("A one-to-one review needs the district it reviews."))
    else:
        session.district_unit_id = None


def _sync_rows(session: MeetingSession, kind: InvitationKind, person_ids: list[int]) -> None:
    """Make the session's explicit rows of one kind be exactly these people."""
    frozen = queries.is_frozen(session.meeting)
    existing = {inv.person_id: inv for inv in session.invitations}
    for inv in list(session.invitations):
        if inv.kind == kind and inv.person_id not in person_ids:
            _remove_invitation(session, inv, frozen)
    for person_id in person_ids:
        inv = existing.get(person_id)
        if inv is None:
            _add_invitation(session, person_id, kind, None, frozen)
        elif inv.kind in (InvitationKind.INVITEE, InvitationKind.GUEST, InvitationKind.WALK_IN):
            inv.kind = kind


def _add_invitation(session: MeetingSession, person_id: int, kind: InvitationKind, unit_id: int | None,
                    frozen: bool) -> Invitation:
    inv = Invitation(session=session, person_id=person_id, kind=kind, unit_id=unit_id,
                     pass_issued_at=now_utc() if frozen else None)
    db.session.add(inv)
    return inv


def _remove_invitation(session: MeetingSession, inv: Invitation, frozen: bool) -> None:
    person = inv.person
    session.invitations.remove(inv)
    db.session.delete(inv)
    if frozen:
        db.session.flush()
        signals.invitation_removed.send(session, person=person)


def _sync_explicit(session: MeetingSession, data: Mapping) -> list[int]:
    """Chair, dais and reviewers as rows; returns the ids of people newly named."""
    before = {inv.person_id for inv in session.invitations}
    if "chair_person_id" in data:
        _sync_rows(session, InvitationKind.CHAIR, [session.chair_person_id] if session.chair_person_id else [])
    if "dais_person_ids" in data:
        _sync_rows(session, InvitationKind.DAIS, _people(data["dais_person_ids"] or []))
    if "reviewer_person_ids" in data:
        _sync_rows(session, InvitationKind.REVIEWER, _people(data["reviewer_person_ids"] or []))
    return [inv.person_id for inv in session.invitations if inv.person_id not in before]


def _signal_added(session: MeetingSession, person_ids: Iterable[int]) -> None:
    if not queries.is_frozen(session.meeting):
        return
    wanted = set(person_ids)
    for inv in session.invitations:
        if inv.person_id in wanted:
            signals.invitation_added.send(inv)


def _build_session(meeting: Meeting, data: Mapping) -> tuple[MeetingSession, list[int]]:
    """Add a session; returns it and the people newly invited by name.
    ``data``: kind, day, start, end (local), room, titles, chair_person_id, dais_person_ids,
    covered_unit_ids, district_unit_id, reviewer_person_ids, what_to_bring_*."""
    _require_editable(meeting)
    starts_at, ends_at = _times(meeting, data)
    session = MeetingSession(meeting=meeting, kind=SessionKind(data.get("kind", SessionKind.GROUP)),
                             starts_at=starts_at, ends_at=ends_at, room="", title_hi="", title_en="",
                             status=SessionStatus.SCHEDULED, sequence=0)
    db.session.add(session)
    _apply_session(session, data)
    added = _sync_explicit(session, data)
    if queries.is_frozen(meeting):
        _freeze_session(session)
        added = [inv.person_id for inv in session.invitations]
    db.session.flush()
    return session, added


def build_session(meeting: Meeting, data: Mapping) -> MeetingSession:
    """Add a session without the clash check (callers adding many check them all at once)."""
    return _build_session(meeting, data)[0]


def add_session(meeting: Meeting, data: Mapping) -> MeetingSession:
    """Add a session (see :func:`_build_session`); refused when someone would be double-booked."""
    session, added = _build_session(meeting, data)
    check_clashes([session])
    _signal_added(session, added)
    return session


def _freeze_session(session: MeetingSession) -> None:
    """A session added to a published meeting gets its derived invitations as rows at once."""
    have = {inv.person_id for inv in session.invitations}
    for inv in queries.derived_invitees([session], include_frozen=True).get(session.id, []):
        if inv.person_id not in have:
            have.add(inv.person_id)
            _add_invitation(session, inv.person_id, inv.kind, inv.unit_id, True)


def _change_session(session: MeetingSession, data: Mapping) -> tuple[list[int], tuple | None]:
    """Apply changes without the clash check; returns the people newly named and, when the session
    moved, its old (start, end)."""
    meeting = session.meeting
    _require_editable(meeting)
    if session.status == SessionStatus.CANCELLED:
        raise MeetingError(_("This session is cancelled."))
    old = (session.starts_at, session.ends_at, session.room)
    old_units = {u.id for u in session.covered_units}
    if {"day", "start", "end"} <= set(data):
        session.starts_at, session.ends_at = _times(meeting, data)
    _apply_session(session, data)
    added = _sync_explicit(session, data)
    if queries.is_frozen(meeting) and data.get("resync_derived") and old_units != {u.id for u in session.covered_units}:
        added += _resync_derived(session)
    moved = (session.starts_at, session.ends_at, session.room) != old
    if moved:
        session.sequence += 1
    db.session.flush()
    return added, (old[0], old[1]) if moved else None


def _resync_derived(session: MeetingSession) -> list[int]:
    """A published session whose covered units changed (re-planning): invite the new derived people
    and drop the derived rows (invitees, responsible in-charges) that no longer apply."""
    derived = {inv.person_id: inv for inv in
               queries.derived_invitees([session], include_frozen=True).get(session.id, [])}
    for inv in list(session.invitations):
        if inv.kind in (InvitationKind.INVITEE, InvitationKind.REVIEWER) and inv.person_id not in derived:
            _remove_invitation(session, inv, True)
    have = {inv.person_id for inv in session.invitations}
    added = [p for p in derived if p not in have]
    for person_id in added:
        _add_invitation(session, person_id, derived[person_id].kind, derived[person_id].unit_id, True)
    return added


def _announce(session: MeetingSession, added: list[int], old: tuple | None) -> None:
    _signal_added(session, added)
    if old is not None and queries.is_frozen(session.meeting):
        signals.session_changed.send(session, old_starts_at=old[0], old_ends_at=old[1])


def update_session(session: MeetingSession, data: Mapping) -> MeetingSession:
    """Change a session (same keys as :func:`add_session`). Moving it bumps its ``sequence``."""
    added, old = _change_session(session, data)
    check_clashes([session])
    _announce(session, added, old)
    return session


def change_sessions(changes: list[tuple[MeetingSession, Mapping]], new: list[Mapping] | None = None,
                    meeting: Meeting | None = None) -> list[MeetingSession]:
    """Change several sessions (and add new ones to ``meeting``) as one step: the clash check runs
    once at the end, so sessions may trade places. ``data`` may carry ``resync_derived`` to make a
    published session's invitations follow its new covered units. Returns the new sessions."""
    pending = [(session, *_change_session(session, data)) for session, data in changes]
    created = []
    for data in new or []:
        session, added = _build_session(meeting, data)
        created.append(session)
        pending.append((session, added, None))
    check_clashes([session for session, _added, _old in pending])
    for session, added, old in pending:
        _announce(session, added, old)
    return created


def move_session(session: MeetingSession, starts_at: datetime, ends_at: datetime,
                 room: str | None = None) -> MeetingSession:
    """Move a session to new (aware) times and optionally another room; refused on a clash."""
    local = to_local(starts_at)
    data = {"day": local.date(), "start": local.time(), "end": to_local(ends_at).time()}
    if to_local(ends_at).date() != local.date():
        raise MeetingError(_("A session must start and end on the same day."))
    if room is not None:
        data["room"] = room
    return update_session(session, data)


def cancel_session(session: MeetingSession) -> MeetingSession:
    _require_editable(session.meeting)
    if session.status == SessionStatus.CANCELLED:
        return session
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    db.session.flush()
    record(db.session, "meeting_sessions", session.id, "cancel")
    if queries.is_frozen(session.meeting):
        signals.session_cancelled.send(session)
    return session


# --- invitations -------------------------------------------------------------------------------


def invite_person(session: MeetingSession, person: Person, kind: InvitationKind = InvitationKind.GUEST,
                  unit: Unit | None = None) -> Invitation:
    """Name someone for a session (a guest, or anyone after publication); refused on a clash."""
    _require_editable(session.meeting)
    if session.status == SessionStatus.CANCELLED:
        raise MeetingError(_("This session is cancelled."))
    if any(inv.person_id == person.id for inv in session.invitations):
        raise MeetingError(_("%(person)s is already invited to this session.", person=localized(person)))
    frozen = queries.is_frozen(session.meeting)
    inv = _add_invitation(session, person.id, InvitationKind(kind), getattr(unit, "id", None), frozen)
    db.session.flush()
    check_clashes([session], [person.id])
    if frozen:
        signals.invitation_added.send(inv)
    return inv


def uninvite_person(session: MeetingSession, person: Person) -> None:
    """Remove someone's invitation row. Before publication only named people (guests, dais,
    reviewers) have rows; derived invitees follow the covered units."""
    _require_editable(session.meeting)
    inv = next((i for i in session.invitations if i.person_id == person.id), None)
    if inv is None:
        raise MeetingError(_("%(person)s is not on this session's invitation list.", person=localized(person)))
    if inv.kind == InvitationKind.CHAIR:
        session.chair_person_id = None
    _remove_invitation(session, inv, queries.is_frozen(session.meeting))
    db.session.flush()


# --- agenda ------------------------------------------------------------------------------------


def _apply_item(item: AgendaItem, data: Mapping) -> None:
    item.title_hi = (data.get("title_hi") or "").strip()
    item.title_en = (data.get("title_en") or "").strip()
    if not (item.title_hi or item.title_en):
        raise MeetingError(_("Give the agenda item a title."))
    item.presenter_person_id = (_people([data.get("presenter_person_id")]) or [None])[0]
    minutes = data.get("minutes")
    if minutes is not None and minutes <= 0:
        raise MeetingError(_("The minutes must be a positive number."))
    item.minutes = minutes


def add_agenda_item(session: MeetingSession, data: Mapping) -> AgendaItem:
    _require_editable(session.meeting)
    position = max((i.position for i in session.agenda_items), default=0) + 1
    item = AgendaItem(position=position)
    with db.session.no_autoflush:
        _apply_item(item, data)
    item.session = session
    db.session.add(item)
    db.session.flush()
    return item


def update_agenda_item(item: AgendaItem, data: Mapping) -> AgendaItem:
    _require_editable(item.session.meeting)
    _apply_item(item, data)
    db.session.flush()
    return item


def delete_agenda_item(item: AgendaItem) -> None:
    session = item.session
    _require_editable(session.meeting)
    session.agenda_items.remove(item)
    db.session.delete(item)
    _renumber(sorted(session.agenda_items, key=lambda i: (i.position, i.id)))
    db.session.flush()


def move_agenda_item(item: AgendaItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) in its session's agenda."""
    session = item.session
    _require_editable(session.meeting)
    items = sorted(session.agenda_items, key=lambda i: (i.position, i.id))
    index = items.index(item)
    target = max(0, min(len(items) - 1, index + offset))
    items.insert(target, items.pop(index))
    _renumber(items)
    db.session.flush()


def reorder_agenda(session: MeetingSession, item_ids: list[int]) -> None:
    _require_editable(session.meeting)
    by_id = {i.id: i for i in session.agenda_items}
    if sorted(item_ids) != sorted(by_id):
        raise MeetingError(_("The agenda changed meanwhile; reload the page and try again."))
    _renumber([by_id[i] for i in item_ids])
    db.session.flush()


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position
