"""Exact placement of one-to-one slots when their conflicts are tangled (no person common to a
whole group of conflicting slots), by backtracking with a node budget."""

from __future__ import annotations

SLOT_NODE_BUDGET = 100_000


class _BudgetSpent(Exception):
    pass


def schedule_slots(slot_people, slot_dates, positions, room_count, budget=SLOT_NODE_BUDGET):
    """Place each slot on a (date index, time position): ``slot_dates[s]`` are the date indices
    slot ``s`` may use and ``positions[d]`` the number of time positions of date ``d``. Slots that
    share a person get different positions, and at most ``room_count`` (None: unlimited) slots
    share one. Fewest options first; the unused positions of a date are interchangeable, so only
    the first unused one is tried.

    Returns ``(status, placement)``: status "ok" (placement: a (date, position) per slot),
    "infeasible" or "unknown" (the budget ran out)."""
    search = _SlotSearch(slot_people, slot_dates, positions, room_count, budget)
    try:
        found = search.place(list(range(len(slot_people))))
    except _BudgetSpent:
        return "unknown", []
    return ("ok", search.placement) if found else ("infeasible", [])


class _SlotSearch:
    """The backtracking state: who and how many slots are at each opened (date, position), how
    many positions of each date are opened, and where each slot is."""

    def __init__(self, slot_people, slot_dates, positions, room_count, budget):
        self.slot_people, self.slot_dates = slot_people, slot_dates
        self.positions, self.room_count, self.budget = positions, room_count, budget
        self.people_at: dict[tuple[int, int], set[int]] = {}
        self.slots_at: dict[tuple[int, int], int] = {}
        self.opened = [0] * len(positions)
        self.placement: list[tuple[int, int] | None] = [None] * len(slot_people)
        self.nodes = 0

    def options(self, slot: int) -> list[tuple[int, int]]:
        """The opened positions the slot may join, then the first unopened one of each date."""
        found = []
        people = self.slot_people[slot]
        for day in self.slot_dates[slot]:
            for position in range(self.opened[day]):
                key = (day, position)
                if self._has_room(key) and not (self.people_at[key] & people):
                    found.append(key)
            if self.opened[day] < self.positions[day]:
                found.append((day, self.opened[day]))
        return found

    def _has_room(self, key: tuple[int, int]) -> bool:
        return self.room_count is None or self.slots_at[key] < self.room_count

    def place(self, left: list[int]) -> bool:
        """Place the slots ``left``, the one with the fewest options first; False when impossible."""
        if not left:
            return True
        self.nodes += 1
        if self.nodes > self.budget:
            raise _BudgetSpent
        best_slot, best_options = None, None
        for slot in left:
            slot_options = self.options(slot)
            if best_options is None or len(slot_options) < len(best_options):
                best_slot, best_options = slot, slot_options
                if not slot_options:
                    return False
        rest = [s for s in left if s != best_slot]
        for key in best_options:
            opened = self._put(best_slot, key)
            if self.place(rest):
                return True
            self._take(best_slot, key, opened)
        return False

    def _put(self, slot: int, key: tuple[int, int]) -> bool:
        """Put the slot at ``key``; True when that opened the position."""
        day, position = key
        fresh = position == self.opened[day]
        if fresh:
            self.opened[day] += 1
            self.people_at[key] = set()
            self.slots_at[key] = 0
        self.people_at[key] |= self.slot_people[slot]
        self.slots_at[key] += 1
        self.placement[slot] = key
        return fresh

    def _take(self, slot: int, key: tuple[int, int], opened: bool) -> None:
        """Undo :meth:`_put`; a position it opened is closed again."""
        self.placement[slot] = None
        self.slots_at[key] -= 1
        self.people_at[key] -= self.slot_people[slot]
        if opened:
            self.opened[key[0]] -= 1
            del self.people_at[key], self.slots_at[key]
