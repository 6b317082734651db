"""Putting divisions on meeting dates: at most ``per_day`` a day, only on dates their people can
come, within the day's capacity, with the largest day (in districts) as small as possible.

Greedy largest-first onto the least loaded day, then local moves and swaps off the largest day,
then an exact branch and bound when few divisions are free to move.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator

from tracker.meetings.planner.capacity import Capacity
from tracker.meetings.planner.context import PlanningContext

EXACT_MAX_FREE = 12
EXACT_NODE_BUDGET = 150_000
LINEAR_SCAN_MAX_DATES = 48  # a division allowed on more dates finds its day through the heap


class DayLoads:
    """Which division is on which date (index), and each date's load, while searching."""

    def __init__(self, context: PlanningContext, capacity: Capacity | None):
        self.per_day = context.request.per_day
        self.size = context.division_size
        self.allowed = context.allowed
        self.capacity = capacity
        date_count = len(context.dates)
        self.day_of = [-1] * len(context.divisions)
        self.load = [0] * date_count  # districts
        self.count = [0] * date_count  # divisions
        self.members: list[list[int]] = [[] for _ in range(date_count)]
        self.fixed = [False] * len(context.divisions)

    def fits(self, division: int, day: int) -> bool:
        return (self.count[day] < self.per_day and day in self.allowed[division]
                and (self.capacity is None or self.capacity.can_add(day, division)))  # fmt: skip

    def put(self, division: int, day: int) -> None:
        self.day_of[division] = day
        self.load[day] += self.size[division]
        self.count[day] += 1
        self.members[day].append(division)
        if self.capacity is not None:
            self.capacity.add(day, division)

    def take(self, division: int) -> int:
        day = self.day_of[division]
        self.day_of[division] = -1
        self.load[day] -= self.size[division]
        self.count[day] -= 1
        self.members[day].remove(division)
        if self.capacity is not None:
            self.capacity.remove(day, division)
        return day


def assign(context: PlanningContext, capacity: Capacity | None, fixed: dict[int, int],
           prefer: dict[int, int] | None = None, optimize: bool = True) -> list[int] | None:  # fmt: skip
    """Division index -> date index, minimising the largest day. ``fixed`` are hard (pins, kept
    days); ``prefer`` are tried first (without optimisation then). None when nothing fits."""
    days = DayLoads(context, capacity)
    for division, day in sorted(fixed.items()):
        if not days.fits(division, day):
            return None
        days.put(division, day)
        days.fixed[division] = True
    size, allowed = days.size, days.allowed
    free = sorted((i for i in range(len(size)) if days.day_of[i] < 0),
                  key=lambda i: (-size[i], len(allowed[i]), i))  # fmt: skip
    complete = _greedy(days, free, prefer)
    lower = max(
        [-(-sum(size) // len(days.load))]
        + [size[i] for i in free]
        + [days.load[d] for d in range(len(days.load)) if all(days.fixed[j] for j in days.members[d])]
    )
    if complete and optimize:
        _improve(days, lower)
    if optimize or not complete:
        best_max = max(days.load) if complete else None
        if len(free) <= EXACT_MAX_FREE and (not complete or best_max > lower):
            found = _branch_and_bound(context, days, free, best_max, lower)
            if found is not None:
                return found
    return days.day_of if complete else None


def _greedy(days: DayLoads, free: list[int], prefer: dict[int, int] | None) -> bool:
    """Largest first onto the least loaded feasible day (a heap of days keeps it fast); a division
    that fits nowhere makes room by moving one other division. False if one is left over."""
    heap = _OpenDays(days)
    complete = True
    for division in free:
        day = _preferred_day(days, prefer, division)
        if day is None:
            day = _least_loaded_day(days, heap, division)
        if day is not None:
            days.put(division, day)
            heap.touch(day)
        elif not _make_room(days, heap, division):
            complete = False
    return complete


class _OpenDays:
    """The days that can still take a division, least loaded first. A day whose load changes is
    pushed again under a new version; its older entries are skipped when they come up."""

    def __init__(self, days: DayLoads):
        self.days = days
        date_count = len(days.load)
        self.version = [0] * date_count
        self.heap = [(days.load[d], days.count[d], d, 0) for d in range(date_count)
                     if days.count[d] < days.per_day]  # fmt: skip
        heapq.heapify(self.heap)

    def touch(self, day: int) -> None:
        days = self.days
        self.version[day] += 1
        if days.count[day] < days.per_day:
            heapq.heappush(self.heap, (days.load[day], days.count[day], day, self.version[day]))

    def least_loaded(self, division: int) -> int | None:
        """The least loaded open day the division fits on; the days passed over stay in the heap."""
        days, popped, found = self.days, [], None
        while self.heap:
            entry = heapq.heappop(self.heap)
            day = entry[2]
            if entry[3] != self.version[day] or days.count[day] >= days.per_day:
                continue  # stale, or full
            popped.append(entry)
            if days.fits(division, day):
                found = day
                break
        for entry in popped:
            if entry[2] != found:
                heapq.heappush(self.heap, entry)
        return found


def _preferred_day(days: DayLoads, prefer: dict[int, int] | None, division: int) -> int | None:
    if prefer and division in prefer and days.fits(division, prefer[division]):
        return prefer[division]
    return None


def _least_loaded_day(days: DayLoads, heap: _OpenDays, division: int) -> int | None:
    """A division allowed on few dates scans them; one allowed on many asks the heap."""
    allowed = days.allowed[division]
    if len(allowed) > LINEAR_SCAN_MAX_DATES:
        return heap.least_loaded(division)
    fitting = [(days.load[day], days.count[day], day) for day in allowed if days.fits(division, day)]
    return min(fitting)[2] if fitting else None


def _make_room(days: DayLoads, heap: _OpenDays, division: int) -> bool:
    """Put ``division`` on one of its days by moving one division elsewhere."""
    for day in days.allowed[division]:
        for other in list(days.members[day]):
            if not days.fixed[other] and _displace(days, heap, division, day, other):
                return True
    return False


def _displace(days: DayLoads, heap: _OpenDays, division: int, day: int, other: int) -> bool:
    """Put ``division`` on ``day`` in place of ``other``, which goes to another of its days; when
    either does not fit, everything stays as it was."""
    days.take(other)
    if days.fits(division, day):
        days.put(division, day)
        elsewhere = next((d for d in days.allowed[other] if d != day and days.fits(other, d)), None)
        if elsewhere is not None:
            days.put(other, elsewhere)
            heap.touch(day)
            heap.touch(elsewhere)
            return True
        days.take(division)
    days.put(other, day)
    return False


def _improve(days: DayLoads, lower: int) -> None:
    """Local search: move or swap a division off the most loaded day while that lowers it."""
    load, date_count = days.load, len(days.load)
    for _round in range(4 * len(days.day_of) + 10):
        top = max(range(date_count), key=lambda d: (load[d], -d))
        top_load = load[top]
        if top_load <= lower:
            return
        best = min(_changes_off(days, top, top_load), default=None)
        if best is None or best[0] >= top_load:
            return
        _new_max, kind, division, day, other = best
        days.take(division)
        if kind == _SWAP:
            days.take(other)
            days.put(other, top)
        days.put(division, day)


_MOVE, _SWAP = 0, 1


def _changes_off(days: DayLoads, top: int, top_load: int) -> Iterator[tuple[int, int, int, int, int]]:
    """Each possible move or swap of a free division of the ``top`` day onto a less loaded day, as
    (new larger load of the two days, kind, division, other day, other division or -1). Each is
    tried on ``days`` and undone."""
    for division in list(days.members[top]):
        if days.fixed[division]:
            continue
        blocked = days.allowed[division].blocked
        for day in range(len(days.load)):
            if day == top or days.load[day] >= top_load or day in blocked:
                continue
            move = _move_off(days, division, top, top_load, day)
            if move is not None:
                yield move
            yield from _swaps_off(days, division, top, top_load, day)


def _move_off(days: DayLoads, division: int, top: int, top_load: int,
              day: int) -> tuple[int, int, int, int, int] | None:  # fmt: skip
    """Moving ``division`` from ``top`` to ``day``, if it fits there and lowers the top."""
    load, size = days.load[day], days.size[division]
    if days.count[day] >= days.per_day or load + size >= top_load:
        return None
    days.take(division)
    good = days.fits(division, day)
    days.put(division, top)
    return (max(load + size, top_load - size), _MOVE, division, day, -1) if good else None


def _swaps_off(days: DayLoads, division: int, top: int, top_load: int,
               day: int) -> Iterator[tuple[int, int, int, int, int]]:  # fmt: skip
    """Swapping ``division`` (on ``top``) with each smaller free division of ``day`` that fits."""
    load, size = days.load[day], days.size[division]
    for other in list(days.members[day]):
        other_size = days.size[other]
        if (days.fixed[other] or other_size >= size or load - other_size + size >= top_load
                or top not in days.allowed[other]):  # fmt: skip
            continue
        if _swap_fits(days, division, top, other, day):
            yield (max(load - other_size + size, top_load - size + other_size), _SWAP, division, day, other)


def _swap_fits(days: DayLoads, division: int, top: int, other: int, day: int) -> bool:
    """Whether ``division`` fits on ``day`` and then ``other`` on ``top`` (tried, then undone)."""
    days.take(division)
    days.take(other)
    good = False
    if days.fits(division, day):
        days.put(division, day)
        good = days.fits(other, top)
        days.take(division)
    days.put(division, top)
    days.put(other, day)
    return good


def _branch_and_bound(context: PlanningContext, days: DayLoads, movable: list[int],
                      best_max: int | None, lower: int) -> list[int] | None:  # fmt: skip
    """Exact search over the movable divisions (few of them): an assignment whose largest day is
    below ``best_max`` (any assignment when it is None) and smallest, or None."""
    saved = list(days.day_of)
    for division in movable:
        if days.day_of[division] >= 0:
            days.take(division)
    search = _ExactSearch(days, movable, best_max, lower)
    if lower < search.best_max:
        search.search(0, max(days.load) if days.load else 0)
    if search.nodes > EXACT_NODE_BUDGET and search.best is None:
        context.gave_up = True
    for division in movable:
        if saved[division] >= 0:
            days.put(division, saved[division])
    return search.best


class _ExactSearch:
    """Depth-first over the divisions in ``order`` (largest, then most constrained, first), each
    on each of its days, cutting branches that cannot beat the best found; stops at ``lower`` or
    after :data:`EXACT_NODE_BUDGET` nodes."""

    def __init__(self, days: DayLoads, movable: list[int], best_max: int | None, lower: int):
        self.days, self.lower = days, lower
        self.order = sorted(movable, key=lambda i: (-days.size[i], len(days.allowed[i]), i))
        self.best_max: float = best_max if best_max is not None else float("inf")
        self.best: list[int] | None = None
        self.nodes = 0

    def search(self, k: int, current_max: int) -> None:
        if self.nodes > EXACT_NODE_BUDGET:
            return
        self.nodes += 1
        days = self.days
        if k == len(self.order):
            if current_max < self.best_max:
                self.best_max, self.best = current_max, list(days.day_of)
            return
        division = self.order[k]
        empty_kinds: set[tuple[bool, ...]] = set()
        for day in sorted(days.allowed[division], key=lambda d: (days.load[d], d)):
            if max(current_max, days.load[day] + days.size[division]) >= self.best_max:
                continue
            if self._like_an_empty_day_tried(day, k, empty_kinds) or not days.fits(division, day):
                continue
            days.put(division, day)
            self.search(k + 1, max(current_max, days.load[day]))
            days.take(division)
            if self.best_max <= self.lower:
                return

    def _like_an_empty_day_tried(self, day: int, k: int, empty_kinds: set[tuple[bool, ...]]) -> bool:
        """Empty days that look alike to the divisions still to place are interchangeable: only
        the first of each kind is tried."""
        if self.days.members[day]:
            return False
        kind = tuple(day in self.days.allowed[j] for j in self.order[k:])
        if kind in empty_kinds:
            return True
        empty_kinds.add(kind)
        return False
