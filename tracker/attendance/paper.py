"""Two ways of marking many people at once: the roll call ("mark all of this division present", with an
undo) and a paper sheet entered after the marking window closed (recorded as entered later).

Both go through :func:`tracker.attendance.operations.mark`, one audited upsert per person, so the
rules of a single mark (the window, the lock, the roster) hold for every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.attendance import queries
from tracker.attendance.models import AttendanceStatus
from tracker.attendance.operations import AttendanceError, Mark, PaperSheet, mark, require_open, undo
from tracker.i18n import _
from tracker.meetings.models import MeetingSession

REASON_MAX = 500


@dataclass(frozen=True)
class RollCall:
    """Who a roll call marked present: (person id, version after the mark), for its undo."""

    division_id: int
    marked: tuple[tuple[int, int], ...]

    def token(self) -> str:
        return " ".join(f"{person_id}:{version}" for person_id, version in self.marked)


def parse_token(text: str) -> list[tuple[int, int]]:
    pairs = []
    for item in (text or "").split()[:5000]:
        person_id, _sep, version = item.partition(":")
        if person_id.isdigit() and version.isdigit():
            pairs.append((int(person_id), int(version)))
    return pairs


def division_rows(session: MeetingSession, division_id: int) -> list[queries.RosterRow]:
    return [row for row in queries.roster(session.id)
            if (row.division is not None and row.division.id == division_id)
            or (row.district is not None and row.district.id == division_id)]


def mark_division_present(session: MeetingSession, division_id: int, user_id: int | None) -> RollCall:
    """Everyone of a division on the roster who is not marked yet becomes present (marks already made,
    such as "excused" or "represented", stay)."""
    require_open(session)
    marked = []
    for row in division_rows(session, division_id):
        if row.attendance is not None:
            continue
        result = mark(session, row.person_id, Mark(AttendanceStatus.PRESENT), user_id, unless_already_in=True,
                      invited=True, lock_checked=True)
        if result.changed:
            marked.append((row.person_id, result.version))
    if not marked:
        raise AttendanceError(_("Everyone of this division is already marked."))
    return RollCall(division_id, tuple(marked))


def undo_roll_call(session: MeetingSession, pairs: list[tuple[int, int]]) -> tuple[int, int]:
    """Undo the marks of a roll call; a mark someone changed since is kept. Returns (undone, kept)."""
    undone = kept = 0
    for person_id, version in pairs:
        try:
            undo(session, person_id, version)
        except AttendanceError:
            kept += 1
        else:
            undone += 1
    return undone, kept


def enter_paper_sheet(session: MeetingSession, entries: dict[int, AttendanceStatus], user_id: int | None,
                      reason: str, *, reason_required: bool) -> int:
    """The marks of a paper sheet, after the marking window closed: each recorded as entered later with
    the sheet's reason (required of whoever is not the office). Returns how many marks changed."""
    reason = (reason or "").strip()[:REASON_MAX]
    if reason_required and not reason:
        raise AttendanceError(_("Say why this paper sheet is entered after the session's day."))
    if not entries:
        raise AttendanceError(_("Choose the attendance of at least one person from the sheet."))
    require_open(session)
    sheet = PaperSheet(reason)
    changed = 0
    for person_id, status in entries.items():
        if status in (AttendanceStatus.LATE, AttendanceStatus.REPRESENTED):
            raise AttendanceError(_("On a paper sheet, mark people present, excused or absent."))
        changed += mark(session, person_id, Mark(status), user_id, lock_checked=True, paper_sheet=sheet).changed
    return changed
