"""Who and which room is busy when, on one date: what re-planning and the manual changes check
a session against before they put it somewhere."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.meetings.planner.context import PlanningContext
from tracker.meetings.planner.model import (
    GROUP_SESSION,
    ONE_TO_ONE,
    Activity,
    PlanDay,
    Problem,
    Slot,
    parallel_room,
    problem,
)
from tracker.meetings.planner.timegrid import clock, crossed_break, minutes


@dataclass
class Booking:
    key: tuple  # ("group", date) or ("slot", district code)
    date: date
    start: int  # minutes since midnight
    end: int
    room: str
    people: tuple[int, ...]
    activity: Activity


class DayBook:
    """The bookings of one date, per person and per room."""

    def __init__(self):
        self.person: dict[int, list[Booking]] = defaultdict(list)
        self.room: dict[str, list[Booking]] = defaultdict(list)

    def add(self, booking: Booking) -> None:
        for person in booking.people:
            self.person[person].append(booking)
        self.room[booking.room].append(booking)

    def person_clashes(self, people, start: int, end: int, ignore=None) -> list[tuple[int, Booking]]:
        """For each of ``people`` busy during [start, end): the person and their first booking then."""
        out = []
        for person in people:
            for booking in self.person.get(person, ()):
                if booking.key != ignore and booking.start < end and start < booking.end:
                    out.append((person, booking))
                    break
        return out

    def room_clash(self, room: str, start: int, end: int, ignore=None) -> Booking | None:
        for booking in self.room.get(room, ()):
            if booking.key != ignore and booking.start < end and start < booking.end:
                return booking
        return None


def slot_people(slot: Slot) -> tuple[int, ...]:
    return tuple(dict.fromkeys(([slot.president] if slot.president is not None else []) + list(slot.reviewers)))


def slot_booking(slot: Slot) -> Booking:
    return Booking(("slot", slot.district), slot.start.date(), minutes(slot.start), minutes(slot.end),
                   slot.room, slot_people(slot), Activity(ONE_TO_ONE, (slot.district,)))  # fmt: skip


def group_activity(context: PlanningContext, divisions: Iterable[str]) -> Activity:
    return Activity(GROUP_SESSION, tuple(c for c in divisions if c in context.by_code))


def group_booking(context: PlanningContext, day: PlanDay) -> Booking:
    session = day.group_session
    return Booking(("group", day.date), day.date, minutes(session.start), minutes(session.end), session.room,
                   tuple(session.invitees), group_activity(context, day.divisions))  # fmt: skip


def day_books(context: PlanningContext, days: Iterable[PlanDay], skip=None) -> dict[date, DayBook]:
    """The bookings of a plan per date, less the one whose key is ``skip``."""
    books: dict[date, DayBook] = defaultdict(DayBook)
    for day in days:
        if day.group_session is not None and ("group", day.date) != skip:
            books[day.date].add(group_booking(context, day))
        for slot in day.one_to_ones:
            if ("slot", slot.district) != skip:
                books[day.date].add(slot_booking(slot))
    return books


def clash_problems(booking: Booking, book: DayBook, ignore=None) -> list[Problem]:
    return [problem("person_clash", person=person, time=clock(max(booking.start, other.start)),
                    subject=booking.activity, other=other.activity, date=booking.date)
            for person, other in book.person_clashes(booking.people, booking.start, booking.end, ignore)]  # fmt: skip


def free_room(context: PlanningContext, book: DayBook, start: int, end: int, prefer: list[str]) -> str | None:
    """A room free during [start, end): one of ``prefer``, else of the listed rooms, else (when the
    request lists none) one already used for one-to-ones that day or a new one."""
    names = list(prefer)
    if context.rooms:
        names += context.rooms
    else:
        used = sorted(book.room, key=lambda r: (len(r), r))
        names += [r for r in used if r != context.request.group_room]
    for room in dict.fromkeys(names):
        if context.rooms and room not in context.rooms:
            continue
        if book.room_clash(room, start, end) is None:
            return room
    if context.rooms:
        return None
    number = 1
    while parallel_room(number) in book.room:
        number += 1
    return parallel_room(number)


def earliest(context: PlanningContext, book: DayBook, people, first: int, positions: int,
             prefer: list[str]) -> tuple[int, str] | None:  # fmt: skip
    """The earliest start (a time position, or right after something already booked) at which all
    the people and a room are free, with the room."""
    length = context.slot_minutes
    candidates = set(context.slot_starts(first)[:positions])
    for person in people:
        candidates.update(b.end for b in book.person.get(person, ()) if b.end >= first)
    if context.rooms:
        for room in context.rooms:
            candidates.update(b.end for b in book.room.get(room, ()) if b.end >= first)
    for minute in sorted(candidates):
        if minute + length > context.window_end:
            break
        if crossed_break(context.breaks, minute, minute + length) or book.person_clashes(people, minute,
                                                                                         minute + length):
            continue
        room = free_room(context, book, minute, minute + length, prefer)
        if room is not None:
            return minute, room
    return None


def reviewer_room(book: DayBook, person: int) -> list[str]:
    """The room of the person's last one-to-one that day (to keep a reviewer in one room)."""
    rooms = [b.room for b in book.person.get(person, ()) if b.key[0] == "slot"]
    return rooms[-1:]
