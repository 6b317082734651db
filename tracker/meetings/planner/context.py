"""Everything the planner derives from a valid request: the one-to-one slots and who sits in each,
the dates each division may use, the day's time positions, and how the slots conflict.

Slots are numbered in division order, then district order. Two slots conflict when they share a
person; the conflict graph's connected parts are the *components*. When every component has a
person common to all its slots (typically the reviewer), each component is a clique and counting
decides what fits (``clique_mode``); otherwise an exact search does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from tracker.meetings.planner.model import District, PlanRequest, parallel_room
from tracker.meetings.planner.request import validate
from tracker.meetings.planner.slot_search import schedule_slots
from tracker.meetings.planner.timegrid import fit_start, merge_breaks, minutes, slot_starts


class DateSet:
    """Date indices 0..count-1 less a few blocked ones, without listing them all up front."""

    __slots__ = ("count", "blocked", "_listed")

    def __init__(self, count: int, blocked: set[int]):
        self.count, self.blocked, self._listed = count, blocked, None

    def __contains__(self, index) -> bool:
        return 0 <= index < self.count and index not in self.blocked

    def __len__(self) -> int:
        return self.count - len(self.blocked)

    def __iter__(self):
        if self._listed is None:
            self._listed = [k for k in range(self.count) if k not in self.blocked]
        return iter(self._listed)


class PlanningContext:
    """A request with its problems (:attr:`problems`) and, when it has none, its derived data.
    ``prefer_reviewer`` (district code -> person id) keeps a district with the reviewer it had."""

    def __init__(self, request: PlanRequest, prefer_reviewer: dict[str, int] | None = None):
        self.request = request
        self.problems, selection = validate(request)
        if self.problems:
            return
        self.by_code = selection.by_code
        self.divisions = selection.divisions
        self.division_index = selection.division_index
        self.dates = selection.dates
        self.date_index = selection.date_index
        self.one_to_one_dates = selection.one_to_one_dates
        self.pins = selection.pins
        self._times()
        self._slots(prefer_reviewer or {})
        self._allowed_dates()
        self._components()
        self._fit_cache: dict[frozenset, list | None] = {}
        self.gave_up = False  # an exact search ran out of its budget

    # -- building --------------------------------------------------------------------------
    def _times(self) -> None:
        request = self.request
        self.slot_minutes = request.one_to_one_minutes
        self.window_start, self.window_end = minutes(request.window[0]), minutes(request.window[1])
        self.breaks = merge_breaks(request.breaks)
        self._starts: dict[int, list[int]] = {}
        self.group_start = fit_start(self.breaks, self.window_start, request.group_minutes)
        self.group_end = self.group_start + request.group_minutes
        self.same_day = request.one_to_ones == "same_day"
        self.one_to_one_start = self.group_end + request.gap_minutes
        self.positions = len(self.slot_starts(self.one_to_one_start))
        self.rooms = list(dict.fromkeys(request.rooms)) if request.rooms else None
        self.room_count = len(self.rooms) if self.rooms else None
        self.extras = list(dict.fromkeys(request.extra_reviewers))
        chair = [request.chair] if request.chair is not None else []
        self.group_extras = list(dict.fromkeys(self.extras + chair))  # in every group session
        self.unavailable = {p: set(ds) for p, ds in request.unavailable.items() if ds}

    def _slots(self, prefer_reviewer: dict[str, int]) -> None:
        """One slot per district of a chosen division; its responsible reviewer is the preferred
        one if still possible, else the first of the least loaded candidates."""
        self.slot_district: list[District] = []
        self.slot_division: list[int] = []
        self.slot_reviewer: list[int] = []  # the responsible reviewer
        self.slot_reviewers: list[list[int]] = []  # the responsible reviewer, then the extras
        self.slot_people: list[frozenset[int]] = []
        self.division_slots: list[list[int]] = []
        self.division_invitees: list[list[int]] = []  # its presidents and responsible reviewers
        self.district_slot: dict[str, int] = {}
        for index, division in enumerate(self.divisions):
            candidates = list(dict.fromkeys(division.co_incharges)) or [self.request.organization_incharge]
            load = dict.fromkeys(candidates, 0)
            slots, presidents, reviewers_here = [], [], []
            for district in division.districts:
                reviewer = prefer_reviewer.get(district.code)
                if reviewer not in load:
                    reviewer = min(candidates, key=lambda c: load[c])
                load[reviewer] += 1
                reviewers = [reviewer] + [e for e in self.extras if e != reviewer]
                slot = len(self.slot_district)
                self.district_slot[district.code] = slot
                self.slot_district.append(district)
                self.slot_division.append(index)
                self.slot_reviewer.append(reviewer)
                self.slot_reviewers.append(reviewers)
                people = set(reviewers)
                if district.president is not None:
                    people.add(district.president)
                    presidents.append(district.president)
                self.slot_people.append(frozenset(people))
                reviewers_here.append(reviewer)
                slots.append(slot)
            self.division_slots.append(slots)
            self.division_invitees.append(list(dict.fromkeys(presidents + reviewers_here)))
        self.division_size = [len(slots) for slots in self.division_slots]

    def _allowed_dates(self) -> None:
        """The dates each division may use (everyone of its group session is available) and, in
        other-dates mode, the one-to-one dates each slot may use, with their first minute."""
        self.allowed: list[DateSet] = []
        for index in range(len(self.divisions)):
            blocked = set()
            for person in self.division_invitees[index] + self.group_extras:
                for day in self.unavailable.get(person, ()):
                    k = self.date_index.get(day)
                    if k is not None:
                        blocked.add(k)
            self.allowed.append(DateSet(len(self.dates), blocked))
        if self.same_day:
            return
        meeting_dates = set(self.dates)
        self.one_to_one_first = [self.one_to_one_start if d in meeting_dates else self.window_start
                                 for d in self.one_to_one_dates]  # fmt: skip
        self.one_to_one_positions = [len(self.slot_starts(first)) for first in self.one_to_one_first]
        self.slot_dates: list[list[int]] = []
        for people in self.slot_people:
            away = [p for p in people if p in self.unavailable]
            self.slot_dates.append([k for k, d in enumerate(self.one_to_one_dates)
                                    if not any(d in self.unavailable[p] for p in away)])  # fmt: skip

    def _components(self) -> None:
        """Number the conflict graph's connected parts in slot order, with the people common to
        each part's slots."""
        component_of_root: dict[int, int] = {}
        self.component: list[int] = []
        common: list[set[int]] = []
        for slot, root in enumerate(_sharing_roots(self.slot_people)):
            component = component_of_root.setdefault(root, len(common))
            if component == len(common):
                common.append(set(self.slot_people[slot]))
            else:
                common[component] &= self.slot_people[slot]
            self.component.append(component)
        self.component_common = common
        self.clique_mode = all(common)
        # per division: (component, number of its slots) pairs
        self.division_components = [tuple(Counter(self.component[slot] for slot in slots).items())
                                    for slots in self.division_slots]  # fmt: skip

    # -- queries ---------------------------------------------------------------------------
    def slot_starts(self, first: int) -> list[int]:
        """Start minutes of the one-to-one time positions from ``first`` (breaks skipped)."""
        got = self._starts.get(first)
        if got is None:
            got = self._starts[first] = slot_starts(self.breaks, first, self.window_end, self.slot_minutes)
        return got

    def component_reviewers(self, component: int) -> list[int]:
        """The people common to a component's slots: the extra reviewers first."""
        common = self.component_common[component]
        order = [p for p in self.extras if p in common]
        return order + sorted(p for p in common if p not in order)

    def room(self, number: int) -> str:
        """The ``number``-th room (from 0) of parallel one-to-ones."""
        return self.rooms[number] if self.rooms else parallel_room(number + 1)

    def division_codes(self, indices: Iterable[int]) -> list[str]:
        return [self.divisions[i].code for i in indices]

    def day_fits(self, division_set: frozenset) -> list | None:
        """Exact check (any conflict structure) that the slots of these divisions fit in one
        same-day window; the time position of each slot, or None."""
        if division_set in self._fit_cache:
            return self._fit_cache[division_set]
        slots = [s for i in sorted(division_set) for s in self.division_slots[i]]
        status, placed = schedule_slots([self.slot_people[s] for s in slots], [[0]] * len(slots),
                                        [self.positions], self.room_count)  # fmt: skip
        if status == "unknown":
            self.gave_up = True
        result = [position for _date, position in placed] if status == "ok" else None
        self._fit_cache[division_set] = result
        return result


def _sharing_roots(slot_people: list[frozenset[int]]) -> list[int]:
    """For each slot, a representative slot of the slots it is linked to through shared people
    (union-find): two slots have the same representative exactly when they are connected."""
    parent = list(range(len(slot_people)))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_slot_of: dict[int, int] = {}
    for slot, people in enumerate(slot_people):
        for person in people:
            first = first_slot_of.setdefault(person, slot)
            if first != slot:
                a, b = root(first), root(slot)
                if a != b:
                    parent[b] = a
    return [root(slot) for slot in range(len(slot_people))]
