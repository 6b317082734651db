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
    count = len(slot_people)
    if count == 0:
        return "ok", []
    people_at: dict[tuple[int, int], set[int]] = {}
    slots_at: dict[tuple[int, int], int] = {}
    opened = [0] * len(positions)
    placement: list[tuple[int, int] | None] = [None] * count
    nodes = [0]

    def options(slot):
        found = []
        people = slot_people[slot]
        for day in slot_dates[slot]:
            for position in range(opened[day]):
                key = (day, position)
                if (room_count is None or slots_at[key] < room_count) and not (people_at[key] & people):
                    found.append(key)
            if opened[day] < positions[day]:
                found.append((day, opened[day]))
        return found

    def search(left):
        if not left:
            return True
        nodes[0] += 1
        if nodes[0] > budget:
            raise _BudgetSpent
        best_slot, best_options = None, None
        for slot in left:
            slot_options = options(slot)
            if best_options is None or len(slot_options) < len(best_options):
                best_slot, best_options = slot, slot_options
                if not slot_options:
                    return False
        rest = [s for s in left if s != best_slot]
        for key in best_options:
            day, position = key
            fresh = position == opened[day]
            if fresh:
                opened[day] += 1
                people_at[key] = set()
                slots_at[key] = 0
            people_at[key] |= slot_people[best_slot]
            slots_at[key] += 1
            placement[best_slot] = key
            if search(rest):
                return True
            placement[best_slot] = None
            slots_at[key] -= 1
            people_at[key] -= slot_people[best_slot]
            if fresh:
                opened[day] -= 1
                del people_at[key], slots_at[key]
        return False

    try:
        found = search(list(range(count)))
    except _BudgetSpent:
        return "unknown", []
    return ("ok", placement) if found else ("infeasible", [])
