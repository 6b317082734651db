"""Meeting planner: turns "a 3-day meeting of all district presidents from 22 September, two
divisions a day, Bhopal and Narmadapuram first, then one-to-one reviews with every district" into a
timetable in which nobody is double-booked.

Pure Python (the standard library only): the app builds a :class:`PlanRequest` out of plain data,
calls :func:`plan` (or :func:`replan`, :func:`move_slot`, :func:`swap_days`) and stores or shows
the :class:`Plan` it gets back. Everything it returns is language-neutral (codes, ids, dates,
``HH:MM`` times, room codes); the app words and translates it.

The rules
---------
* Each chosen division is put on exactly one of the meeting ``dates`` (at most ``per_day`` a day;
  ``pins`` fix some of them), with the largest day (in districts) as small as possible.
* ``breaks`` (e.g. lunch 13:30–14:15) are crossed by nothing.
* Each day with divisions has one group session at the start of the ``window`` (or, when that
  would cross a break, at the end of the break) in ``group_room``, inviting the presidents of the
  day's districts, their responsible reviewers, the ``extra_reviewers`` and the ``chair``.
* Each district of a covered division gets one one-to-one with its responsible reviewer (the
  division's co-in-charge, districts spread over several; ``organization_incharge`` where a
  division has none) plus every extra reviewer: after the day's group session (``same_day``), or
  on ``one_to_one_dates`` (``other_dates``; after the group session's time on a meeting date),
  every ``one_to_one_minutes``, a slot that would cross a break starting when it ends.
* Nobody and no room is in two places at once; everything is inside the window; nobody is planned
  on a date they are unavailable.

Modules: :mod:`.model` (the dataclasses), :mod:`.request` (validation), :mod:`.context` (what a
request implies), :mod:`.timegrid`, :mod:`.capacity` and :mod:`.slot_search` (what fits in a day),
:mod:`.assignment` (divisions to dates), :mod:`.maxflow`, :mod:`.arrangement` (the days'
timetables), :mod:`.diagnosis` (why not), :mod:`.solve` (:func:`plan`), :mod:`.bookings`,
:mod:`.replan` and :mod:`.moves`.
"""

from tracker.meetings.planner.model import (
    DIVISION,
    GROUP_SESSION,
    HALL,
    ONE_TO_ONE,
    OTHER_MEETING,
    PROBLEM_CODES,
    Activity,
    District,
    Division,
    GroupSession,
    Move,
    Plan,
    PlanDay,
    PlanRequest,
    PlanRequestError,
    Problem,
    Slot,
    parallel_room,
    parallel_room_number,
)
from tracker.meetings.planner.moves import move_slot, swap_days
from tracker.meetings.planner.replan import replan
from tracker.meetings.planner.solve import plan, responsible_reviewers

__all__ = [
    "DIVISION", "GROUP_SESSION", "HALL", "ONE_TO_ONE", "OTHER_MEETING", "PROBLEM_CODES", "Activity",
    "District", "Division", "GroupSession", "Move", "Plan", "PlanDay", "PlanRequest", "PlanRequestError",
    "Problem", "Slot", "move_slot", "parallel_room", "parallel_room_number", "plan", "replan",
    "responsible_reviewers", "swap_days",
]  # fmt: skip
