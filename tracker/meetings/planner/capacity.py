"""Can these divisions share a day? (Same-day mode: their one-to-ones must fit after the group
session.) Two bookkeepers answer it while divisions are put on and taken off days."""

from __future__ import annotations

from tracker.meetings.planner.context import PlanningContext


class CountingCapacity:
    """Exact when the slots' conflict components are cliques: per day each component has at most
    ``positions`` slots, and all together at most ``room_count * positions``."""

    def __init__(self, context: PlanningContext, date_count: int):
        self.positions = context.positions
        self.room_positions = (context.room_count * context.positions
                               if context.room_count is not None else None)  # fmt: skip
        self.division_components = context.division_components
        self.division_size = context.division_size
        self.total = [0] * date_count
        self.per_component: list[dict[int, int]] = [{} for _ in range(date_count)]

    def can_add(self, day: int, division: int) -> bool:
        if self.room_positions is not None and self.total[day] + self.division_size[division] > self.room_positions:
            return False
        used, positions = self.per_component[day], self.positions
        for component, count in self.division_components[division]:
            if used.get(component, 0) + count > positions:
                return False
        return True

    def add(self, day: int, division: int) -> None:
        self.total[day] += self.division_size[division]
        used = self.per_component[day]
        for component, count in self.division_components[division]:
            used[component] = used.get(component, 0) + count

    def remove(self, day: int, division: int) -> None:
        self.total[day] -= self.division_size[division]
        used = self.per_component[day]
        for component, count in self.division_components[division]:
            used[component] -= count


class SearchingCapacity:
    """Any conflict structure: an exact (cached) search per set of divisions."""

    def __init__(self, context: PlanningContext, date_count: int):
        self.context = context
        self.sets: list[set[int]] = [set() for _ in range(date_count)]

    def can_add(self, day: int, division: int) -> bool:
        return self.context.day_fits(frozenset(self.sets[day] | {division})) is not None

    def add(self, day: int, division: int) -> None:
        self.sets[day].add(division)

    def remove(self, day: int, division: int) -> None:
        self.sets[day].discard(division)


Capacity = CountingCapacity | SearchingCapacity


def day_capacity(context: PlanningContext, date_count: int) -> Capacity | None:
    """The bookkeeper for this request, or None when days hold any divisions (other-dates mode)."""
    if not context.same_day:
        return None
    kind = CountingCapacity if context.clique_mode else SearchingCapacity
    return kind(context, date_count)


def fits_alone(context: PlanningContext, capacity: Capacity | None, division: int) -> bool:
    if capacity is None:
        return True
    if isinstance(capacity, CountingCapacity):
        return CountingCapacity(context, 1).can_add(0, division)
    return context.day_fits(frozenset([division])) is not None
