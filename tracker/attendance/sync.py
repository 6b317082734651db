"""A phone's offline queue, replayed: marks and pass check-ins made in a hall without network.

Every tap on the roster goes first into a queue on the phone (IndexedDB, ``static/js/attendance.js``)
with an id made there (a UUID); the queue is sent in order, in batches, whenever the network is there.
:func:`replay` writes each item exactly once, whatever is sent again:

* Each item's ``client_id`` is claimed by inserting its receipt (``INSERT … ON CONFLICT DO NOTHING``,
  the id is unique). An id already received (a lost answer, a killed server, a second tab) is not
  written again; its stored answer is given again. Two requests carrying the same id at once: the
  second waits on the unique index (PostgreSQL) or on the writer lock (SQLite) and finds the receipt.
* The mark made later wins, by the time taken on the phone, clamped to no later than its arrival and
  no earlier than the start of the marking window (:func:`clamp`). A mark that arrives after a later
  one is kept in the history (a ``superseded`` entry) but does not change the record; the answer
  carries the person's final status, so both phones show the same state.
* A mark made within the window is kept even when it arrives after the window closed: the time that
  counts is the (clamped) time it was made.

Marks carry what the person's panel sends online: a late's typed arrival time and a representative
(chosen from the directory or typed), refused as the online form refuses them (:func:`_mark_of`).

The work is batched: one insert of the receipts, one read of the roster's people, one read of the
representatives chosen from the directory, one upsert of all
the marks, one insert of their history entries, one update of the receipts, one read of the final
statuses (a pass is checked on its own, as a scan is). A refused item (e.g. the session was locked meanwhile) is answered with its reason in
the user's language and does not stop the others.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracker.attendance import operations as ops
from tracker.attendance import window
from tracker.attendance.models import Attendance, AttendanceStatus, SyncReceipt
from tracker.audit.operations import record_many
from tracker.directory.models import Person
from tracker.extensions import db
from tracker.i18n import _, fmt_time, localized
from tracker.meetings.models import Invitation, MeetingSession
from tracker.timeutil import now_utc, to_local

RECEIPTS = SyncReceipt.__table__
MAX_ITEMS = 500
# The queue on the phone sends this many items per request (static/js/attendance.js: BATCH_SIZE).
BATCH_SIZE = 100
KINDS = ("mark", "pass")
STATUSES = frozenset(status.value for status in AttendanceStatus)
LATE_TIME_FORMAT = "%H:%M"  # an <input type="time">'s value; wtforms' TimeField default


@dataclass(frozen=True)
class Item:
    """One queued tap: a mark (``person_id`` and ``status``) or a pass (``code``).

    A mark from the person's panel may carry what the online form carries: ``late_time`` ("HH:MM", the
    arrival on the session's local day; a late without it counts as arrived when it was made, clamped)
    and the representative, ``represented_by_person_id`` (from the directory) or ``represented_by_name``
    (typed; cut at 200 characters, as :class:`~tracker.attendance.operations.Mark` does)."""

    client_id: str
    kind: str
    made_at: datetime | None = None
    person_id: int | None = None
    status: str = ""
    code: str = ""
    late_time: str = ""
    represented_by_person_id: int | None = None
    represented_by_name: str = ""


@dataclass
class Answer:
    client_id: str
    state: str  # saved | refused
    reason: str = ""
    person_id: int | None = None
    status: AttendanceStatus | None = None
    superseded: bool = False
    marked_at: datetime | None = None
    asked: AttendanceStatus | None = None  # the status the item asked for
    name: str = ""  # a pass's holder and district (the phone knew only the code), and what the scan says
    district: str = ""
    message: str = ""
    already: bool = False

    def as_json(self) -> dict:
        return {"client_id": self.client_id, "state": self.state, "reason": self.reason,
                "person_id": self.person_id, "status": self.status.value if self.status else None,
                "status_title": str(self.status.title) if self.status else "", "superseded": self.superseded,
                "name": self.name, "district": self.district, "message": self.message, "already": self.already}


# --- reading the request -------------------------------------------------------------------------


def parse(payload) -> list[Item]:
    """The items of a request body ``{"items": [...]}``; refused as a whole when it is not one."""
    raw = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(raw, list) or not raw:
        raise ops.AttendanceError(_("Nothing was sent."))
    if len(raw) > MAX_ITEMS:
        raise ops.AttendanceError(_("Send at most %(count)d marks at a time.", count=MAX_ITEMS))
    items = [_item(each) for each in raw]
    if len({item.client_id for item in items}) != len(items):
        raise ops.AttendanceError(_("The same mark was sent twice in one batch."))
    return items


def _item(raw) -> Item:
    if not isinstance(raw, dict):
        raise ops.AttendanceError(_("A mark could not be read."))
    try:
        client_id = str(uuid.UUID(str(raw.get("client_id", ""))))
    except ValueError:
        raise ops.AttendanceError(_("A mark could not be read.")) from None
    return Item(client_id=client_id, kind=str(raw.get("kind", "")), made_at=_time(raw.get("marked_at")),
                person_id=_int(raw.get("person_id")), status=str(raw.get("status") or ""),
                code=str(raw.get("code") or "")[:500], late_time=str(raw.get("late_time") or "")[:20],
                represented_by_person_id=_int(raw.get("represented_by_person_id")),
                represented_by_name=str(raw.get("represented_by_name") or "")[:500])


def _int(value) -> int | None:
    """An id (a JSON number); None for anything else."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _time(value) -> datetime | None:
    """The phone's time: ISO 8601 (``Date.toISOString()``) or milliseconds since the epoch."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str) and value:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        pass
    return None


# --- time --------------------------------------------------------------------------------------------


def window_start(session: MeetingSession) -> datetime:
    """When marking opens (``MARKING_OPENS_HOURS_BEFORE``, :mod:`tracker.attendance.window`)."""
    return window.marking_window(session).opens_at


def _outside_window(session: MeetingSession, at: datetime, arrived_at: datetime) -> str | None:
    """Why a mark made at ``at`` (clamped) and arrived at ``arrived_at`` is refused by the marking window:
    one that arrives before the window opens, or one made after it closed. A mark made inside the window
    is kept even when it arrives after the window closed (the hall's network came back late)."""
    marking = window.marking_window(session)
    if arrived_at < marking.opens_at:
        return window.not_yet_message(marking)
    if marking.state(at) == "closed":
        return window.closed_message(marking)
    return None


def clamp(made_at: datetime | None, session: MeetingSession, arrived_at: datetime) -> datetime:
    """The time a mark counts as made: the phone's clock, but never later than it reached us (a phone
    whose clock runs ahead cannot win every conflict) nor earlier than the window's start."""
    at = min(made_at or arrived_at, arrived_at)
    return max(at, window_start(session))


# --- the replay --------------------------------------------------------------------------------------


def replay(session: MeetingSession, items: list[Item], user_id: int | None) -> list[Answer]:
    """Write the new items in order (each exactly once) and answer every item, in the order sent."""
    arrived_at = now_utc()
    ids = _claim(session, items, user_id, arrived_at)
    answers = {answer.client_id: answer for answer in _stored(items, ids)}
    fresh = [item for item in items if item.client_id in ids]
    if fresh:
        for answer in _apply(session, fresh, user_id, arrived_at):
            answers[answer.client_id] = answer
        _store(ids, [answers[item.client_id] for item in fresh])
    _final_statuses(session.id, answers.values(), set(ids))
    return [answers[item.client_id] for item in items]


def _claim(session: MeetingSession, items: list[Item], user_id: int | None, arrived_at: datetime) -> dict[str, int]:
    """Insert a receipt for every item not received before; their ids (``client_id`` → receipt id)."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(RECEIPTS)
    statement = insert.on_conflict_do_nothing(index_elements=[RECEIPTS.c.client_id]).returning(
        RECEIPTS.c.client_id, RECEIPTS.c.id)
    rows = db.session.execute(statement, [
        {"client_id": item.client_id, "session_id": session.id, "kind": item.kind if item.kind in KINDS else "mark",
         "state": "refused", "reason": "", "received_at": arrived_at, "user_id": user_id}
        for item in items
    ]).all()
    return dict(rows)


def _stored(items: list[Item], fresh: dict[str, int]) -> list[Answer]:
    """The answers given before to the items received before."""
    seen = [item.client_id for item in items if item.client_id not in fresh]
    if not seen:
        return []
    rows = db.session.execute(
        sa.select(RECEIPTS.c.client_id, RECEIPTS.c.state, RECEIPTS.c.reason, RECEIPTS.c.person_id)
        .where(RECEIPTS.c.client_id.in_(seen))
    ).all()
    return [Answer(client_id, state, reason, person_id) for client_id, state, reason, person_id in rows]


def _apply(session: MeetingSession, items: list[Item], user_id: int | None, arrived_at: datetime) -> list[Answer]:
    """The marks first, in one statement (per person the one made last), then the passes one by one: the
    time each was made decides between a mark and a pass of the same person, whatever the order."""
    try:
        ops.require_open(session)
    except ops.AttendanceError as exc:
        return [Answer(item.client_id, "refused", exc.message) for item in items]
    invited = _invited(session.id, {item.person_id for item in items if item.person_id is not None})
    known = _people({item.represented_by_person_id for item in items if item.represented_by_person_id is not None})
    answers, latest = [], {}
    for item in items:
        at = clamp(item.made_at, session, arrived_at)
        refused = _outside_window(session, at, arrived_at)
        if refused is not None:
            answers.append(Answer(item.client_id, "refused", refused, item.person_id, marked_at=at))
            continue
        if item.kind == "pass":
            continue
        try:
            mark = _mark_of(item, at, invited, session, known)
        except ops.AttendanceError as exc:
            answers.append(Answer(item.client_id, "refused", exc.message, item.person_id, marked_at=at))
            continue
        answers.append(Answer(item.client_id, "saved", person_id=item.person_id, marked_at=at, asked=mark.status))
        if item.person_id not in latest or latest[item.person_id][1] <= at:
            latest[item.person_id] = (mark, at)
    ops.mark_many(session, latest, user_id)
    refused = {answer.client_id for answer in answers if answer.state == "refused"}
    return answers + [_pass(session, item, user_id, clamp(item.made_at, session, arrived_at))
                      for item in items if item.kind == "pass" and item.client_id not in refused]


def _invited(session_id: int, person_ids: set[int]) -> set[int]:
    if not person_ids:
        return set()
    return set(db.session.scalars(
        sa.select(Invitation.person_id).where(Invitation.session_id == session_id,
                                              Invitation.person_id.in_(person_ids))
    ))


def _people(person_ids: set[int]) -> set[int]:
    """Which of the representatives chosen from the directory exist (one query for the whole batch)."""
    if not person_ids:
        return set()
    return set(db.session.scalars(sa.select(Person.id).where(Person.id.in_(person_ids))))


def _mark_of(item: Item, at: datetime, invited: set[int], session: MeetingSession, known: set[int]) -> ops.Mark:
    """The mark an item asks for, refused as the online form refuses it (:func:`ops.mark`)."""
    if item.kind != "mark" or item.status not in STATUSES:
        raise ops.AttendanceError(_("A mark could not be read."))
    if item.person_id not in invited:
        raise ops.AttendanceError(_("This person is not on the roster of this session. Add them as a walk-in first."))
    status = AttendanceStatus(item.status)
    mark = ops.Mark(status, late_at=_late_at(item, at, session) if status == AttendanceStatus.LATE else None,
                    represented_by_person_id=item.represented_by_person_id,
                    represented_by_name=item.represented_by_name)
    mark.validate()
    if mark.represented_by_person_id is not None and mark.represented_by_person_id not in known:
        raise ops.AttendanceError(_("Choose the representative from the directory or type their name."))
    return mark


def _late_at(item: Item, at: datetime, session: MeetingSession) -> datetime:
    """The typed arrival time on the session's day, as the online form reads it; else when it was made."""
    if not item.late_time:
        return at
    try:
        arrived = datetime.strptime(item.late_time, LATE_TIME_FORMAT).time()  # as the form's TimeField reads it
    except ValueError:
        raise ops.AttendanceError(_("Give the time the person arrived.")) from None
    return ops.arrival_on_session_day(session.starts_at, arrived)


def _pass(session: MeetingSession, item: Item, user_id: int | None, at: datetime) -> Answer:
    try:
        result = ops.check_in_by_pass(session, item.code, user_id, at=at)
    except ops.AttendanceError as exc:
        return Answer(item.client_id, "refused", exc.message, marked_at=at)
    holder = result.invitation
    message = (_("Already checked in at %(time)s.", time=fmt_time(to_local(result.marked_at)))
               if result.already_in else _("Checked in."))
    return Answer(item.client_id, "saved", person_id=holder.person_id, marked_at=at,
                  asked=None if result.already_in else AttendanceStatus.PRESENT, name=localized(holder.person),
                  district=localized(holder.unit) if holder.unit else "", message=message,
                  already=result.already_in)


def _store(ids: dict[str, int], answers: list[Answer]) -> None:
    db.session.execute(
        sa.update(RECEIPTS).where(RECEIPTS.c.id == sa.bindparam("receipt_id")).values(
            state=sa.bindparam("new_state"), reason=sa.bindparam("new_reason"),
            person_id=sa.bindparam("new_person_id"), marked_at=sa.bindparam("new_marked_at")),
        [{"receipt_id": ids[answer.client_id], "new_state": answer.state, "new_reason": answer.reason,
          "new_person_id": answer.person_id, "new_marked_at": answer.marked_at} for answer in answers],
        execution_options={"synchronize_session": False},
    )


def _final_statuses(session_id: int, answers, fresh: set[str]) -> None:
    """Every answer names its person's status after the whole batch (the later mark may be another's); a
    new mark that did not stand (a later one was stored) is kept in the history as ``superseded``."""
    answers = list(answers)
    person_ids = {answer.person_id for answer in answers if answer.person_id is not None}
    if not person_ids:
        return
    db.session.flush()
    final = {person_id: (attendance_id, status) for attendance_id, person_id, status in db.session.execute(
        sa.select(Attendance.id, Attendance.person_id, Attendance.status)
        .where(Attendance.session_id == session_id, Attendance.person_id.in_(person_ids))
    )}
    entries = []
    for answer in answers:
        if answer.person_id is None or answer.person_id not in final:
            continue
        attendance_id, answer.status = final[answer.person_id]
        if answer.client_id in fresh and answer.asked is not None and answer.asked != answer.status:
            answer.superseded = True
            entries.append((attendance_id, "superseded", {"status": [None, answer.asked],
                                                          "marked_at": [None, answer.marked_at]}))
    record_many(db.session, Attendance.__tablename__, entries)
