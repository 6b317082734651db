"""The planner's findings in words: its problems, the reasons it refuses a call, what re-planning
moves. The planner returns codes and parameters only; this module names the divisions, districts
and people (from the request's records), formats dates in the house style and translates.

The problem templates are the catalog's messages (``str.format`` placeholders, marked with ``N_``);
each parameter is shown according to its name (see :class:`tracker.meetings.planner.Problem`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from tracker.i18n import N_, _, fmt_date, fmt_time, localized, ngettext
from tracker.meetings import planner
from tracker.meetings.rooms import room_label

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

# Why a call was refused as bad input (planner.PlanRequestError and the app's own reading of a plan).
REQUEST_ERROR_MESSAGES: dict[str, str] = {
    "plan_not_of_request": N_(
        "The proposed timetable no longer matches the form (it has “{unit}”, which is not chosen): "
        "propose a timetable again."
    ),
    "malformed_plan": N_(
        "The proposed timetable sent with the form could not be read: propose a timetable again."
    ),
}


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _unit_name(context, code: str) -> str:
    unit = context.units.get(code) if context is not None else None
    return localized(unit) if unit is not None else code


def _person_name(context, person_id: int | None) -> str:
    person = context.people.get(person_id) if context is not None else None
    return localized(person) if person is not None else f"#{person_id}"


def activity_text(activity: planner.Activity, context=None) -> str:
    """“the one-to-one with Vidisha”, “the group session of Bhopal, Narmadapuram” …"""
    names = [_unit_name(context, code) for code in activity.codes]
    if activity.kind == planner.ONE_TO_ONE:
        return _("the one-to-one with %(district)s", district=", ".join(names))
    if activity.kind == planner.GROUP_SESSION:
        return _("the group session of %(divisions)s", divisions=", ".join(names))
    if activity.kind == planner.DIVISION:
        return ngettext("%(names)s division", "%(names)s divisions", len(names), names=", ".join(names))
    return _("another meeting")


def _shown(key: str, value, context) -> str:
    """A parameter as the message shows it, by its name (see :class:`planner.Problem`)."""
    if key in ("division", "district", "unit"):
        return _unit_name(context, value)
    if key == "divisions":
        return ", ".join(_unit_name(context, code) for code in value)
    if key == "person":
        return _person_name(context, value)
    if key in ("people", "reviewers"):
        return ", ".join(_person_name(context, person) for person in value)
    if key in ("subject", "other"):
        return activity_text(value, context)
    if key == "room":
        return room_label(value)
    if isinstance(value, date | datetime):
        return fmt_date(value)
    return str(value)


def _render(template: str, params: Mapping, context) -> str:
    shown = {key: _shown(key, value, context) for key, value in params.items()}
    if "reviewers" in shown:
        shown["reviewer"] = shown["reviewers"]
    return _(template).format_map(_Blank(shown))


def problem_message(problem: planner.Problem, context=None) -> str:
    """A problem in the reader's language. ``context`` (a planning context, with ``units`` by code
    and ``people`` by id) names what the problem is about; without it codes and ids are shown."""
    return _render(PROBLEM_MESSAGES[problem.code], problem.params, context)


def request_error_message(error: planner.PlanRequestError, context=None) -> str:
    return _render(REQUEST_ERROR_MESSAGES[error.code], error.params, context)


def move_message(move: planner.Move, context) -> str:
    """One change of a re-plan, in words."""
    def when(day, start):
        text = fmt_date(day) if day else "—"
        return f"{text} {fmt_time(start.time())}" if start else text

    name = _unit_name(context, move.code)
    if move.kind == "division":
        return _("%(division)s division: %(old)s → %(new)s", division=name, old=when(move.old_date, None),
                 new=when(move.new_date, None))
    if move.kind == "one_to_one":
        return _("One-to-one of %(district)s: %(old)s → %(new)s", district=name,
                 old=when(move.old_date, move.old_start), new=when(move.new_date, move.new_start))
    return _("Group session of %(date)s: %(old)s → %(new)s", date=when(move.old_date, None),
             old=when(None, move.old_start), new=when(None, move.new_start))
