"""Business rules of attendance. Operations flush (or execute), never commit.

Marking is an upsert, ``INSERT … ON CONFLICT (session_id, person_id) DO UPDATE``, with an explicit
state (never a toggle): two coordinators marking the same person at once leave one record, the later
mark wins, and a request retried after a lost response changes nothing. The upsert bypasses the ORM
flush, so every change records its audit entry itself (who, when, old → new).

A refusal raises :class:`AttendanceError` with a message in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from tracker.attendance import passcodes, window
from tracker.attendance.models import MARK_FIELDS, Attendance, AttendanceStatus
from tracker.audit.operations import record, record_many
from tracker.core.errors import DomainError
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, fmt_time, localized
from tracker.meetings.models import Invitation, InvitationKind, MeetingSession, invitation_id_of_pass
from tracker.timeutil import local_to_utc, now_utc, to_local

TABLE = Attendance.__table__
# A second scan of someone already in the room changes nothing.
ALREADY_IN = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
PASS_PATH = "/pass/"


class AttendanceError(DomainError):
    """A refused attendance change; the message is for the user."""


@dataclass(frozen=True)
class Mark:
    """The state to record for one person (explicit: marking twice gives the same result)."""

    status: AttendanceStatus
    late_at: datetime | None = None
    represented_by_person_id: int | None = None
    represented_by_name: str = ""
    note: str = ""

    def __post_init__(self):
        object.__setattr__(self, "status", AttendanceStatus(self.status))
        object.__setattr__(self, "represented_by_name", (self.represented_by_name or "").strip()[:200])
        object.__setattr__(self, "note", (self.note or "").strip())
        if self.status != AttendanceStatus.LATE:
            object.__setattr__(self, "late_at", None)
        if self.status != AttendanceStatus.REPRESENTED:
            object.__setattr__(self, "represented_by_person_id", None)
            object.__setattr__(self, "represented_by_name", "")

    def validate(self) -> None:
        if self.status == AttendanceStatus.LATE and self.late_at is None:
            raise AttendanceError(_("Give the time the person arrived."))
        if self.status == AttendanceStatus.REPRESENTED and not (
            self.represented_by_person_id or self.represented_by_name
        ):
            raise AttendanceError(_("Choose the representative from the directory or type their name."))

    def values(self) -> dict:
        return {
            "status": self.status,
            "late_at": self.late_at,
            "represented_by_person_id": self.represented_by_person_id,
            "represented_by_name": self.represented_by_name,
            "note": self.note,
        }


def arrival_on_session_day(session_starts_at: datetime, arrived: time) -> datetime:
    """A late arrival's typed wall-clock time (the roster's form, a phone's queue) on the session's local
    day, as an instant."""
    return local_to_utc(to_local(session_starts_at).date(), arrived)


@dataclass
class MarkResult:
    attendance_id: int
    person_id: int
    version: int
    created: bool
    changed: bool
    status: AttendanceStatus
    old: dict | None = None
    changes: dict = field(default_factory=dict)


# --- guards ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperSheet:
    """Marks copied from a paper sheet after the marking window closed: recorded as entered later, with
    the reason given for the sheet (required of a coordinator, see :mod:`tracker.attendance.paper`)."""

    reason: str = ""


def require_window(session: MeetingSession, *, paper_sheet: PaperSheet | None = None,
                   at: datetime | None = None) -> None:
    """Refuse a mark before the marking window opens; after it closes, refuse all but a paper sheet's.

    ``at``: when the mark was made (a phone's queue): a mark made inside the window is kept even when it
    arrives after the window closed. A paper sheet is refused before the window has closed (the roster is
    the place then)."""
    state = window.marking_window(session).state(at) if at is not None else window.marking_window(session).state()
    if state == "not_yet":
        raise AttendanceError(window.not_yet_message(window.marking_window(session)))
    if state == "closed" and paper_sheet is None:
        raise AttendanceError(window.closed_message(window.marking_window(session)))
    if state == "open" and paper_sheet is not None:
        raise AttendanceError(_("Marking for this session is still open: mark on the roster."))


def locked_message(session: MeetingSession) -> str:
    return _("Attendance for this session was closed by the office at %(time)s. Ask an administrator to reopen it.",
             time=fmt_time(to_local(session.attendance_locked_at)) if session.attendance_locked_at else "—")


def require_open(session: MeetingSession) -> None:
    """Refuse when the session's attendance is locked.

    The lock time is read with ``FOR SHARE`` on PostgreSQL, so a lock committed by the office
    waits for marks in progress and no mark slips in after it (SQLite serializes writers anyway).
    """
    locked_at = db.session.execute(
        sa.select(MeetingSession.attendance_locked_at)
        .where(MeetingSession.id == session.id)
        .with_for_update(read=True)
    ).scalar_one()
    if locked_at is not None:
        session.attendance_locked_at = locked_at
        raise AttendanceError(locked_message(session))


def _require_invited(session: MeetingSession, person_id: int) -> None:
    found = db.session.scalar(
        sa.select(Invitation.id).where(Invitation.session_id == session.id, Invitation.person_id == person_id)
    )
    if found is None:
        raise AttendanceError(_("This person is not on the roster of this session. Add them as a walk-in first."))


# --- the upsert --------------------------------------------------------------------------------


def _differs(excluded) -> sa.ColumnElement[bool]:
    """True when the proposed mark is not the stored one (an identical mark is a no-op)."""
    return sa.not_(sa.and_(*(TABLE.c[name].is_not_distinct_from(excluded[name]) for name in Mark.__dataclass_fields__)))


INSERT_COLUMNS = ("session_id", "person_id", *Mark.__dataclass_fields__, "is_walk_in", "marked_by_user_id",
                  "marked_at", "version", "can_undo", "entered_later", "late_entry_reason")


def _dialect_insert():
    return (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)(TABLE)


def _on_conflict(insert, unless_already_in: bool, later_only: bool):
    """``ON CONFLICT (session_id, person_id) DO UPDATE`` when the proposed mark differs (and may win).

    ``later_only``: a stored mark made later than this one stays (last writer wins by the time the mark
    was made, for marks replayed from a phone's queue)."""
    excluded = insert.excluded
    assign = {name: excluded[name] for name in MARK_FIELDS}
    assign.update({f"prev_{name}": TABLE.c[name] for name in MARK_FIELDS})
    assign.update(version=TABLE.c.version + 1, can_undo=sa.true(),
                  is_walk_in=sa.or_(TABLE.c.is_walk_in, excluded.is_walk_in),
                  entered_later=excluded.entered_later, late_entry_reason=excluded.late_entry_reason)
    condition = _differs(excluded)
    if unless_already_in:
        condition = sa.and_(condition, TABLE.c.status.not_in([s.value for s in ALREADY_IN]))
    if later_only:
        condition = sa.and_(condition, TABLE.c.marked_at <= excluded.marked_at)
    return insert.on_conflict_do_update(
        index_elements=[TABLE.c.session_id, TABLE.c.person_id], set_=assign, where=condition
    ).returning(TABLE.c.id, TABLE.c.version, *(TABLE.c[f"prev_{name}"] for name in MARK_FIELDS))


@lru_cache(maxsize=8)
def _upsert_statement(dialect: str, unless_already_in: bool, later_only: bool = False):
    """The upsert, built once per dialect (building ``excluded`` costs more than running it)."""
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(TABLE).values(
        {name: sa.bindparam(name, type_=TABLE.c[name].type) for name in INSERT_COLUMNS}
    )
    return _on_conflict(insert, unless_already_in, later_only)


def _upsert(session_id: int, person_id: int, mark: Mark, user_id: int | None, *, is_walk_in: bool,
            unless_already_in: bool, paper_sheet: PaperSheet | None = None, at: datetime | None = None):
    values = {"session_id": session_id, "person_id": person_id, **mark.values(), "is_walk_in": is_walk_in,
              "marked_by_user_id": user_id, "marked_at": at or now_utc(), "version": 1, "can_undo": True,
              "entered_later": paper_sheet is not None, "late_entry_reason": paper_sheet.reason if paper_sheet else ""}
    statement = _upsert_statement(db.session.get_bind().dialect.name, unless_already_in, at is not None)
    return db.session.execute(statement, values).first()


def _current(session_id: int, person_id: int) -> Attendance | None:
    return db.session.execute(
        sa.select(Attendance).where(Attendance.session_id == session_id, Attendance.person_id == person_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def _audit_changes(old: dict | None, new: dict) -> dict:
    old = old or {}
    return {name: [old.get(name), value] for name, value in new.items()
            if old.get(name) != value and not (old.get(name) in (None, "") and value in (None, ""))}


def mark(session: MeetingSession, person_id: int, mark: Mark, user_id: int | None, *, is_walk_in: bool = False,
         unless_already_in: bool = False, invited: bool = False, lock_checked: bool = False,
         paper_sheet: PaperSheet | None = None, at: datetime | None = None) -> MarkResult:
    """Record a person's attendance at a session (an upsert), audited. Refused when locked, and outside
    the marking window (:func:`require_window`, judged at ``at`` when given) unless it comes from a
    ``paper_sheet`` entered later.

    ``at``: when the mark was made (a phone's queue, see :mod:`tracker.attendance.sync`); the stored
    mark then changes only if it was made no later (last writer wins). Default: now, always applied.

    ``invited`` / ``lock_checked``: the caller already knows the person is on the roster / read the
    session's lock as :func:`require_open` does, in this transaction (each saves a query).
    """
    require_window(session, paper_sheet=paper_sheet, at=at)
    mark.validate()
    if mark.represented_by_person_id is not None and db.session.get(Person, mark.represented_by_person_id) is None:
        raise AttendanceError(_("Choose the representative from the directory or type their name."))
    if not lock_checked:
        require_open(session)
    if not invited:
        _require_invited(session, person_id)
    row = _upsert(session.id, person_id, mark, user_id, is_walk_in=is_walk_in, unless_already_in=unless_already_in,
                  paper_sheet=paper_sheet, at=at)
    if row is None:  # identical mark, already in the room, or a later mark is stored: nothing changed
        current = _current(session.id, person_id)
        return MarkResult(current.id, person_id, current.version, created=False, changed=False,
                          status=current.status)
    attendance_id, version, *prev = row
    created = version == 1
    old = None if created else dict(zip(MARK_FIELDS, prev, strict=True))
    new = {**mark.values(), **({"is_walk_in": True} if is_walk_in and created else {}),
           **({"entered_later": True, "late_entry_reason": paper_sheet.reason} if paper_sheet else {})}
    changes = _audit_changes(old, new)
    record(db.session, Attendance.__tablename__, attendance_id, "create" if created else "update", changes)
    return MarkResult(attendance_id, person_id, version, created=created, changed=True, status=mark.status,
                      old=old, changes=changes)


def mark_many(session: MeetingSession, marks: dict[int, tuple[Mark, datetime]], user_id: int | None) -> set[int]:
    """Marks of many people on the roster at once (a phone's queue, :mod:`tracker.attendance.sync`), each
    with the time it was made: one upsert statement and one insert of the history entries. A stored mark
    made later stays. The caller read the lock and the roster. Returns the people whose record changed."""
    for each, _at in marks.values():
        each.validate()
    if not marks:
        return set()
    rows = [{"session_id": session.id, "person_id": person_id, **each.values(), "is_walk_in": False,
             "marked_by_user_id": user_id, "marked_at": at, "version": 1, "can_undo": True}
            for person_id, (each, at) in marks.items()]
    statement = _on_conflict(_dialect_insert().values(rows), unless_already_in=False, later_only=True)
    statement = statement.returning(TABLE.c.person_id)  # added to the returned columns
    entries, changed = [], set()
    for attendance_id, version, *prev, person_id in db.session.execute(statement):
        created = version == 1
        old = None if created else dict(zip(MARK_FIELDS, prev, strict=True))
        entries.append((attendance_id, "create" if created else "update",
                        _audit_changes(old, marks[person_id][0].values())))
        changed.add(person_id)
    record_many(db.session, Attendance.__tablename__, entries)
    return changed


def undo(session: MeetingSession, person_id: int, version: int) -> AttendanceStatus | None:
    """Go back to the state before the last change of this record.

    ``version`` is the version the user saw: if someone changed the record meanwhile, the undo is
    refused rather than silently undoing their change. Returns the restored status (None: unmarked).
    """
    require_window(session)
    require_open(session)
    current = _current(session.id, person_id)
    if current is None or not current.can_undo:
        raise AttendanceError(_("There is nothing to undo for this person."))
    if current.version != version:
        raise AttendanceError(_("Someone else changed this mark meanwhile; it now reads: %(status)s.",
                                status=current.status.title))
    before = {name: getattr(current, name) for name in MARK_FIELDS}
    if current.prev_status is None:
        db.session.execute(sa.delete(TABLE).where(TABLE.c.id == current.id, TABLE.c.version == version))
        record(db.session, Attendance.__tablename__, current.id, "delete", _audit_changes(before, {
            name: None for name in ("status", "late_at", "represented_by_person_id", "represented_by_name", "note")}))
        db.session.expunge(current)
        return None
    restored = {name: getattr(current, f"prev_{name}") for name in MARK_FIELDS}
    restored["represented_by_name"] = restored["represented_by_name"] or ""
    restored["note"] = restored["note"] or ""
    result = db.session.execute(
        sa.update(TABLE)
        .where(TABLE.c.id == current.id, TABLE.c.version == version)
        .values(**restored, **{f"prev_{name}": None for name in MARK_FIELDS}, version=version + 1, can_undo=False)
    )
    if result.rowcount != 1:
        raise AttendanceError(_("Someone else changed this mark meanwhile. Reload the roster."))
    record(db.session, Attendance.__tablename__, current.id, "update", _audit_changes(before, restored))
    db.session.expire(current)
    return AttendanceStatus(restored["status"])


# --- lock --------------------------------------------------------------------------------------


def lock(session: MeetingSession) -> None:
    """The office closes the session's attendance: no more marks until an admin reopens it."""
    if session.attendance_locked_at is not None:
        raise AttendanceError(_("Attendance for this session is already closed."))
    _set_locked(session, now_utc(), "lock")


def reopen(session: MeetingSession) -> None:
    if session.attendance_locked_at is None:
        raise AttendanceError(_("Attendance for this session is open."))
    _set_locked(session, None, "reopen")


def _set_locked(session: MeetingSession, value: datetime | None, action: str) -> None:
    old = session.attendance_locked_at
    # Core update plus one explicit "lock"/"reopen" entry (not the ORM's generic "update" entry).
    db.session.execute(
        sa.update(MeetingSession).where(MeetingSession.id == session.id).values(attendance_locked_at=value)
        .execution_options(synchronize_session=False)
    )
    record(db.session, MeetingSession.__tablename__, session.id, action, {"attendance_locked_at": [old, value]})
    db.session.expire(session, ["attendance_locked_at"])


# --- QR passes ---------------------------------------------------------------------------------


def token_from_code(code: str) -> str:
    """The token in what a scanner read: the pass URL (…/pass/<token>) or the bare token."""
    code = (code or "").strip()
    if PASS_PATH in code:
        code = code.rsplit(PASS_PATH, 1)[1]
    return code.split("?", 1)[0].split("#", 1)[0].strip("/ ")


@dataclass(frozen=True)
class Names:
    """Anything with Hindi and English names, for :func:`tracker.i18n.localized`."""

    name_hi: str
    name_en: str


@dataclass(frozen=True)
class PassHolder:
    """What a scan needs to know about a pass, read in one query (a scan must be cheap)."""

    id: int
    session_id: int
    person_id: int
    pass_revoked_at: datetime | None
    person: Names
    unit: Names | None
    session_locked_at: datetime | None


@dataclass
class ScanResult:
    invitation: PassHolder
    already_in: bool
    status: AttendanceStatus
    marked_at: datetime | None


def _pass_clause(token: str) -> sa.ColumnElement[bool] | None:
    """The invitation whose pass this token is: its id, if the token's MAC is right (the database holds
    no token to look up, see :attr:`Invitation.pass_token`)."""
    invitation_id = invitation_id_of_pass(token)
    if invitation_id is None:
        return None
    return sa.and_(Invitation.id == invitation_id, Invitation.pass_issued_at.is_not(None))


def find_pass(token: str) -> Invitation | None:
    where = _pass_clause(token)
    if where is None:
        return None
    return db.session.scalar(
        sa.select(Invitation).options(joinedload(Invitation.person), joinedload(Invitation.unit)).where(where))


def _pass_holder(where: sa.ColumnElement[bool]) -> PassHolder | None:
    """The pass with its holder's names and its session's lock, the session row read ``FOR SHARE``
    (on PostgreSQL) so that a lock committed meanwhile waits for this check-in (see :func:`require_open`)."""
    row = db.session.execute(
        sa.select(Invitation.id, Invitation.session_id, Invitation.person_id, Invitation.pass_revoked_at,
                  Person.name_hi, Person.name_en, Unit.name_hi, Unit.name_en, MeetingSession.attendance_locked_at)
        .join(Person, Person.id == Invitation.person_id)
        .join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .outerjoin(Unit, Unit.id == Invitation.unit_id)
        .where(where)
        .with_for_update(read=True, of=MeetingSession)
    ).first()
    if row is None:
        return None
    unit = Names(row[6], row[7]) if row[6] is not None or row[7] is not None else None
    return PassHolder(row[0], row[1], row[2], row[3], Names(row[4], row[5]), unit, row[8])


def check_in_by_pass(session: MeetingSession, code: str, user_id: int | None, *,
                     at: datetime | None = None) -> ScanResult:
    """A scanned or typed pass: mark its holder present at this session (a second scan changes nothing).

    ``code`` is what the scanner read or the coordinator typed: the pass URL, its long token, or the
    pass's six-character short code (any case, spaces ignored), looked up within the session's meeting.
    """
    typed = passcodes.normalize(code)
    if passcodes.is_code(typed):
        holder = _pass_holder(Invitation.id == passcodes.invitation_id_for(session.meeting_id, typed))
        if holder is None:
            raise AttendanceError(_("No pass of this meeting has the code %(code)s. Check the code and type it "
                                    "again, or find the person in the list.", code=passcodes.display(typed)))
    else:
        where = _pass_clause(token_from_code(code))
        holder = _pass_holder(where) if where is not None else None
        if holder is None:
            raise AttendanceError(_("This pass is not valid: it was not issued by the office."))
    if holder.pass_revoked_at is not None:
        raise AttendanceError(_("This pass of %(name)s was revoked. Check the person in by hand if they are expected.",
                                name=localized(holder.person)))
    if holder.session_id != session.id:
        other = db.session.get(MeetingSession, holder.session_id)
        raise AttendanceError(_("This pass of %(name)s is for another session: %(session)s on %(when)s.",
                                name=localized(holder.person), session=localized(other, "title"),
                                when=_when(other)))
    if holder.session_locked_at is not None:
        session.attendance_locked_at = holder.session_locked_at
        raise AttendanceError(locked_message(session))
    result = mark(session, holder.person_id, Mark(AttendanceStatus.PRESENT), user_id, unless_already_in=True,
                  invited=True, lock_checked=True, at=at)
    marked_at = _current(session.id, holder.person_id).marked_at if not result.changed else now_utc()
    return ScanResult(holder, already_in=not result.changed, status=result.status, marked_at=marked_at)


def _when(session: MeetingSession) -> str:
    from tracker.i18n import fmt_datetime

    return fmt_datetime(to_local(session.starts_at), "medium")


def self_check_in(invitation: Invitation, user_id: int | None, venue_code: str) -> MarkResult:
    """A district president checks themselves in from their agenda (the view checks the policy), with the
    venue code shown on the hall's screen (this period's or the previous one's): proof of being there."""
    if not window.normalize(venue_code):
        raise AttendanceError(_("Type the venue code shown on the screen in the hall."))
    if not window.accepts(invitation.session_id, venue_code):
        raise AttendanceError(_("This venue code is not the one on the screen now. Type the code the hall's "
                                "screen shows at this moment."))
    return mark(invitation.session, invitation.person_id, Mark(AttendanceStatus.PRESENT), user_id,
                unless_already_in=True, invited=True)


# --- walk-ins ----------------------------------------------------------------------------------


def person_district(person_id: int) -> Unit | None:
    """The organizational district a person currently holds a post in (for grouping a walk-in)."""
    from tracker.directory.models import Post
    from tracker.directory.queries import current_post_clause
    from tracker.timeutil import today_local

    return db.session.scalar(
        sa.select(Unit).join(Post, Post.unit_id == Unit.id)
        .where(Post.person_id == person_id, Unit.level == UnitLevel.DISTRICT, current_post_clause(today_local()))
        .order_by(Post.start_date.desc()).limit(1)
    )


def add_walk_in(session: MeetingSession, person: Person, user_id: int | None) -> MarkResult:
    """Someone not invited came: add them to the roster (a walk-in invitation) and mark them present."""
    require_window(session)
    require_open(session)
    existing = db.session.scalar(
        sa.select(Invitation).where(Invitation.session_id == session.id, Invitation.person_id == person.id)
    )
    if existing is None:
        try:
            with db.session.begin_nested():
                db.session.add(Invitation(session_id=session.id, person_id=person.id, kind=InvitationKind.WALK_IN,
                                          unit=person_district(person.id)))
        except sa.exc.IntegrityError:
            pass  # another coordinator added the same person a moment ago
    return mark(session, person.id, Mark(AttendanceStatus.PRESENT), user_id, is_walk_in=existing is None,
                unless_already_in=True)


def create_walk_in_person(name: str, mobile: str) -> Person:
    """A new person for the directory, from a name (either script) and a mobile number."""
    from tracker.directory.operations import DirectoryError, create_person

    if not (name or "").strip():
        raise AttendanceError(_("Give the person's name."))
    try:
        # Either script is fine: the directory fills in the other one.
        return create_person({"name_hi": "", "name_en": name.strip(), "mobile": mobile})
    except DirectoryError as exc:
        raise AttendanceError(str(exc)) from None
