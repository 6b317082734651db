"""Meeting planner: turns "a 3-day meeting of all district presidents from 22 September, two
divisions a day, Bhopal and Narmadapuram first, then one-to-one reviews with every district" into a
timetable in which nobody is double-booked.

This module is pure Python: it imports nothing from the app (no Flask, no SQLAlchemy, no database).
The app builds a :class:`PlanRequest` out of plain data, calls :func:`plan` (or :func:`replan`,
:func:`move_slot`, :func:`swap_days`) and stores or shows the :class:`Plan` it gets back.

All dates and times are naive local wall-clock values (``datetime.date``/``time``/``datetime``).

Model
-----
* Each chosen division is put on exactly one of the meeting ``dates`` (at most ``per_day`` a day;
  ``pins`` fix some of them). The number of districts a day is balanced: the planner minimises the
  largest day (greedy largest-first after the pins, then local moves and swaps; exact branch and
  bound when there are few divisions).
* ``breaks`` (e.g. lunch 13:30–14:15, tea 16:00–16:15) are crossed by nothing: the group session
  and every one-to-one lie wholly before or after each break. The planner's own default is no
  breaks; the app passes its defaults (``tracker.meetings.planning.DEFAULT_BREAKS``).
* Each day with divisions has one group session at the start of the ``window`` (or, when that
  would cross a break, at the end of the break) in ``group_room``.
  Its invitees are the presidents of the day's districts, the responsible reviewers of those
  districts and the ``extra_reviewers``.
* Each district of a covered division gets one one-to-one slot with its responsible reviewer (the
  division's co-in-charge; districts of a division with several co-in-charges are spread over them;
  ``organization_incharge`` where a division has none) plus every extra reviewer.
  ``one_to_ones="same_day"``: the slots follow the day's group session (after ``gap_minutes``).
  ``one_to_ones="other_dates"``: the slots are on ``one_to_one_dates`` from the window start; on a
  one-to-one date that is also one of the meeting ``dates`` they start after the time of the group
  session (its end + ``gap_minutes``), whether or not a session is held. Slots follow one another
  every ``one_to_one_minutes``; a slot that would cross a break starts when the break ends.
* Nobody (president or reviewer) and no room is in two places at once; everything is inside the
  window; nobody is planned on a date they are unavailable.

Problems carry a stable ``code``, plain ``params`` and an English ``message``. The English
templates are in :data:`PROBLEM_MESSAGES`, marked with the no-op ``N_`` so that
``pybabel extract -k N_`` finds them; :data:`PROBLEM_MESSAGES_HI` has Hindi templates and
:func:`render_problem` renders a problem in either language (or through the app's gettext).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

__all__ = [
    "N_",
    "PROBLEM_MESSAGES",
    "PROBLEM_MESSAGES_HI",
    "Person",
    "District",
    "Division",
    "PlanRequest",
    "GroupSession",
    "Slot",
    "PlanDay",
    "Problem",
    "Plan",
    "Move",
    "plan",
    "replan",
    "move_slot",
    "swap_days",
    "render_problem",
    "responsible_reviewers",
]


def N_(s: str) -> str:
    """No-op marker: ``pybabel extract -k N_`` collects the strings it wraps."""
    return s


# Problem codes and their English templates (``str.format`` with named placeholders). The app
# translates them with gettext: ``gettext(PROBLEM_MESSAGES[code]).format(**params)``, or simply
# ``render_problem(problem, gettext=gettext)``. Codes: empty_input, invalid_setting,
# duplicate_code, unknown_division, pin_outside_dates, pin_conflict, pin_over_capacity,
# too_many_divisions, no_reviewer, window_too_short, person_unavailable, division_unavailable,
# district_unavailable, division_too_big, slots_do_not_fit, rooms_do_not_fit, day_does_not_fit,
# one_to_one_dates_full, no_arrangement, search_gave_up, unknown_district, unknown_date,
# wrong_day, not_a_one_to_one_date, outside_window, crosses_break, person_clash, room_clash,
# pin_broken.
PROBLEM_MESSAGES: dict[str, str] = {
    "empty_input": N_(
        "Nothing to plan: choose at least one division and at least one meeting date (and the "
        "one-to-one dates when the one-to-ones are held on other dates)."
    ),
    "invalid_setting": N_("The setting “{setting}” has an invalid value: {value}."),
    "duplicate_code": N_(
        "The code “{code}” is used for more than one division or district; each needs its own code."
    ),
    "unknown_division": N_("Division “{division}” is not among the divisions of this meeting."),
    "pin_outside_dates": N_(
        "{division} division is pinned to {date}, which is not one of the meeting dates."
    ),
    "pin_conflict": N_(
        "{division} division is pinned to both {date} and {other_date}; pin it to one day only."
    ),
    "pin_over_capacity": N_(
        "{count} divisions are pinned to {date} but at most {per_day} fit in one day: move a pin "
        "to another day or allow more divisions a day."
    ),
    "too_many_divisions": N_(
        "{count} divisions cannot be covered in {days} days at {per_day} a day (at most "
        "{capacity}): add {missing_days} more day(s) or allow more divisions a day."
    ),
    "no_reviewer": N_(
        "{division} division has no co-in-charge and no organization in-charge is set, so nobody "
        "can hold the one-to-ones with its districts: assign a co-in-charge or set the "
        "organization in-charge."
    ),
    "window_too_short": N_(
        "The {group_minutes}-minute group session does not fit between {start} and {end}: "
        "lengthen the day or shorten the session."
    ),
    "person_unavailable": N_(
        "{person} is unavailable on {date}, when {subject} is planned: move it to another day or "
        "update the availability."
    ),
    "division_unavailable": N_(
        "No meeting date works for {division} division: on every date someone who must attend is "
        "unavailable ({people}). Add a date or update the availability."
    ),
    "district_unavailable": N_(
        "No one-to-one date works for {district}: on every date someone who must attend is "
        "unavailable ({people}). Add a date or update the availability."
    ),
    "division_too_big": N_(
        "{division} division alone needs {needed} one-to-one slots with {reviewer}, but only "
        "{fits} fit in a day between {start} and {end}: add a reviewer or shorten the slots."
    ),
    "slots_do_not_fit": N_(
        "Day {day} ({date}) needs {needed} one-to-one slots with {reviewer} but only {fits} fit "
        "between {start} and {end}: add a reviewer, a day, or shorten the slots."
    ),
    "rooms_do_not_fit": N_(
        "Day {day} ({date}) needs {needed} one-to-one slots but only {fits} fit in {rooms} room(s) "
        "between {start} and {end}: add a room, a day, or shorten the slots."
    ),
    "day_does_not_fit": N_(
        "Day {day} ({date}): the {needed} one-to-one slots cannot be arranged between {start} and "
        "{end} without someone being in two places at once: add a reviewer, a day, or shorten "
        "the slots."
    ),
    "one_to_one_dates_full": N_(
        "The one-to-one dates can hold only {fits} of the {needed} one-to-one slots between "
        "{start} and {end} with the reviewers and rooms available: add a reviewer, a room, a "
        "date, or shorten the slots."
    ),
    "no_arrangement": N_(
        "The {count} divisions cannot be arranged over the {days} meeting days with these pins, "
        "the limit of {per_day} a day and the availabilities: add a day, remove a pin or update "
        "the availability."
    ),
    "search_gave_up": N_(
        "No timetable was found within the search limit; the plan may still be possible: try "
        "adding a day, a room or a reviewer."
    ),
    "unknown_district": N_("District “{district}” has no one-to-one in this plan."),
    "unknown_date": N_("{date} is not one of the meeting dates."),
    "wrong_day": N_("The one-to-one of {district} must be on its division's day, {date}."),
    "not_a_one_to_one_date": N_("{date} is not one of the one-to-one dates."),
    "outside_window": N_("{start}–{end} on {date} is outside the allowed time {window_start}–{window_end}."),
    "crosses_break": N_("{start}–{end} on {date} runs into the break {break_start}–{break_end}."),
    "person_clash": N_("{person} would be in two places at once on {date} at {time}: {subject} and {other}."),
    "room_clash": N_("Room {room} is already in use on {date} at {time} by {other}."),
    "pin_broken": N_("{division} division is pinned to {date}; this change would move it to {other_date}."),
}

# Hindi templates, same placeholders (names and dates get their ``*_hi`` variants).
PROBLEM_MESSAGES_HI: dict[str, str] = {
    "empty_input": "योजना के लिए कुछ नहीं है: कम से कम एक संभाग और बैठक की एक तारीख चुनें (और जब "
    "वन-टू-वन अलग दिनों में हों तो वन-टू-वन की तारीखें भी)।",
    "invalid_setting": "सेटिंग “{setting}” का मान मान्य नहीं है: {value}।",
    "duplicate_code": "कोड “{code}” एक से अधिक संभाग या जिले के लिए इस्तेमाल हुआ है; हर एक का अलग कोड होना चाहिए।",
    "unknown_division": "संभाग “{division}” इस बैठक के संभागों में नहीं है।",
    "pin_outside_dates": "{division} संभाग {date} के लिए तय है, जो बैठक की तारीखों में नहीं है।",
    "pin_conflict": "{division} संभाग {date} और {other_date} दोनों के लिए तय है; इसे एक ही दिन के लिए तय करें।",
    "pin_over_capacity": "{date} के लिए {count} संभाग तय हैं, पर एक दिन में अधिकतम {per_day} आ "
    "सकते हैं: किसी संभाग को दूसरे दिन रखें या प्रतिदिन अधिक संभागों की अनुमति दें।",
    "too_many_divisions": "{count} संभाग {days} दिनों में {per_day} प्रतिदिन के हिसाब से नहीं हो "
    "सकते (अधिकतम {capacity}): {missing_days} दिन और जोड़ें या प्रतिदिन अधिक संभागों की अनुमति दें।",
    "no_reviewer": "{division} संभाग का कोई सह प्रभारी नहीं है और संगठन प्रभारी भी तय नहीं है, "
    "इसलिए इसके जिलों से वन-टू-वन कोई नहीं ले सकता: सह प्रभारी नियुक्त करें या संगठन प्रभारी "
    "तय करें।",
    "window_too_short": "{group_minutes} मिनट की सामूहिक बैठक {start} से {end} के बीच नहीं आ "
    "सकती: दिन का समय बढ़ाएँ या बैठक छोटी करें।",
    "person_unavailable": "{person} {date} को उपलब्ध नहीं हैं, जबकि उस दिन {subject} तय है: इसे "
    "दूसरे दिन रखें या उपलब्धता बदलें।",
    "division_unavailable": "{division} संभाग के लिए बैठक की कोई तारीख नहीं बनती: हर तारीख पर "
    "कोई ज़रूरी व्यक्ति उपलब्ध नहीं है ({people})। तारीख जोड़ें या उपलब्धता बदलें।",
    "district_unavailable": "{district} के वन-टू-वन के लिए कोई तारीख नहीं बनती: हर तारीख पर कोई "
    "ज़रूरी व्यक्ति उपलब्ध नहीं है ({people})। तारीख जोड़ें या उपलब्धता बदलें।",
    "division_too_big": "{division} संभाग को अकेले {reviewer} के साथ {needed} वन-टू-वन स्लॉट "
    "चाहिए, पर {start} से {end} के बीच एक दिन में केवल {fits} आ सकते हैं: समीक्षक जोड़ें या "
    "स्लॉट छोटे करें।",
    "slots_do_not_fit": "दिन {day} ({date}) को {reviewer} के साथ {needed} वन-टू-वन स्लॉट चाहिए, "
    "पर {start} से {end} के बीच केवल {fits} आ सकते हैं: समीक्षक या दिन जोड़ें, या स्लॉट छोटे "
    "करें।",
    "rooms_do_not_fit": "दिन {day} ({date}) को {needed} वन-टू-वन स्लॉट चाहिए, पर {start} से "
    "{end} के बीच {rooms} कमरों में केवल {fits} आ सकते हैं: कमरा या दिन जोड़ें, या स्लॉट छोटे "
    "करें।",
    "day_does_not_fit": "दिन {day} ({date}) के {needed} वन-टू-वन स्लॉट {start} से {end} के बीच "
    "इस तरह नहीं रखे जा सकते कि कोई एक समय में दो जगह न हो: समीक्षक या दिन जोड़ें, या स्लॉट छोटे "
    "करें।",
    "one_to_one_dates_full": "वन-टू-वन की तारीखों में {start} से {end} के बीच उपलब्ध समीक्षकों "
    "और कमरों के साथ {needed} में से केवल {fits} स्लॉट आ सकते हैं: समीक्षक, कमरा या तारीख जोड़ें, "
    "या स्लॉट छोटे करें।",
    "no_arrangement": "इन तय दिनों, प्रतिदिन {per_day} की सीमा और उपलब्धता के साथ {count} "
    "संभागों को {days} दिनों में नहीं रखा जा सकता: दिन जोड़ें, कोई तय दिन हटाएँ या उपलब्धता "
    "बदलें।",
    "search_gave_up": "खोज की सीमा में कोई समय-सारिणी नहीं मिली; हो सकता है योजना फिर भी संभव "
    "हो: दिन, कमरा या समीक्षक जोड़कर देखें।",
    "unknown_district": "जिला “{district}” का इस योजना में कोई वन-टू-वन नहीं है।",
    "unknown_date": "{date} बैठक की तारीखों में नहीं है।",
    "wrong_day": "{district} का वन-टू-वन उसके संभाग के दिन, {date}, को ही होना चाहिए।",
    "not_a_one_to_one_date": "{date} वन-टू-वन की तारीखों में नहीं है।",
    "outside_window": "{date} को {start}–{end} तय समय {window_start}–{window_end} से बाहर है।",
    "crosses_break": "{date} को {start}–{end} का समय {break_start}–{break_end} के विराम में पड़ता है।",
    "person_clash": "{person} {date} को {time} बजे एक साथ दो जगह होंगे: {subject} और {other}।",
    "room_clash": "कमरा {room} {date} को {time} बजे पहले से {other} के लिए इस्तेमाल में है।",
    "pin_broken": "{division} संभाग {date} के लिए तय है; यह बदलाव इसे {other_date} पर ले जाएगा।",
}

_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS_HI = (
    "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून",
    "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
)  # fmt: skip


# --------------------------------------------------------------------------------------------
# Input and output data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    name_en: str
    name_hi: str = ""


@dataclass(frozen=True)
class District:
    code: str
    name_en: str
    name_hi: str = ""
    president: int | None = None


@dataclass(frozen=True)
class Division:
    code: str
    name_en: str
    name_hi: str = ""
    districts: list[District] = field(default_factory=list)
    co_incharges: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class PlanRequest:
    divisions: list[Division]
    dates: list[date]
    people: dict[int, Person] = field(default_factory=dict)
    per_day: int = 2
    pins: dict[date, list[str]] = field(default_factory=dict)
    window: tuple[time, time] = (time(11, 0), time(17, 0))
    group_minutes: int = 120
    one_to_one_minutes: int = 15
    gap_minutes: int = 0
    organization_incharge: int | None = None
    extra_reviewers: list[int] = field(default_factory=list)
    one_to_ones: str = "same_day"  # or "other_dates"
    one_to_one_dates: list[date] = field(default_factory=list)
    unavailable: dict[int, set[date]] = field(default_factory=dict)
    rooms: list[str] | None = None  # None: one room per parallel reviewer stream ("Room 1", ...)
    group_room: str = "Hall"
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
class Problem:
    code: str
    params: dict
    message: str


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


# --------------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------------


class _SafeDict(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def _date_en(d: date) -> str:
    return f"{d.day} {_MONTHS_EN[d.month - 1]}"


def _date_hi(d: date) -> str:
    return f"{d.day} {_MONTHS_HI[d.month - 1]}"


def _hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _at(d: date, minutes: int) -> datetime:
    return datetime.combine(d, time(0, 0)) + timedelta(minutes=minutes)


def _dt_minutes(dt: datetime) -> int:
    return dt.hour * 60 + dt.minute


def _crossed(breaks: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The first break that ``[start, end)`` overlaps, or None."""
    for b in breaks:
        if b[0] < end and start < b[1]:
            return b
    return None


def _fit_start(breaks: list[tuple[int, int]], start: int, length: int) -> int:
    """The earliest minute from ``start`` at which ``length`` minutes cross no break."""
    while (b := _crossed(breaks, start, start + length)) is not None:
        start = b[1]
    return start


def _grid(breaks: list[tuple[int, int]], first: int, end: int, length: int) -> list[int]:
    """Start minutes of back-to-back slots of ``length`` from ``first`` to ``end``, each moved past
    any break it would cross."""
    out = []
    m = first
    while True:
        m = _fit_start(breaks, m, length)
        if m + length > end:
            return out
        out.append(m)
        m += length


def _merge_breaks(breaks: Iterable[tuple[time, time]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for a, b in sorted((_minutes(a), _minutes(b)) for a, b in breaks):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _problem(code: str, /, **params) -> Problem:
    message = PROBLEM_MESSAGES[code].format_map(_SafeDict(params))
    return Problem(code=code, params=params, message=message)


def render_problem(problem: Problem, lang: str = "en", gettext: Callable[[str], str] | None = None) -> str:
    """Render a problem. With ``gettext`` the English template is translated by it (the app's
    catalogue); for ``lang="hi"`` a template the catalogue leaves untranslated (or every template,
    without ``gettext``) comes from :data:`PROBLEM_MESSAGES_HI`. For Hindi the ``*_hi`` variants of
    the params (names, dates) replace the English ones."""
    english = PROBLEM_MESSAGES.get(problem.code, problem.message)
    template = gettext(english) if gettext is not None else english
    if lang == "hi" and template == english:  # no translation in the catalogue (or none given)
        template = PROBLEM_MESSAGES_HI.get(problem.code, english)
    params = dict(problem.params)
    if lang == "hi":
        for key in list(params):
            if key + "_hi" in params:
                params[key] = params[key + "_hi"]
    return template.format_map(_SafeDict(params))


# --------------------------------------------------------------------------------------------
# Request analysis
# --------------------------------------------------------------------------------------------


class _DateSet:
    """Date indices 0..n-1 less a few blocked ones, without listing them all up front."""

    __slots__ = ("n", "blocked", "_list")

    def __init__(self, n: int, blocked: set[int]):
        self.n, self.blocked, self._list = n, blocked, None

    def __contains__(self, k) -> bool:
        return 0 <= k < self.n and k not in self.blocked

    def __len__(self) -> int:
        return self.n - len(self.blocked)

    def __iter__(self):
        if self._list is None:
            self._list = [k for k in range(self.n) if k not in self.blocked]
        return iter(self._list)


class _Ctx:
    """Everything derived from a request: chosen divisions, reviewers, availability, the time grid
    and the conflict structure of the one-to-one slots."""

    def __init__(self, req: PlanRequest, prefer_reviewer: dict[str, int] | None = None):
        self.req = req
        self.problems: list[Problem] = []
        self._validate()
        if not self.problems:
            self._build(prefer_reviewer or {})

    # -- names -----------------------------------------------------------------------------
    def pname(self, pid: int | None) -> str:
        p = self.req.people.get(pid) if pid is not None else None
        return p.name_en if p else f"#{pid}"

    def pname_hi(self, pid: int | None) -> str:
        p = self.req.people.get(pid) if pid is not None else None
        return (p.name_hi or p.name_en) if p else f"#{pid}"

    def names(self, pids: Iterable[int]) -> dict:
        pids = list(pids)
        return {
            "en": ", ".join(self.pname(p) for p in pids),
            "hi": ", ".join(self.pname_hi(p) for p in pids),
            "ids": pids,
        }

    def div_params(self, div: Division, key: str = "division") -> dict:
        return {key: div.name_en, key + "_hi": div.name_hi or div.name_en, key + "_code": div.code}

    def date_params(self, d: date, key: str = "date") -> dict:
        return {key: _date_en(d), key + "_hi": _date_hi(d), key + "_iso": d.isoformat()}

    # -- validation ------------------------------------------------------------------------
    def _validate(self) -> None:
        req, add = self.req, self.problems.append
        ws, we = _minutes(req.window[0]), _minutes(req.window[1])
        for setting, value, good in (
            ("per_day", req.per_day, isinstance(req.per_day, int) and req.per_day >= 1),
            ("one_to_one_minutes", req.one_to_one_minutes,
             isinstance(req.one_to_one_minutes, int) and req.one_to_one_minutes >= 1),
            ("group_minutes", req.group_minutes,
             isinstance(req.group_minutes, int) and req.group_minutes >= 0),
            ("gap_minutes", req.gap_minutes,
             isinstance(req.gap_minutes, int) and req.gap_minutes >= 0),
            ("window", f"{_hm(ws)}–{_hm(we)}", we > ws),
            ("one_to_ones", req.one_to_ones, req.one_to_ones in ("same_day", "other_dates")),
            ("breaks", ", ".join(f"{_hm(_minutes(a))}–{_hm(_minutes(b))}" for a, b in req.breaks),
             all(_minutes(b) > _minutes(a) for a, b in req.breaks)),
        ):  # fmt: skip
            if not good:
                add(_problem("invalid_setting", setting=setting, value=str(value)))
        if self.problems:
            return
        by_code: dict[str, Division] = {}
        seen_districts: set[str] = set()
        for div in req.divisions:
            if div.code in by_code:
                add(_problem("duplicate_code", code=div.code))
            by_code[div.code] = div
            for dist in div.districts:
                if dist.code in seen_districts:
                    add(_problem("duplicate_code", code=dist.code))
                seen_districts.add(dist.code)
        if req.include is None:
            chosen = list(by_code.values())
        else:
            chosen, seen = [], set()
            for code in req.include:
                if code not in by_code:
                    add(_problem("unknown_division", division=code, division_code=code))
                elif code not in seen:
                    seen.add(code)
                    chosen.append(by_code[code])
        dates = sorted(set(req.dates))
        o2o_dates = sorted(set(req.one_to_one_dates))
        if not chosen or not dates or (req.one_to_ones == "other_dates" and not o2o_dates):
            add(_problem("empty_input"))
        if self.problems:
            return
        self.by_code = by_code
        self.divs = chosen
        self.div_index = {d.code: i for i, d in enumerate(chosen)}
        self.dates = dates
        self.date_index = {d: i for i, d in enumerate(dates)}
        self.o2o_dates = o2o_dates
        # pins
        pinned: dict[str, date] = {}
        per_date: dict[date, list[str]] = defaultdict(list)
        for d in sorted(req.pins):
            for code in req.pins[d]:
                if code not in self.div_index:
                    add(_problem("unknown_division", division=code, division_code=code))
                    continue
                div = chosen[self.div_index[code]]
                if d not in self.date_index:
                    add(_problem("pin_outside_dates", **self.div_params(div), **self.date_params(d)))
                    continue
                if code in pinned and pinned[code] != d:
                    add(_problem("pin_conflict", **self.div_params(div),
                                 **self.date_params(pinned[code]),
                                 **self.date_params(d, "other_date")))  # fmt: skip
                    continue
                if code not in pinned:
                    pinned[code] = d
                    per_date[d].append(code)
        for d, codes in sorted(per_date.items()):
            if len(codes) > req.per_day:
                add(_problem("pin_over_capacity", count=len(codes), per_day=req.per_day,
                             divisions=", ".join(chosen[self.div_index[c]].name_en for c in codes),
                             **self.date_params(d)))  # fmt: skip
        self.pins = {self.div_index[c]: self.date_index[d] for c, d in pinned.items()}
        capacity = req.per_day * len(dates)
        if len(chosen) > capacity:
            add(_problem("too_many_divisions", count=len(chosen), days=len(dates),
                         per_day=req.per_day, capacity=capacity,
                         missing_days=-(-(len(chosen) - capacity) // req.per_day)))  # fmt: skip
        for div in chosen:
            if div.districts and not div.co_incharges and req.organization_incharge is None:
                add(_problem("no_reviewer", **self.div_params(div)))
        group_start = _fit_start(_merge_breaks(req.breaks), ws, req.group_minutes)
        if req.group_minutes > we - group_start:
            add(_problem("window_too_short", group_minutes=req.group_minutes,
                         start=_hm(ws), end=_hm(we)))  # fmt: skip

    # -- derived data ----------------------------------------------------------------------
    def _build(self, prefer_reviewer: dict[str, int]) -> None:
        req = self.req
        self.L = req.one_to_one_minutes
        self.ws, self.we = _minutes(req.window[0]), _minutes(req.window[1])
        self.breaks = _merge_breaks(req.breaks)
        self._grids: dict[int, list[int]] = {}
        self.group_start = _fit_start(self.breaks, self.ws, req.group_minutes)
        self.group_end = self.group_start + req.group_minutes
        self.same_day = req.one_to_ones == "same_day"
        self.o2o_start = self.group_end + req.gap_minutes
        self.K = len(self.grid(self.o2o_start))
        self.rooms = list(dict.fromkeys(req.rooms)) if req.rooms else None
        self.R = len(self.rooms) if self.rooms else None
        self.extras = list(dict.fromkeys(req.extra_reviewers))
        unavailable = {p: set(ds) for p, ds in req.unavailable.items() if ds}
        self.unavailable = unavailable

        # slots: one per district of a chosen division, in division order then district order
        self.slot_district: list[District] = []
        self.slot_div: list[int] = []
        self.slot_resp: list[int] = []
        self.slot_reviewers: list[list[int]] = []
        self.slot_persons: list[frozenset[int]] = []
        self.div_slots: list[list[int]] = []
        self.div_invitees: list[list[int]] = []
        self.district_slot: dict[str, int] = {}
        for i, div in enumerate(self.divs):
            cands = list(dict.fromkeys(div.co_incharges))
            if not cands:
                cands = [req.organization_incharge]
            load = dict.fromkeys(cands, 0)
            ids, presidents, resps = [], [], []
            for dist in div.districts:
                resp = prefer_reviewer.get(dist.code)
                if resp not in load:
                    resp = min(cands, key=lambda c: load[c])  # first of the least loaded
                load[resp] += 1
                reviewers = [resp] + [e for e in self.extras if e != resp]
                s = len(self.slot_district)
                self.district_slot[dist.code] = s
                self.slot_district.append(dist)
                self.slot_div.append(i)
                self.slot_resp.append(resp)
                self.slot_reviewers.append(reviewers)
                persons = set(reviewers)
                if dist.president is not None:
                    persons.add(dist.president)
                    presidents.append(dist.president)
                self.slot_persons.append(frozenset(persons))
                resps.append(resp)
                ids.append(s)
            self.div_slots.append(ids)
            self.div_invitees.append(list(dict.fromkeys(presidents + resps)))
        self.div_size = [len(x) for x in self.div_slots]

        # dates each division may use (every invitee, extra reviewers included, is available)
        self.allowed: list[_DateSet] = []
        n_dates = len(self.dates)
        for i in range(len(self.divs)):
            blocked = set()
            for p in self.div_invitees[i] + self.extras:
                for d in unavailable.get(p, ()):
                    k = self.date_index.get(d)
                    if k is not None:
                        blocked.add(k)
            self.allowed.append(_DateSet(n_dates, blocked))
        self.allowed_set = self.allowed

        # one-to-one dates (other_dates mode) with their first slot time and capacity
        if not self.same_day:
            group_dates = set(self.dates)
            self.o2o_first = [self.o2o_start if d in group_dates else self.ws for d in self.o2o_dates]
            self.o2o_K = [len(self.grid(f)) for f in self.o2o_first]
            self.slot_allowed = []
            for persons in self.slot_persons:
                people = [p for p in persons if p in unavailable]
                self.slot_allowed.append(
                    [k for k, d in enumerate(self.o2o_dates)
                     if not any(d in unavailable[p] for p in people)]
                )  # fmt: skip

        # conflict structure: slots that share a person are joined; when every joined group has
        # a person common to all its slots (e.g. the reviewer), the groups are cliques and
        # counting is exact; otherwise an exact search is used.
        n = len(self.slot_persons)
        parent = list(range(n))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        first_of: dict[int, int] = {}
        for s, persons in enumerate(self.slot_persons):
            for p in persons:
                f = first_of.setdefault(p, s)
                if f != s:
                    a, b = find(f), find(s)
                    if a != b:
                        parent[b] = a
        comp_of_root: dict[int, int] = {}
        self.comp = [0] * n
        common: list[set[int]] = []
        for s in range(n):
            r = find(s)
            c = comp_of_root.get(r)
            if c is None:
                c = comp_of_root[r] = len(common)
                common.append(set(self.slot_persons[s]))
            else:
                common[c] &= self.slot_persons[s]
            self.comp[s] = c
        self.comp_common = common
        self.clique_mode = all(common)
        self.div_vec = []
        for i in range(len(self.divs)):
            counts: dict[int, int] = {}
            for s in self.div_slots[i]:
                counts[self.comp[s]] = counts.get(self.comp[s], 0) + 1
            self.div_vec.append(tuple(counts.items()))
        self._fit_cache: dict[frozenset, list | None] = {}
        self.gave_up = False

    # -- helpers ---------------------------------------------------------------------------
    def grid(self, first: int) -> list[int]:
        """Start minutes of the one-to-one time positions from ``first`` (breaks skipped)."""
        got = self._grids.get(first)
        if got is None:
            got = self._grids[first] = _grid(self.breaks, first, self.we, self.L)
        return got

    def comp_reviewer_names(self, c: int) -> dict:
        common = self.comp_common[c]
        order = [p for p in self.extras if p in common]
        order += sorted(p for p in common if p not in order)
        return self.names(order)

    def room_name(self, j: int) -> str:
        return self.rooms[j] if self.rooms else f"Room {j + 1}"

    def division_names(self, idx: Iterable[int]) -> tuple[str, str]:
        divs = [self.divs[i] for i in idx]
        return (", ".join(d.name_en for d in divs), ", ".join(d.name_hi or d.name_en for d in divs))

    def day_fits_general(self, divset: frozenset) -> list | None:
        """Exact check (general conflict structure) that the slots of these divisions fit in one
        same-day window; returns the index per slot or None."""
        if divset in self._fit_cache:
            return self._fit_cache[divset]
        slots = [s for i in sorted(divset) for s in self.div_slots[i]]
        status, assign = _general_schedule(
            [self.slot_persons[s] for s in slots], [[0]] * len(slots), [self.K], self.R
        )
        if status == "unknown":
            self.gave_up = True
        result = [a[1] for a in assign] if status == "ok" else None
        self._fit_cache[divset] = result
        return result


# --------------------------------------------------------------------------------------------
# Day capacity: can these divisions share a day?
# --------------------------------------------------------------------------------------------


class _CountCap:
    """Exact when the slots' conflict groups are cliques: per day each group has at most K slots
    and all together at most R*K."""

    def __init__(self, ctx: _Ctx, ndates: int):
        self.K = ctx.K
        self.RK = ctx.R * ctx.K if ctx.R is not None else None
        self.vec = ctx.div_vec
        self.size = ctx.div_size
        self.tot = [0] * ndates
        self.cc: list[dict[int, int]] = [{} for _ in range(ndates)]

    def can_add(self, d: int, i: int) -> bool:
        if self.RK is not None and self.tot[d] + self.size[i] > self.RK:
            return False
        cc, K = self.cc[d], self.K
        for c, n in self.vec[i]:
            if cc.get(c, 0) + n > K:
                return False
        return True

    def add(self, d: int, i: int) -> None:
        self.tot[d] += self.size[i]
        cc = self.cc[d]
        for c, n in self.vec[i]:
            cc[c] = cc.get(c, 0) + n

    def remove(self, d: int, i: int) -> None:
        self.tot[d] -= self.size[i]
        cc = self.cc[d]
        for c, n in self.vec[i]:
            cc[c] -= n


class _GeneralCap:
    def __init__(self, ctx: _Ctx, ndates: int):
        self.ctx = ctx
        self.sets: list[set[int]] = [set() for _ in range(ndates)]

    def can_add(self, d: int, i: int) -> bool:
        return self.ctx.day_fits_general(frozenset(self.sets[d] | {i})) is not None

    def add(self, d: int, i: int) -> None:
        self.sets[d].add(i)

    def remove(self, d: int, i: int) -> None:
        self.sets[d].discard(i)


def _make_cap(ctx: _Ctx, ndates: int):
    if not ctx.same_day:
        return None
    return _CountCap(ctx, ndates) if ctx.clique_mode else _GeneralCap(ctx, ndates)


# --------------------------------------------------------------------------------------------
# Assigning divisions to dates
# --------------------------------------------------------------------------------------------

_EXACT_MAX_FREE = 12
_EXACT_NODE_BUDGET = 150_000


def _assign(
    ctx: _Ctx,
    cap,
    fixed: dict[int, int],
    prefer: dict[int, int] | None = None,
    optimize: bool = True,
) -> list[int] | None:
    """Division index -> date index, minimising the largest day (number of districts). ``fixed``
    are hard (pins, kept days); ``prefer`` are tried first (no optimisation then)."""
    ndiv, N, per_day = len(ctx.divs), len(ctx.dates), ctx.req.per_day
    sizes, allowed, allowed_set = ctx.div_size, ctx.allowed, ctx.allowed_set
    asg = [-1] * ndiv
    load, cnt = [0] * N, [0] * N
    members: list[list[int]] = [[] for _ in range(N)]
    is_fixed = [False] * ndiv

    def ok(i, d):
        return cnt[d] < per_day and d in allowed_set[i] and (cap is None or cap.can_add(d, i))

    def put(i, d):
        asg[i] = d
        load[d] += sizes[i]
        cnt[d] += 1
        members[d].append(i)
        if cap is not None:
            cap.add(d, i)

    def take(i):
        d = asg[i]
        asg[i] = -1
        load[d] -= sizes[i]
        cnt[d] -= 1
        members[d].remove(i)
        if cap is not None:
            cap.remove(d, i)
        return d

    for i, d in sorted(fixed.items()):
        if not ok(i, d):
            return None
        put(i, d)
        is_fixed[i] = True
    free = sorted((i for i in range(ndiv) if asg[i] < 0), key=lambda i: (-sizes[i], len(allowed[i]), i))

    # greedy: largest first onto the least loaded feasible day (a heap of days keeps it fast)
    ver = [0] * N
    heap = [(load[d], cnt[d], d, 0) for d in range(N) if cnt[d] < per_day]
    heapq.heapify(heap)

    def touch(d):
        ver[d] += 1
        if cnt[d] < per_day:
            heapq.heappush(heap, (load[d], cnt[d], d, ver[d]))

    def choose(i):
        if len(allowed[i]) <= 48:
            best = None
            for d in allowed[i]:
                if ok(i, d):
                    key = (load[d], cnt[d], d)
                    if best is None or key < best:
                        best = key
            return None if best is None else best[2]
        popped, found = [], None
        while heap:
            entry = heapq.heappop(heap)
            d = entry[2]
            if entry[3] != ver[d] or cnt[d] >= per_day:
                continue
            popped.append(entry)
            if ok(i, d):
                found = d
                break
        for entry in popped:
            if entry[2] != found:
                heapq.heappush(heap, entry)
        return found

    def eject(i):
        """Make room for i on one of its days by moving one division elsewhere."""
        for d in allowed[i]:
            for j in list(members[d]):
                if is_fixed[j]:
                    continue
                take(j)
                if ok(i, d):
                    put(i, d)
                    for e in allowed[j]:
                        if e != d and ok(j, e):
                            put(j, e)
                            touch(d)
                            touch(e)
                            return True
                    take(i)
                put(j, d)
        return False

    complete = True
    for i in free:
        if prefer and i in prefer and ok(i, prefer[i]):
            d = prefer[i]
        else:
            d = choose(i)
        if d is None:
            if not eject(i):
                complete = False
                continue
        else:
            put(i, d)
            touch(d)

    lower = max(
        [-(-sum(sizes) // N)]
        + [sizes[i] for i in free]
        + [load[d] for d in range(N) if all(is_fixed[j] for j in members[d])]
    )
    if complete and optimize:
        _improve(asg, load, cnt, members, is_fixed, sizes, allowed, allowed_set, per_day, ok, put,
                 take, lower)  # fmt: skip
    if optimize or not complete:
        best_max = max(load) if complete else None
        if len(free) <= _EXACT_MAX_FREE and (not complete or best_max > lower):
            result = _branch_and_bound(ctx, asg, load, members, free, best_max, lower, ok, put,
                                       take)  # fmt: skip
            if result is not None:
                return result
    return asg if complete else None


def _improve(asg, load, cnt, members, is_fixed, sizes, allowed, allowed_set, per_day, ok, put,
             take, lower):  # fmt: skip
    """Local search: move or swap a division off the most loaded day while that lowers it."""
    N = len(load)
    for _round in range(4 * len(asg) + 10):
        top = max(range(N), key=lambda d: (load[d], -d))
        top_load = load[top]
        if top_load <= lower:
            return
        best = None  # (new max of the two days, kind, i, e, j)
        for i in list(members[top]):
            if is_fixed[i]:
                continue
            si = sizes[i]
            blocked = allowed[i].blocked
            for e in range(N):
                le = load[e]
                if e == top or le >= top_load or e in blocked:
                    continue
                if cnt[e] < per_day and le + si < top_load:  # move i to e
                    take(i)
                    good = ok(i, e)
                    put(i, top)
                    if good:
                        cand = (max(le + si, top_load - si), 0, i, e, -1)
                        if best is None or cand < best:
                            best = cand
                for j in list(members[e]):  # swap i with a smaller j of e
                    sj = sizes[j]
                    if is_fixed[j] or sj >= si or le - sj + si >= top_load or top not in allowed_set[j]:
                        continue
                    take(i)
                    take(j)
                    good = False
                    if ok(i, e):
                        put(i, e)
                        good = ok(j, top)
                        take(i)
                    put(i, top)
                    put(j, e)
                    if good:
                        cand = (max(le - sj + si, top_load - si + sj), 1, i, e, j)
                        if best is None or cand < best:
                            best = cand
        if best is None or best[0] >= top_load:
            return
        _, kind, i, e, j = best
        take(i)
        if kind == 1:
            take(j)
            put(j, top)
        put(i, e)


def _branch_and_bound(ctx, asg, load, members, movable, best_max, lower, ok, put, take):
    """Exact search over the movable divisions (few of them): returns an assignment whose largest
    day is below ``best_max`` (any assignment when ``best_max`` is None) and smallest, or None."""
    sizes, allowed, allowed_set = ctx.div_size, ctx.allowed, ctx.allowed_set
    saved = list(asg)
    for i in movable:
        if asg[i] >= 0:
            take(i)
    order = sorted(movable, key=lambda i: (-sizes[i], len(allowed[i]), i))
    best = [best_max if best_max is not None else float("inf"), None]
    nodes = [0]

    def dfs(k, curmax):
        if nodes[0] > _EXACT_NODE_BUDGET:
            return
        nodes[0] += 1
        if k == len(order):
            if curmax < best[0]:
                best[0], best[1] = curmax, list(asg)
            return
        i = order[k]
        s = sizes[i]
        seen_empty = set()
        for d in sorted(allowed[i], key=lambda d: (load[d], d)):
            if max(curmax, load[d] + s) >= best[0]:
                continue
            if not members[d]:  # empty days that look alike to the rest are interchangeable
                sig = tuple(d in allowed_set[j] for j in order[k:])
                if sig in seen_empty:
                    continue
                seen_empty.add(sig)
            if not ok(i, d):
                continue
            put(i, d)
            dfs(k + 1, max(curmax, load[d]))
            take(i)
            if best[0] <= lower:
                return

    if lower < best[0]:
        dfs(0, max(load) if load else 0)
    if nodes[0] > _EXACT_NODE_BUDGET and best[1] is None:
        ctx.gave_up = True
    for i in movable:
        if saved[i] >= 0:
            put(i, saved[i])
    return best[1]


# --------------------------------------------------------------------------------------------
# Exact slot scheduling for a general conflict structure (small cases)
# --------------------------------------------------------------------------------------------

_SLOT_NODE_BUDGET = 100_000


def _general_schedule(persons, allowed, K, R, budget=_SLOT_NODE_BUDGET):
    """Place each slot on (date index, time index) with allowed[s] its date indices and K[d] the
    number of time indices on date d, such that slots sharing a person differ and at most R
    (None: unlimited) slots share a time. Backtracking with fewest-options-first; the unused time
    indices of a date are interchangeable, so only the first unused one is tried.
    Returns (status, assignment) with status "ok", "infeasible" or "unknown" (budget spent)."""
    n = len(persons)
    if n == 0:
        return "ok", []
    used: dict[tuple[int, int], set[int]] = {}
    count: dict[tuple[int, int], int] = {}
    opened = [0] * len(K)
    assign: list[tuple[int, int] | None] = [None] * n
    nodes = [0]

    def options(s):
        out = []
        ps = persons[s]
        for d in allowed[s]:
            for t in range(opened[d]):
                key = (d, t)
                if (R is None or count[key] < R) and not (used[key] & ps):
                    out.append(key)
            if opened[d] < K[d]:
                out.append((d, opened[d]))
        return out

    def dfs(left):
        if not left:
            return True
        nodes[0] += 1
        if nodes[0] > budget:
            raise _Budget
        best_s, best_opts = None, None
        for s in left:
            opts = options(s)
            if best_opts is None or len(opts) < len(best_opts):
                best_s, best_opts = s, opts
                if not opts:
                    return False
        rest = [s for s in left if s != best_s]
        for key in best_opts:
            d, t = key
            fresh = t == opened[d]
            if fresh:
                opened[d] += 1
                used[key] = set()
                count[key] = 0
            used[key] |= persons[best_s]
            count[key] += 1
            assign[best_s] = key
            if dfs(rest):
                return True
            assign[best_s] = None
            count[key] -= 1
            used[key] -= persons[best_s]
            if fresh:
                opened[d] -= 1
                del used[key], count[key]
        return False

    try:
        found = dfs(list(range(n)))
    except _Budget:
        return "unknown", []
    return ("ok", assign) if found else ("infeasible", [])


class _Budget(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Other-dates mode: districts to one-to-one dates (exact with counting + max flow)
# --------------------------------------------------------------------------------------------


class _Flow:
    def __init__(self, n: int):
        self.n = n
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.to: list[int] = []
        self.cap: list[int] = []

    def edge(self, u: int, v: int, c: int) -> int:
        self.adj[u].append(len(self.to))
        self.to.append(v)
        self.cap.append(c)
        self.adj[v].append(len(self.to))
        self.to.append(u)
        self.cap.append(0)
        return len(self.to) - 2

    def maxflow(self, s: int, t: int) -> int:
        """Dinic's algorithm (paths are short here, so the recursion stays shallow)."""
        flow = 0
        while self._levels(s, t):
            self.it = [0] * self.n
            while True:
                f = self._push(s, t, 1 << 60)
                if not f:
                    break
                flow += f
        return flow

    def _levels(self, s: int, t: int) -> bool:
        to, cap, adj = self.to, self.cap, self.adj
        level = [-1] * self.n
        level[s] = 0
        queue = [s]
        for u in queue:
            for e in adj[u]:
                if cap[e] > 0 and level[to[e]] < 0:
                    level[to[e]] = level[u] + 1
                    queue.append(to[e])
        self.level = level
        return level[t] >= 0

    def _push(self, u: int, t: int, f: int) -> int:
        if u == t:
            return f
        to, cap, adj, level, it = self.to, self.cap, self.adj, self.level, self.it
        while it[u] < len(adj[u]):
            e = adj[u][it[u]]
            v = to[e]
            if cap[e] > 0 and level[v] == level[u] + 1:
                got = self._push(v, t, min(f, cap[e]))
                if got:
                    cap[e] -= got
                    cap[e ^ 1] += got
                    return got
            it[u] += 1
        return 0


def _other_dates_assign(ctx: _Ctx) -> tuple[dict[int, int] | None, int]:
    """Slot -> one-to-one date index (clique mode); returns (assignment or None, slots placed)."""
    K, R = ctx.o2o_K, ctx.R
    n = len(ctx.slot_persons)
    per_cd: dict[tuple[int, int], int] = defaultdict(int)
    per_d = [0] * len(K)
    out: dict[int, int] = {}
    for s in range(n):
        c = ctx.comp[s]
        for d in ctx.slot_allowed[s]:
            if per_cd[(c, d)] < K[d] and (R is None or per_d[d] < R * K[d]):
                per_cd[(c, d)] += 1
                per_d[d] += 1
                out[s] = d
                break
    if len(out) == n:
        return out, n
    # greedy failed: exact max flow over (group, allowed dates) types
    types: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for s in range(n):
        types[(ctx.comp[s], tuple(ctx.slot_allowed[s]))].append(s)
    type_list = list(types.items())
    nodes = {"src": 0, "sink": 1}
    cd_node: dict[tuple[int, int], int] = {}
    nxt = 2 + len(type_list)
    date_node = {}
    for d in range(len(K)):
        date_node[d] = nxt
        nxt += 1
    for (c, dates_), _ids in type_list:
        for d in dates_:
            if (c, d) not in cd_node:
                cd_node[(c, d)] = nxt
                nxt += 1
    g = _Flow(nxt)
    type_edges = []
    for k, ((c, dates_), ids) in enumerate(type_list):
        g.edge(nodes["src"], 2 + k, len(ids))
        type_edges.append([(d, g.edge(2 + k, cd_node[(c, d)], len(ids))) for d in dates_])
    for (_c, d), v in cd_node.items():
        g.edge(v, date_node[d], K[d])
    for d in range(len(K)):
        g.edge(date_node[d], nodes["sink"], (R * K[d]) if R is not None else n)
    total = g.maxflow(0, 1)
    if total < n:
        return None, total
    out = {}
    for k, ((_c, _dates), ids) in enumerate(type_list):
        pos = 0
        for d, e in type_edges[k]:
            used = g.cap[e ^ 1]
            for s in ids[pos : pos + used]:
                out[s] = d
            pos += used
    return out, n


# --------------------------------------------------------------------------------------------
# Building days
# --------------------------------------------------------------------------------------------


def _slot(ctx: _Ctx, s: int, d: date, minute: int, room: str) -> Slot:
    dist = ctx.slot_district[s]
    return Slot(
        district=dist.code,
        president=dist.president,
        reviewers=list(ctx.slot_reviewers[s]),
        start=_at(d, minute),
        end=_at(d, minute + ctx.L),
        room=room,
    )


def _arrange(ctx: _Ctx, slots: list[int], d: date, first: int, K: int) -> list[Slot] | None:
    """Timetable of the given slots on one date, from minute ``first`` with K time positions."""
    if not slots:
        return []
    at = ctx.grid(first)
    if ctx.clique_mode:
        groups: dict[int, list[int]] = {}
        for s in slots:
            groups.setdefault(ctx.comp[s], []).append(s)
        out = []
        if ctx.R is None or len(groups) <= ctx.R:
            for j, ids in enumerate(groups.values()):
                if len(ids) > K:
                    return None
                for t, s in enumerate(ids):
                    out.append(_slot(ctx, s, d, at[t], ctx.room_name(j)))
        else:
            T = max(max(len(g) for g in groups.values()), -(-len(slots) // ctx.R))
            if T > K:
                return None
            pos = 0
            for ids in groups.values():
                for s in ids:
                    layer, t = divmod(pos, T)
                    out.append(_slot(ctx, s, d, at[t], ctx.room_name(layer)))
                    pos += 1
        return out
    status, assign = _general_schedule([ctx.slot_persons[s] for s in slots], [[0]] * len(slots), [K], ctx.R)
    if status != "ok":
        if status == "unknown":
            ctx.gave_up = True
        return None
    per_t: dict[int, int] = defaultdict(int)
    out = []
    for s, (_, t) in zip(slots, assign, strict=True):
        out.append(_slot(ctx, s, d, at[t], ctx.room_name(per_t[t])))
        per_t[t] += 1
    return out


def _group_session(ctx: _Ctx, d: date, div_idx: list[int]) -> GroupSession:
    invitees: list[int] = []
    for i in div_idx:
        invitees.extend(ctx.div_invitees[i])
    invitees.extend(ctx.extras)
    return GroupSession(
        start=_at(d, ctx.group_start),
        end=_at(d, ctx.group_end),
        room=ctx.req.group_room,
        invitees=list(dict.fromkeys(invitees)),
    )


def _sort_slots(slots: list[Slot]) -> list[Slot]:
    return sorted(slots, key=lambda x: (x.start, x.room, x.district))


def _build_days(ctx: _Ctx, asg: list[int]) -> tuple[list[PlanDay] | None, list[Problem]]:
    by_date: dict[int, list[int]] = defaultdict(list)
    for i, d in enumerate(asg):
        by_date[d].append(i)
    days: dict[date, PlanDay] = {}
    for k in sorted(by_date):
        d = ctx.dates[k]
        idx = by_date[k]
        gs = _group_session(ctx, d, idx)
        slots: list[Slot] = []
        if ctx.same_day:
            got = _arrange(ctx, [s for i in idx for s in ctx.div_slots[i]], d, ctx.o2o_start, ctx.K)
            if got is None:
                return None, [_day_problem(ctx, k, idx)]
            slots = got
        days[d] = PlanDay(d, [ctx.divs[i].code for i in idx], gs, _sort_slots(slots))
    if not ctx.same_day:
        problems = _schedule_other_dates(ctx, days)
        if problems:
            return None, problems
    return [days[d] for d in sorted(days)], []


def _schedule_other_dates(ctx: _Ctx, days: dict[date, PlanDay]) -> list[Problem]:
    n = len(ctx.slot_persons)
    if ctx.clique_mode:
        where, placed = _other_dates_assign(ctx)
        if where is None:
            return [_o2o_full(ctx, placed)]
    else:
        status, assign = _general_schedule(ctx.slot_persons, ctx.slot_allowed, ctx.o2o_K, ctx.R)
        if status != "ok":
            if status == "unknown":
                return [_problem("search_gave_up")]
            return [_o2o_full(ctx, None)]
        where = {s: a[0] for s, a in enumerate(assign)}
    per_date: dict[int, list[int]] = defaultdict(list)
    for s in range(n):
        per_date[where[s]].append(s)
    for k, slots in sorted(per_date.items()):
        d = ctx.o2o_dates[k]
        got = _arrange(ctx, slots, d, ctx.o2o_first[k], ctx.o2o_K[k])
        if got is None:  # cannot happen after an exact assignment; kept as a guard
            return [_o2o_full(ctx, None)]
        day = days.get(d)
        if day is None:
            days[d] = PlanDay(d, [], None, _sort_slots(got))
        else:
            days[d] = PlanDay(d, day.divisions, day.group_session, _sort_slots(got))
    return []


# --------------------------------------------------------------------------------------------
# Diagnostics
# --------------------------------------------------------------------------------------------


def _window_params(ctx: _Ctx, first: int | None = None) -> dict:
    first = ctx.o2o_start if first is None else first
    return {"start": _hm(first), "end": _hm(ctx.we)}


def _o2o_full(ctx: _Ctx, placed: int | None) -> Problem:
    n = len(ctx.slot_persons)
    if placed is None:  # general conflicts: count what a first-fit pass manages to place
        used: dict[tuple[int, int], set[int]] = defaultdict(set)
        count: dict[tuple[int, int], int] = defaultdict(int)
        placed = 0
        for s, persons in enumerate(ctx.slot_persons):
            for spot in ((d, t) for d in ctx.slot_allowed[s] for t in range(ctx.o2o_K[d])):
                if not (used[spot] & persons) and (ctx.R is None or count[spot] < ctx.R):
                    used[spot] |= persons
                    count[spot] += 1
                    placed += 1
                    break
        placed = min(placed, n - 1)
    first = min(ctx.o2o_first) if ctx.o2o_first else ctx.ws
    return _problem("one_to_one_dates_full", needed=n, fits=placed, **_window_params(ctx, first))


def _reviewer_params(names: dict) -> dict:
    return {"reviewer": names["en"], "reviewer_hi": names["hi"], "reviewer_ids": names["ids"]}


def _day_problem(ctx: _Ctx, k: int, idx: list[int]) -> Problem:
    """Why the divisions ``idx`` do not fit on date index ``k`` (same-day mode)."""
    d = ctx.dates[k]
    slots = [s for i in idx for s in ctx.div_slots[i]]
    base = dict(day=k + 1, **ctx.date_params(d), **_window_params(ctx),
                divisions=ctx.division_names(idx)[0], divisions_hi=ctx.division_names(idx)[1])  # fmt: skip
    if ctx.clique_mode:
        counts: dict[int, int] = defaultdict(int)
        for s in slots:
            counts[ctx.comp[s]] += 1
        c, worst = max(counts.items(), key=lambda kv: kv[1])
        if worst > ctx.K:
            return _problem("slots_do_not_fit", needed=worst, fits=ctx.K,
                            **_reviewer_params(ctx.comp_reviewer_names(c)), **base)  # fmt: skip
        if ctx.R is not None and len(slots) > ctx.R * ctx.K:
            return _problem("rooms_do_not_fit", needed=len(slots), fits=ctx.R * ctx.K,
                            rooms=ctx.R, **base)  # fmt: skip
    per_person: dict[int, int] = defaultdict(int)
    for s in slots:
        for p in ctx.slot_persons[s]:
            per_person[p] += 1
    if per_person:
        p, worst = max(per_person.items(), key=lambda kv: (kv[1], -kv[0]))
        if worst > ctx.K:
            return _problem("slots_do_not_fit", needed=worst, fits=ctx.K,
                            **_reviewer_params(ctx.names([p])), **base)  # fmt: skip
    if ctx.R is not None and len(slots) > ctx.R * ctx.K:
        return _problem("rooms_do_not_fit", needed=len(slots), fits=ctx.R * ctx.K, rooms=ctx.R,
                        **base)  # fmt: skip
    if ctx.gave_up:
        return _problem("search_gave_up")
    return _problem("day_does_not_fit", needed=len(slots), **base)


def _fits_alone(ctx: _Ctx, cap, i: int) -> bool:
    if cap is None:
        return True
    if isinstance(cap, _CountCap):
        probe = _CountCap(ctx, 1)
        return probe.can_add(0, i)
    return ctx.day_fits_general(frozenset([i])) is not None


def _availability_problems(ctx: _Ctx) -> list[Problem]:
    problems = []
    unavailable = ctx.unavailable
    for i, k in sorted(ctx.pins.items()):
        if k in ctx.allowed_set[i]:
            continue
        d = ctx.dates[k]
        div = ctx.divs[i]
        for p in dict.fromkeys(ctx.div_invitees[i] + ctx.extras):
            if d in unavailable.get(p, ()):
                problems.append(_problem(
                    "person_unavailable", person=ctx.pname(p), person_hi=ctx.pname_hi(p),
                    person_id=p, subject=f"{div.name_en} division",
                    subject_hi=f"{div.name_hi or div.name_en} संभाग", **ctx.date_params(d)))  # fmt: skip
    for i, div in enumerate(ctx.divs):
        if ctx.allowed[i] or i in ctx.pins:
            continue
        people = [p for p in dict.fromkeys(ctx.div_invitees[i] + ctx.extras)
                  if any(d in unavailable.get(p, ()) for d in ctx.dates)]  # fmt: skip
        names = ctx.names(people)
        problems.append(_problem("division_unavailable", people=names["en"],
                                 people_hi=names["hi"], people_ids=names["ids"],
                                 **ctx.div_params(div)))  # fmt: skip
    if not ctx.same_day:
        for s, allowed in enumerate(ctx.slot_allowed):
            if allowed:
                continue
            dist = ctx.slot_district[s]
            people = sorted(p for p in ctx.slot_persons[s]
                            if any(d in unavailable.get(p, ()) for d in ctx.o2o_dates))  # fmt: skip
            names = ctx.names(people)
            problems.append(_problem("district_unavailable", district=dist.name_en,
                                     district_hi=dist.name_hi or dist.name_en,
                                     district_code=dist.code, people=names["en"],
                                     people_hi=names["hi"], people_ids=names["ids"]))  # fmt: skip
    return problems


def _capacity_problems(ctx: _Ctx, cap) -> list[Problem]:
    """Divisions too big for any day, and pinned days that overflow (same-day mode)."""
    if cap is None:
        return []
    problems = []
    for i, div in enumerate(ctx.divs):
        if _fits_alone(ctx, cap, i):
            continue
        slots = ctx.div_slots[i]
        if ctx.clique_mode:
            counts: dict[int, int] = defaultdict(int)
            for s in slots:
                counts[ctx.comp[s]] += 1
            c, worst = max(counts.items(), key=lambda kv: kv[1])
            if worst > ctx.K or ctx.R is None:
                names, needed, fits = ctx.comp_reviewer_names(c), worst, ctx.K
            else:
                names, needed, fits = ctx.names([]), len(slots), ctx.R * ctx.K
        else:
            names, needed, fits = ctx.names(sorted({ctx.slot_resp[s] for s in slots})), len(slots), ctx.K
        problems.append(_problem("division_too_big", needed=needed, fits=fits,
                                 **_reviewer_params(names), **ctx.div_params(div),
                                 **_window_params(ctx)))  # fmt: skip
    if problems:
        return problems
    by_date: dict[int, list[int]] = defaultdict(list)
    for i, k in ctx.pins.items():
        by_date[k].append(i)
    for k, idx in sorted(by_date.items()):
        probe = type(cap)(ctx, len(ctx.dates))
        fits = True
        for i in sorted(idx):
            if not probe.can_add(k, i):
                fits = False
                break
            probe.add(k, i)
        if not fits:
            problems.append(_day_problem(ctx, k, sorted(idx)))
    return problems


def _explain_failure(ctx: _Ctx, cap) -> tuple[list[int] | None, list[Problem]]:
    """No assignment was found: find out why, or find one after all."""
    relaxed = _assign(ctx, None, dict(ctx.pins))
    if relaxed is None or cap is None:
        if ctx.gave_up:
            return None, [_problem("search_gave_up")]
        return None, [_problem("no_arrangement", count=len(ctx.divs), days=len(ctx.dates),
                               per_day=ctx.req.per_day)]  # fmt: skip
    by_date: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(relaxed):
        by_date[k].append(i)
    problems = []
    for k, idx in sorted(by_date.items()):
        probe = type(cap)(ctx, len(ctx.dates))
        for i in idx:
            if not probe.can_add(k, i):
                problems.append(_day_problem(ctx, k, idx))
                break
            probe.add(k, i)
    if not problems:  # the relaxed arrangement fits after all
        return relaxed, []
    if ctx.gave_up:
        problems.append(_problem("search_gave_up"))
    return None, problems


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def responsible_reviewers(request: PlanRequest) -> dict[str, int]:
    """District code -> its responsible reviewer as the planner assigns them (empty when the
    request is invalid)."""
    ctx = _Ctx(request)
    if ctx.problems:
        return {}
    return {ctx.slot_district[s].code: r for s, r in enumerate(ctx.slot_resp)}


def _solve(ctx: _Ctx, keep: dict[int, int] | None = None) -> tuple[list[int] | None, list[Problem]]:
    """Division index -> date index for a valid request, or the problems. ``keep`` (replan): days
    to keep if at all possible."""
    problems = _availability_problems(ctx)
    if problems:
        return None, problems
    ndates = len(ctx.dates)
    problems = _capacity_problems(ctx, _make_cap(ctx, ndates))
    if problems:
        return None, problems
    asg = None
    if keep:
        fixed = dict(ctx.pins)
        fixed.update(keep)
        asg = _assign(ctx, _make_cap(ctx, ndates), fixed)
        if asg is None:
            asg = _assign(ctx, _make_cap(ctx, ndates), dict(ctx.pins), prefer=keep, optimize=False)
    if asg is None:
        asg = _assign(ctx, _make_cap(ctx, ndates), dict(ctx.pins))
    if asg is None:
        return _explain_failure(ctx, _make_cap(ctx, ndates))
    return asg, []


def plan(request: PlanRequest) -> Plan:
    """Plan the meeting: every chosen division on one day, its group session and one one-to-one
    per district. Returns ``Plan(days=[], problems=[...])`` when no plan exists."""
    ctx = _Ctx(request)
    if ctx.problems:
        return Plan(days=[], problems=list(ctx.problems))
    asg, problems = _solve(ctx)
    if asg is None:
        return Plan(days=[], problems=problems)
    days, problems = _build_days(ctx, asg)
    if days is None:
        return Plan(days=[], problems=problems)
    return Plan(days=days, problems=[])


# --------------------------------------------------------------------------------------------
# Bookkeeping of who and which room is busy when (replan and the adjustment helpers)
# --------------------------------------------------------------------------------------------


@dataclass
class _Event:
    key: tuple  # ("group", date) or ("slot", district code)
    date: date
    start: int  # minutes since midnight
    end: int
    room: str
    persons: tuple[int, ...]
    label: str
    label_hi: str


class _Book:
    """Events of one date, per person and per room."""

    def __init__(self):
        self.person: dict[int, list[_Event]] = defaultdict(list)
        self.room: dict[str, list[_Event]] = defaultdict(list)

    def add(self, ev: _Event) -> None:
        for p in ev.persons:
            self.person[p].append(ev)
        self.room[ev.room].append(ev)

    def person_clashes(self, persons, start: int, end: int, ignore=None) -> list[tuple[int, _Event]]:
        out = []
        for p in persons:
            for ev in self.person.get(p, ()):
                if ev.key != ignore and ev.start < end and start < ev.end:
                    out.append((p, ev))
                    break
        return out

    def room_clash(self, room: str, start: int, end: int, ignore=None) -> _Event | None:
        for ev in self.room.get(room, ()):
            if ev.key != ignore and ev.start < end and start < ev.end:
                return ev
        return None


def _district_names(ctx: _Ctx, code: str) -> tuple[str, str]:
    s = ctx.district_slot.get(code)
    if s is None:
        return code, code
    dist = ctx.slot_district[s]
    return dist.name_en, dist.name_hi or dist.name_en


def _slot_event(ctx: _Ctx, sl: Slot) -> _Event:
    en, hi = _district_names(ctx, sl.district)
    persons = tuple(dict.fromkeys(([sl.president] if sl.president is not None else []) + list(sl.reviewers)))
    return _Event(("slot", sl.district), sl.start.date(), _dt_minutes(sl.start), _dt_minutes(sl.end),
                  sl.room, persons, f"the one-to-one with {en}", f"{hi} से वन-टू-वन")  # fmt: skip


def _group_event(ctx: _Ctx, day: PlanDay) -> _Event:
    gs = day.group_session
    divs = [ctx.by_code[c] for c in day.divisions if c in ctx.by_code]
    en = ", ".join(d.name_en for d in divs)
    hi = ", ".join(d.name_hi or d.name_en for d in divs)
    return _Event(("group", day.date), day.date, _dt_minutes(gs.start), _dt_minutes(gs.end),
                  gs.room, tuple(gs.invitees), f"the group session of {en}",
                  f"{hi} की सामूहिक बैठक")  # fmt: skip


def _books(ctx: _Ctx, days: Iterable[PlanDay], skip=None) -> dict[date, _Book]:
    books: dict[date, _Book] = defaultdict(_Book)
    for day in days:
        if day.group_session is not None and ("group", day.date) != skip:
            books[day.date].add(_group_event(ctx, day))
        for sl in day.one_to_ones:
            if ("slot", sl.district) != skip:
                books[day.date].add(_slot_event(ctx, sl))
    return books


def _clash_problems(ctx: _Ctx, ev: _Event, book: _Book, ignore=None) -> list[Problem]:
    problems = []
    for p, other in book.person_clashes(ev.persons, ev.start, ev.end, ignore):
        problems.append(_problem(
            "person_clash", person=ctx.pname(p), person_hi=ctx.pname_hi(p), person_id=p,
            time=_hm(max(ev.start, other.start)), subject=ev.label, subject_hi=ev.label_hi,
            other=other.label, other_hi=other.label_hi, **ctx.date_params(ev.date)))  # fmt: skip
    return problems


def _free_rooms(ctx: _Ctx, book: _Book, start: int, end: int, prefer: list[str]) -> str | None:
    names = list(prefer)
    if ctx.rooms:
        names += ctx.rooms
    else:
        used = sorted(book.room, key=lambda r: (len(r), r))
        names += [r for r in used if r != ctx.req.group_room]
    for r in dict.fromkeys(names):
        if ctx.rooms and r not in ctx.rooms:
            continue
        if book.room_clash(r, start, end) is None:
            return r
    if ctx.rooms:
        return None
    k = 1
    while f"Room {k}" in book.room:
        k += 1
    return f"Room {k}"


def _earliest(ctx: _Ctx, book: _Book, persons, first: int, K: int, prefer: list[str]):
    """Earliest start (on the grid, or right after something already booked) at which all the
    persons and a room are free."""
    L = ctx.L
    cands = set(ctx.grid(first)[:K])
    for p in persons:
        cands.update(ev.end for ev in book.person.get(p, ()) if ev.end >= first)
    if ctx.rooms:
        for r in ctx.rooms:
            cands.update(ev.end for ev in book.room.get(r, ()) if ev.end >= first)
    for m in sorted(cands):
        if m + L > ctx.we:
            break
        if _crossed(ctx.breaks, m, m + L) or book.person_clashes(persons, m, m + L):
            continue
        room = _free_rooms(ctx, book, m, m + L, prefer)
        if room is not None:
            return m, room
    return None


def _reviewer_room(book: _Book, person: int) -> list[str]:
    rooms = [ev.room for ev in book.person.get(person, ()) if ev.key[0] == "slot"]
    return rooms[-1:]


# --------------------------------------------------------------------------------------------
# Re-planning
# --------------------------------------------------------------------------------------------


def _keep_slots(ctx: _Ctx, slots: list[int], dates_ok: dict[date, tuple[int, int]],
                prev_slot: dict[str, Slot], books: dict[date, _Book]) -> dict[int, Slot] | None:  # fmt: skip
    """Keep the previous slots that are still valid, then place the others; None if some slot
    could not be placed. ``dates_ok``: date -> (first minute, K) where these slots may go."""
    placed: dict[int, Slot] = {}
    cands = []
    for s in slots:
        old = prev_slot.get(ctx.slot_district[s].code)
        if old is None:
            continue
        d = old.start.date()
        if d not in dates_ok or old.end - old.start != timedelta(minutes=ctx.L):
            continue
        m0 = _dt_minutes(old.start)
        if m0 < dates_ok[d][0] or m0 + ctx.L > ctx.we or _crossed(ctx.breaks, m0, m0 + ctx.L):
            continue
        dist = ctx.slot_district[s]
        if old.president != dist.president or list(old.reviewers) != ctx.slot_reviewers[s]:
            continue
        if any(d in ctx.unavailable.get(p, ()) for p in ctx.slot_persons[s]):
            continue
        if ctx.rooms and old.room not in ctx.rooms:
            continue
        cands.append((old.start, old.room, s))
    for start, room, s in sorted(cands):
        d = start.date()
        m0 = _dt_minutes(start)
        book = books[d]
        if book.person_clashes(ctx.slot_persons[s], m0, m0 + ctx.L) or book.room_clash(room, m0, m0 + ctx.L):
            continue
        sl = _slot(ctx, s, d, m0, room)
        book.add(_slot_event(ctx, sl))
        placed[s] = sl
    for s in slots:
        if s in placed:
            continue
        persons = ctx.slot_persons[s]
        for d, (first, K) in dates_ok.items():
            if not ctx.same_day and any(d in ctx.unavailable.get(p, ()) for p in persons):
                continue
            book = books[d]
            got = _earliest(ctx, book, persons, first, K, _reviewer_room(book, ctx.slot_resp[s]))
            if got is not None:
                sl = _slot(ctx, s, d, got[0], got[1])
                book.add(_slot_event(ctx, sl))
                placed[s] = sl
                break
        else:
            return None
    return placed


def _build_days_keep(ctx: _Ctx, asg: list[int], previous: Plan) -> tuple[list[PlanDay] | None, list[Problem]]:
    prev_slot = {sl.district: sl for day in previous.days for sl in day.one_to_ones}
    by_date: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(asg):
        by_date[k].append(i)
    prev_order = {c: n for n, c in enumerate(c for day in previous.days for c in day.divisions)}
    days: dict[date, PlanDay] = {}
    books: dict[date, _Book] = defaultdict(_Book)
    for k in sorted(by_date):
        d = ctx.dates[k]
        idx = sorted(by_date[k], key=lambda i: (prev_order.get(ctx.divs[i].code, len(prev_order)), i))
        day = PlanDay(d, [ctx.divs[i].code for i in idx], _group_session(ctx, d, idx), [])
        books[d].add(_group_event(ctx, day))
        days[d] = day
    if ctx.same_day:
        for k in sorted(by_date):
            d = ctx.dates[k]
            slots = [s for i in by_date[k] for s in ctx.div_slots[i]]
            placed = _keep_slots(ctx, slots, {d: (ctx.o2o_start, ctx.K)}, prev_slot, books)
            if placed is None:
                got = _arrange(ctx, slots, d, ctx.o2o_start, ctx.K)
                if got is None:
                    return None, [_day_problem(ctx, k, by_date[k])]
            else:
                got = [placed[s] for s in slots]
            day = days[d]
            days[d] = PlanDay(d, day.divisions, day.group_session, _sort_slots(got))
    else:
        dates_ok = {d: (ctx.o2o_first[k], ctx.o2o_K[k]) for k, d in enumerate(ctx.o2o_dates)}
        slots = list(range(len(ctx.slot_persons)))
        placed = _keep_slots(ctx, slots, dates_ok, prev_slot, books)
        if placed is None:
            problems = _schedule_other_dates(ctx, days)
            if problems:
                return None, problems
        else:
            per_date: dict[date, list[Slot]] = defaultdict(list)
            for sl in placed.values():
                per_date[sl.start.date()].append(sl)
            for d, got in per_date.items():
                day = days.get(d)
                if day is None:
                    days[d] = PlanDay(d, [], None, _sort_slots(got))
                else:
                    days[d] = PlanDay(d, day.divisions, day.group_session, _sort_slots(got))
    return [days[d] for d in sorted(days)], []


def _person_events(days: Iterable[PlanDay]) -> dict[int, set]:
    events: dict[int, set] = defaultdict(set)
    for day in days:
        gs = day.group_session
        if gs is not None:
            for p in gs.invitees:
                events[p].add(("group", gs.start, gs.end, gs.room))
        for sl in day.one_to_ones:
            persons = ([sl.president] if sl.president is not None else []) + list(sl.reviewers)
            for p in persons:
                events[p].add((sl.district, sl.start, sl.end, sl.room))
    return events


def _diff(previous: Plan, new: Plan) -> tuple[list[Move], set[int]]:
    moved: list[Move] = []
    old_div = {c: day.date for day in previous.days for c in day.divisions}
    new_div = {c: day.date for day in new.days for c in day.divisions}
    for code in list(old_div) + [c for c in new_div if c not in old_div]:
        a, b = old_div.get(code), new_div.get(code)
        if a != b:
            moved.append(Move("division", code, a, b))
    old_gs = {day.date: day.group_session for day in previous.days if day.group_session}
    for day in new.days:
        gs, og = day.group_session, old_gs.get(day.date)
        if gs and og and (gs.start, gs.end, gs.room) != (og.start, og.end, og.room):
            moved.append(Move("group_session", day.date.isoformat(), day.date, day.date,
                              og.start, gs.start, og.room, gs.room))  # fmt: skip
    old_sl = {sl.district: sl for day in previous.days for sl in day.one_to_ones}
    new_sl = {sl.district: sl for day in new.days for sl in day.one_to_ones}
    for code in list(old_sl) + [c for c in new_sl if c not in old_sl]:
        a, b = old_sl.get(code), new_sl.get(code)
        if a is not None and b is not None and (a.start, a.end, a.room) == (b.start, b.end, b.room):
            continue
        moved.append(Move("one_to_one", code,
                          a.start.date() if a else None, b.start.date() if b else None,
                          a.start if a else None, b.start if b else None,
                          a.room if a else None, b.room if b else None))  # fmt: skip
    before, after = _person_events(previous.days), _person_events(new.days)
    affected = {p for p in set(before) | set(after) if before.get(p, set()) != after.get(p, set())}
    return moved, affected


def replan(previous: Plan, request: PlanRequest) -> tuple[Plan, list[Move], set[int]]:
    """Plan again after a change (someone unavailable, a district added, a pin moved...). Every
    division day, group session and one-to-one of ``previous`` that is still valid stays where it
    was; the rest is placed around them (the day is re-arranged only when that is impossible).
    Returns the new plan, the moves (see :class:`Move`) and the ids of the people whose own
    timetable changed."""
    prev_resp = {}
    for day in previous.days:
        for sl in day.one_to_ones:
            if sl.reviewers:
                prev_resp[sl.district] = sl.reviewers[0]
    ctx = _Ctx(request, prefer_reviewer=prev_resp)
    if ctx.problems:
        return Plan(days=[], problems=list(ctx.problems)), [], set()
    prev_div_date = {c: day.date for day in previous.days for c in day.divisions}
    count: dict[int, int] = defaultdict(int)
    for k in ctx.pins.values():
        count[k] += 1
    keep: dict[int, int] = {}
    for i, div in enumerate(ctx.divs):
        if i in ctx.pins or div.code not in prev_div_date:
            continue
        k = ctx.date_index.get(prev_div_date[div.code])
        if k is None or k not in ctx.allowed_set[i] or count[k] >= ctx.req.per_day:
            continue
        keep[i] = k
        count[k] += 1
    asg, problems = _solve(ctx, keep)
    if asg is None:
        return Plan(days=[], problems=problems), [], set()
    days, problems = _build_days_keep(ctx, asg, previous)
    if days is None:
        return Plan(days=[], problems=problems), [], set()
    new = Plan(days=days, problems=[])
    moved, affected = _diff(previous, new)
    return new, moved, affected


# --------------------------------------------------------------------------------------------
# Adjustments from the planning page
# --------------------------------------------------------------------------------------------


def _refuse(plan_: Plan, problems: list[Problem]) -> Plan:
    return Plan(days=list(plan_.days), problems=problems)


def move_slot(plan: Plan, request: PlanRequest, district_code: str, new_start: time | datetime,
              new_date: date | None = None, room: str | None = None) -> Plan:  # fmt: skip
    """Move one district's one-to-one to ``new_start`` (a time, or a datetime which also gives the
    date) on ``new_date`` (default: its date). The room is kept if free, else a free one is
    taken (``room`` forces one). Returns the new plan, or the unchanged days with problems."""
    ctx = _Ctx(request)
    if ctx.problems:
        return _refuse(plan, list(ctx.problems))
    old, old_day = None, None
    for day in plan.days:
        for sl in day.one_to_ones:
            if sl.district == district_code:
                old, old_day = sl, day
    if old is None:
        en, hi = _district_names(ctx, district_code)
        return _refuse(plan, [_problem("unknown_district", district=en, district_hi=hi,
                                        district_code=district_code)])  # fmt: skip
    if isinstance(new_start, datetime):
        d = new_date or new_start.date()
        m0 = _dt_minutes(new_start)
    else:
        d = new_date or old.start.date()
        m0 = _minutes(new_start)
    length = int((old.end - old.start).total_seconds() // 60)
    m1 = m0 + length
    en, hi = _district_names(ctx, district_code)
    subject = {"subject": f"the one-to-one with {en}", "subject_hi": f"{hi} से वन-टू-वन"}
    if ctx.same_day:
        div_day = next((day.date for day in plan.days
                        for c in day.divisions
                        if district_code in {x.code for x in ctx.by_code[c].districts}),
                       old_day.date)  # fmt: skip
        if d != div_day:
            return _refuse(plan, [_problem("wrong_day", district=en, district_hi=hi,
                                            **ctx.date_params(div_day))])  # fmt: skip
        first = ctx.o2o_start
    else:
        if d not in ctx.o2o_dates:
            return _refuse(plan, [_problem("not_a_one_to_one_date", **ctx.date_params(d))])
        first = ctx.o2o_first[ctx.o2o_dates.index(d)]
    if m0 < first or m1 > ctx.we:
        return _refuse(plan, [_problem("outside_window", start=_hm(m0), end=_hm(m1),
                                        window_start=_hm(first), window_end=_hm(ctx.we),
                                        **ctx.date_params(d))])  # fmt: skip
    crossed = _crossed(ctx.breaks, m0, m1)
    if crossed is not None:
        return _refuse(plan, [_problem("crosses_break", start=_hm(m0), end=_hm(m1), break_start=_hm(crossed[0]),
                                        break_end=_hm(crossed[1]), **ctx.date_params(d))])  # fmt: skip
    persons = list(
        dict.fromkeys(([old.president] if old.president is not None else []) + list(old.reviewers))
    )
    problems = []
    for p in persons:
        if d in ctx.unavailable.get(p, ()):
            problems.append(_problem("person_unavailable", person=ctx.pname(p),
                                     person_hi=ctx.pname_hi(p), person_id=p,
                                     **subject, **ctx.date_params(d)))  # fmt: skip
    if problems:
        return _refuse(plan, problems)
    key = ("slot", district_code)
    book = _books(ctx, plan.days, skip=key)[d]
    ev = _Event(key, d, m0, m1, "", tuple(persons), subject["subject"], subject["subject_hi"])
    problems = _clash_problems(ctx, ev, book)
    if problems:
        return _refuse(plan, problems)
    if room is not None:
        other = book.room_clash(room, m0, m1)
        if other is not None or (ctx.rooms and room not in ctx.rooms):
            label = (other.label, other.label_hi) if other else ("another meeting", "दूसरी बैठक")
            return _refuse(plan, [_problem("room_clash", room=room, time=_hm(m0), other=label[0],
                                            other_hi=label[1], **ctx.date_params(d))])  # fmt: skip
        chosen = room
    else:
        chosen = _free_rooms(ctx, book, m0, m1, [old.room])
        if chosen is None:
            other = book.room_clash(old.room, m0, m1)
            label = (other.label, other.label_hi) if other else ("another meeting", "दूसरी बैठक")
            return _refuse(plan, [_problem("room_clash", room=old.room, time=_hm(m0),
                                            other=label[0], other_hi=label[1],
                                            **ctx.date_params(d))])  # fmt: skip
    moved = Slot(old.district, old.president, list(old.reviewers), _at(d, m0), _at(d, m1), chosen)
    days: dict[date, PlanDay] = {day.date: day for day in plan.days}
    src = days[old_day.date]
    days[src.date] = PlanDay(src.date, src.divisions, src.group_session,
                             [x for x in src.one_to_ones if x.district != district_code])  # fmt: skip
    dst = days.get(d) or PlanDay(d, [], None, [])
    days[d] = PlanDay(d, dst.divisions, dst.group_session, _sort_slots(list(dst.one_to_ones) + [moved]))
    out = [day for _, day in sorted(days.items()) if day.divisions or day.group_session or day.one_to_ones]
    return Plan(days=out, problems=[])


def swap_days(plan: Plan, request: PlanRequest, date_a: date, date_b: date) -> Plan:
    """Exchange the divisions of two meeting dates (with their group sessions and, in same-day
    mode, their one-to-ones). Pins, availability and clashes are checked; returns the new plan, or
    the unchanged days with problems."""
    ctx = _Ctx(request)
    if ctx.problems:
        return _refuse(plan, list(ctx.problems))
    problems = [_problem("unknown_date", **ctx.date_params(x))
                for x in dict.fromkeys((date_a, date_b)) if x not in ctx.date_index]  # fmt: skip
    if problems:
        return _refuse(plan, problems)
    if date_a == date_b:
        return Plan(days=list(plan.days), problems=[])
    days = {day.date: day for day in plan.days}
    empty = PlanDay(date_a, [], None, [])
    day_a, day_b = days.get(date_a, empty), days.get(date_b, empty)
    pinned = {ctx.divs[i].code: ctx.dates[k] for i, k in ctx.pins.items()}
    for src, dst in ((day_a, date_b), (day_b, date_a)):
        for code in src.divisions:
            div = ctx.by_code.get(code)
            if code in pinned and pinned[code] != dst:
                problems.append(_problem("pin_broken", **ctx.div_params(div),
                                         **ctx.date_params(pinned[code]),
                                         **ctx.date_params(dst, "other_date")))  # fmt: skip
        people = list(src.group_session.invitees) if src.group_session else []
        if ctx.same_day:
            for sl in src.one_to_ones:
                people += ([sl.president] if sl.president is not None else []) + list(sl.reviewers)
        names = ctx.division_names([ctx.div_index[c] for c in src.divisions if c in ctx.div_index])
        for p in dict.fromkeys(people):
            if dst in ctx.unavailable.get(p, ()):
                problems.append(_problem("person_unavailable", person=ctx.pname(p),
                                         person_hi=ctx.pname_hi(p), person_id=p,
                                         subject=f"the group session of {names[0]}",
                                         subject_hi=f"{names[1]} की सामूहिक बैठक",
                                         **ctx.date_params(dst)))  # fmt: skip
    if problems:
        return _refuse(plan, problems)

    def redate(dt: datetime, d: date) -> datetime:
        return datetime.combine(d, dt.time())

    def moved_day(src: PlanDay, d: date, stay: PlanDay) -> PlanDay:
        gs = src.group_session
        if gs is not None:
            gs = GroupSession(redate(gs.start, d), redate(gs.end, d), gs.room, list(gs.invitees))
        if ctx.same_day:
            slots = [Slot(x.district, x.president, list(x.reviewers), redate(x.start, d),
                          redate(x.end, d), x.room) for x in src.one_to_ones]  # fmt: skip
        else:
            slots = list(stay.one_to_ones)
        return PlanDay(d, list(src.divisions), gs, _sort_slots(slots))

    days[date_a] = moved_day(day_b, date_a, day_a)
    days[date_b] = moved_day(day_a, date_b, day_b)
    out = [day for _, day in sorted(days.items()) if day.divisions or day.group_session or day.one_to_ones]
    # clash check on the two dates
    problems = []
    for d in (date_a, date_b):
        book = _Book()
        evs = []
        day = days[d]
        if day.group_session is not None:
            evs.append(_group_event(ctx, day))
        evs += [_slot_event(ctx, sl) for sl in day.one_to_ones]
        for ev in evs:
            problems += _clash_problems(ctx, ev, book)
            other = book.room_clash(ev.room, ev.start, ev.end)
            if other is not None:
                problems.append(_problem("room_clash", room=ev.room, time=_hm(ev.start),
                                         other=other.label, other_hi=other.label_hi,
                                         **ctx.date_params(d)))  # fmt: skip
            book.add(ev)
    if problems:
        return _refuse(plan, problems)
    return Plan(days=out, problems=[])
