"""What the planner is asked and what it answers: plain frozen dataclasses, no behaviour.

Everything the planner returns is language-neutral: divisions and districts by their codes, people
by their ids, rooms by stable codes (:data:`HALL`, ``room_1``, ``room_2`` …, or the names the
request lists), dates and times as values. The app turns them into words when it shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

# The room of the group sessions unless the request names another, and the rooms of parallel
# one-to-ones when the request lists none: codes, translated only when shown.
HALL = "hall"
_PARALLEL_ROOM_PREFIX = "room_"


def parallel_room(number: int) -> str:
    """The code of the ``number``-th room of parallel one-to-ones: ``room_1``, ``room_2`` …"""
    return f"{_PARALLEL_ROOM_PREFIX}{number}"


def parallel_room_number(room: str) -> int | None:
    """The number of a :func:`parallel_room` code, or None for any other room."""
    rest = room[len(_PARALLEL_ROOM_PREFIX):] if room.startswith(_PARALLEL_ROOM_PREFIX) else ""
    return int(rest) if rest.isascii() and rest.isdigit() else None


@dataclass(frozen=True)
class District:
    code: str
    president: int | None = None


@dataclass(frozen=True)
class Division:
    code: str
    districts: list[District] = field(default_factory=list)
    co_incharges: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class PlanRequest:
    """A meeting to plan. ``chair`` chairs every group session and is invited to it (so a date
    the chair cannot come is avoided like any invitee's); ``extra_reviewers`` sit in every group
    session and every one-to-one."""

    divisions: list[Division]
    dates: list[date]
    per_day: int = 2
    pins: dict[date, list[str]] = field(default_factory=dict)
    window: tuple[time, time] = (time(11, 0), time(17, 0))
    group_minutes: int = 120
    one_to_one_minutes: int = 15
    gap_minutes: int = 0
    organization_incharge: int | None = None
    extra_reviewers: list[int] = field(default_factory=list)
    chair: int | None = None
    one_to_ones: str = "same_day"  # or "other_dates"
    one_to_one_dates: list[date] = field(default_factory=list)
    unavailable: dict[int, set[date]] = field(default_factory=dict)
    rooms: list[str] | None = None  # None: one room per parallel reviewer stream (room_1, room_2 …)
    group_room: str = HALL
    include: list[str] | None = None  # codes of the divisions to cover; None: all of `divisions`
    breaks: list[tuple[time, time]] = field(default_factory=list)  # (start, end): nothing crosses them


@dataclass(frozen=True)
class GroupSession:
    start: datetime
    end: datetime
    room: str
    invitees: list[int]


@dataclass(frozen=True)
class Slot:
    district: str
    president: int | None
    reviewers: list[int]
    start: datetime
    end: datetime
    room: str


@dataclass(frozen=True)
class PlanDay:
    date: date
    divisions: list[str]
    group_session: GroupSession | None
    one_to_ones: list[Slot]


@dataclass(frozen=True)
class Activity:
    """What a problem is about, for the app to name: ``kind`` is :data:`ONE_TO_ONE` (``codes``: the
    district), :data:`GROUP_SESSION` (the day's divisions), :data:`DIVISION` (one division) or
    :data:`OTHER_MEETING` (something the plan does not know, no codes)."""

    kind: str
    codes: tuple[str, ...] = ()


ONE_TO_ONE = "one_to_one"
GROUP_SESSION = "group_session"
DIVISION = "division"
OTHER_MEETING = "other_meeting"


@dataclass(frozen=True)
class Problem:
    """Why there is no plan (or why a change was refused): a stable ``code`` and its ``params``.

    Parameter names say what they hold: ``division``/``district`` a code, ``divisions`` a list of
    codes, ``person`` an id, ``people``/``reviewers`` lists of ids, ``date``/``other_date`` a date,
    ``start``/``end``/``time``/``window_*``/``break_*`` a 24-hour ``HH:MM``, ``subject``/``other`` an
    :class:`Activity`, ``room`` a room code; counts are ints. The codes are listed in
    :data:`PROBLEM_CODES`."""

    code: str
    params: dict


PROBLEM_CODES = (
    "empty_input", "invalid_setting", "duplicate_code", "unknown_division", "pin_outside_dates",
    "pin_conflict", "pin_over_capacity", "too_many_divisions", "no_reviewer", "window_too_short",
    "person_unavailable", "division_unavailable", "district_unavailable", "division_too_big",
    "slots_do_not_fit", "rooms_do_not_fit", "day_does_not_fit", "one_to_one_dates_full",
    "no_arrangement", "search_gave_up", "unknown_district", "unknown_date", "wrong_day",
    "not_a_one_to_one_date", "outside_window", "crosses_break", "person_clash", "room_clash",
    "pin_broken",
)  # fmt: skip


def problem(code: str, /, **params) -> Problem:
    return Problem(code=code, params=params)


@dataclass(frozen=True)
class Plan:
    days: list[PlanDay]
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Move:
    """One change made by :func:`replan`. ``kind`` is ``"division"`` (its day changed),
    ``"one_to_one"`` (a district's slot moved, was added or removed) or ``"group_session"`` (the
    session of a date changed time or room). ``code`` is the division or district code, or the ISO
    date of the group session. ``old_*`` is None for something added, ``new_*`` for something
    removed."""

    kind: str
    code: str
    old_date: date | None
    new_date: date | None
    old_start: datetime | None = None
    new_start: datetime | None = None
    old_room: str | None = None
    new_room: str | None = None


class PlanRequestError(Exception):
    """The input is not something the planner can work on at all (e.g. a plan to adjust that does
    not belong to the request): a ``code`` and ``params`` as in :class:`Problem` (``unit``: a
    division or district code). Unlike a
    :class:`Problem`, which says why no plan exists, this is a wrong call; the app answers it as
    bad input. Any other exception out of the planner is a bug."""

    def __init__(self, code: str, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params
