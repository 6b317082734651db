"""Putting divisions on meeting dates: at most ``per_day`` a day, only on dates their people can
come, within the day's capacity, with the largest day (in districts) as small as possible.

Greedy largest-first onto the least loaded day, then local moves and swaps off the largest day,
then an exact branch and bound when few divisions are free to move.
"""

from __future__ import annotations

import heapq

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
    date_count, per_day = len(days.load), days.per_day
    load, count, members, allowed = days.load, days.count, days.members, days.allowed
    version = [0] * date_count
    heap = [(load[d], count[d], d, 0) for d in range(date_count) if count[d] < per_day]
    heapq.heapify(heap)

    def touch(day):
        version[day] += 1
        if count[day] < per_day:
            heapq.heappush(heap, (load[day], count[day], day, version[day]))

    def least_loaded(division):
        if len(allowed[division]) <= LINEAR_SCAN_MAX_DATES:
            best = None
            for day in allowed[division]:
                if days.fits(division, day):
                    key = (load[day], count[day], day)
                    if best is None or key < best:
                        best = key
            return None if best is None else best[2]
        popped, found = [], None
        while heap:
            entry = heapq.heappop(heap)
            day = entry[2]
            if entry[3] != version[day] or count[day] >= per_day:
                continue
            popped.append(entry)
            if days.fits(division, day):
                found = day
                break
        for entry in popped:
            if entry[2] != found:
                heapq.heappush(heap, entry)
        return found

    def make_room(division):
        """Put ``division`` on one of its days by moving one division elsewhere."""
        for day in allowed[division]:
            for other in list(members[day]):
                if days.fixed[other]:
                    continue
                days.take(other)
                if days.fits(division, day):
                    days.put(division, day)
                    for elsewhere in allowed[other]:
                        if elsewhere != day and days.fits(other, elsewhere):
                            days.put(other, elsewhere)
                            touch(day)
                            touch(elsewhere)
                            return True
                    days.take(division)
                days.put(other, day)
        return False

    complete = True
    for division in free:
        if prefer and division in prefer and days.fits(division, prefer[division]):
            day = prefer[division]
        else:
            day = least_loaded(division)
        if day is None:
            if not make_room(division):
                complete = False
        else:
            days.put(division, day)
            touch(day)
    return complete


def _improve(days: DayLoads, lower: int) -> None:
    """Local search: move or swap a division off the most loaded day while that lowers it."""
    load, count, members, size, allowed = days.load, days.count, days.members, days.size, days.allowed
    fits, put, take = days.fits, days.put, days.take
    date_count = len(load)
    for _round in range(4 * len(days.day_of) + 10):
        top = max(range(date_count), key=lambda d: (load[d], -d))
        top_load = load[top]
        if top_load <= lower:
            return
        best = None  # (new max of the two days, kind, division, other day, other division)
        for i in list(members[top]):
            if days.fixed[i]:
                continue
            size_i = size[i]
            blocked = allowed[i].blocked
            for e in range(date_count):
                load_e = load[e]
                if e == top or load_e >= top_load or e in blocked:
                    continue
                if count[e] < days.per_day and load_e + size_i < top_load:  # move i to e
                    take(i)
                    good = fits(i, e)
                    put(i, top)
                    if good:
                        candidate = (max(load_e + size_i, top_load - size_i), 0, i, e, -1)
                        if best is None or candidate < best:
                            best = candidate
                for j in list(members[e]):  # swap i with a smaller j of e
                    size_j = size[j]
                    if (days.fixed[j] or size_j >= size_i or load_e - size_j + size_i >= top_load
                            or top not in allowed[j]):  # fmt: skip
                        continue
                    take(i)
                    take(j)
                    good = False
                    if fits(i, e):
                        put(i, e)
                        good = fits(j, top)
                        take(i)
                    put(i, top)
                    put(j, e)
                    if good:
                        candidate = (max(load_e - size_j + size_i, top_load - size_i + size_j), 1, i, e, j)
                        if best is None or candidate < best:
                            best = candidate
        if best is None or best[0] >= top_load:
            return
        _new_max, kind, i, e, j = best
        take(i)
        if kind == 1:
            take(j)
            put(j, top)
        put(i, e)


def _branch_and_bound(context: PlanningContext, days: DayLoads, movable: list[int],
                      best_max: int | None, lower: int) -> list[int] | None:  # fmt: skip
    """Exact search over the movable divisions (few of them): an assignment whose largest day is
    below ``best_max`` (any assignment when it is None) and smallest, or None."""
    size, allowed, load, members = days.size, days.allowed, days.load, days.members
    saved = list(days.day_of)
    for i in movable:
        if days.day_of[i] >= 0:
            days.take(i)
    order = sorted(movable, key=lambda i: (-size[i], len(allowed[i]), i))
    best = [best_max if best_max is not None else float("inf"), None]
    nodes = [0]

    def search(k, current_max):
        if nodes[0] > EXACT_NODE_BUDGET:
            return
        nodes[0] += 1
        if k == len(order):
            if current_max < best[0]:
                best[0], best[1] = current_max, list(days.day_of)
            return
        i = order[k]
        seen_empty = set()
        for day in sorted(allowed[i], key=lambda d: (load[d], d)):
            if max(current_max, load[day] + size[i]) >= best[0]:
                continue
            if not members[day]:  # empty days that look alike to the rest are interchangeable
                signature = tuple(day in allowed[j] for j in order[k:])
                if signature in seen_empty:
                    continue
                seen_empty.add(signature)
            if not days.fits(i, day):
                continue
            days.put(i, day)
            search(k + 1, max(current_max, load[day]))
            days.take(i)
            if best[0] <= lower:
                return

    if lower < best[0]:
        search(0, max(load) if load else 0)
    if nodes[0] > EXACT_NODE_BUDGET and best[1] is None:
        context.gave_up = True
    for i in movable:
        if saved[i] >= 0:
            days.put(i, saved[i])
    return best[1]
