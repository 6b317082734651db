"""Turning divisions-on-dates into timetabled days: each day's group session, and the one-to-ones
on time positions and in rooms (after the group session, or on the one-to-one dates)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from tracker.meetings.planner.context import PlanningContext
from tracker.meetings.planner.diagnosis import day_problem, one_to_one_dates_full
from tracker.meetings.planner.maxflow import FlowNetwork
from tracker.meetings.planner.model import GroupSession, PlanDay, Problem, Slot, problem
from tracker.meetings.planner.slot_search import schedule_slots
from tracker.meetings.planner.timegrid import at


def make_slot(context: PlanningContext, slot: int, day: date, minute: int, room: str) -> Slot:
    district = context.slot_district[slot]
    return Slot(district=district.code, president=district.president,
                reviewers=list(context.slot_reviewers[slot]), start=at(day, minute),
                end=at(day, minute + context.slot_minutes), room=room)  # fmt: skip


def sort_slots(slots: list[Slot]) -> list[Slot]:
    return sorted(slots, key=lambda x: (x.start, x.room, x.district))


def arrange_slots(context: PlanningContext, slots: list[int], day: date, first: int,
                  positions: int) -> list[Slot] | None:  # fmt: skip
    """Timetable of the given slots on one date, from minute ``first`` with ``positions`` time
    positions; None when they do not fit. In clique mode each component gets a room of its own
    while rooms last, else the components are laid out one after another over the rooms."""
    if not slots:
        return []
    starts = context.slot_starts(first)
    if not context.clique_mode:
        return _arrange_by_search(context, slots, day, starts, positions)
    by_component: dict[int, list[int]] = {}
    for slot in slots:
        by_component.setdefault(context.component[slot], []).append(slot)
    groups = list(by_component.values())
    if context.room_count is None or len(groups) <= context.room_count:
        return _room_per_component(context, groups, day, starts, positions)
    return _components_over_rooms(context, groups, day, starts, positions)


def _room_per_component(context: PlanningContext, groups: list[list[int]], day: date, starts: list[int],
                        positions: int) -> list[Slot] | None:  # fmt: skip
    """Each component's slots one after another in a room of its own."""
    if any(len(members) > positions for members in groups):
        return None
    return [make_slot(context, slot, day, starts[position], context.room(number))
            for number, members in enumerate(groups) for position, slot in enumerate(members)]  # fmt: skip


def _components_over_rooms(context: PlanningContext, groups: list[list[int]], day: date, starts: list[int],
                           positions: int) -> list[Slot] | None:  # fmt: skip
    """More components than rooms: the slots, component after component, fill the rooms in turn
    to one depth (no component is longer than that depth, so its slots never share a position)."""
    slots = [slot for members in groups for slot in members]
    depth = max(max(len(m) for m in groups), -(-len(slots) // context.room_count))
    if depth > positions:
        return None
    out = []
    for laid, slot in enumerate(slots):
        room_number, position = divmod(laid, depth)
        out.append(make_slot(context, slot, day, starts[position], context.room(room_number)))
    return out


def _arrange_by_search(context: PlanningContext, slots: list[int], day: date, starts: list[int],
                       positions: int) -> list[Slot] | None:  # fmt: skip
    """Tangled conflicts: an exact search puts the slots on positions, then each position's slots
    take the rooms in turn."""
    status, placed = schedule_slots([context.slot_people[s] for s in slots], [[0]] * len(slots),
                                    [positions], context.room_count)  # fmt: skip
    if status != "ok":
        if status == "unknown":
            context.gave_up = True
        return None
    rooms_taken: dict[int, int] = defaultdict(int)
    out = []
    for slot, (_date, position) in zip(slots, placed, strict=True):
        out.append(make_slot(context, slot, day, starts[position], context.room(rooms_taken[position])))
        rooms_taken[position] += 1
    return out


def group_session(context: PlanningContext, day: date, divisions: list[int]) -> GroupSession:
    invitees: list[int] = []
    for division in divisions:
        invitees.extend(context.division_invitees[division])
    invitees.extend(context.group_extras)
    return GroupSession(start=at(day, context.group_start), end=at(day, context.group_end),
                        room=context.request.group_room, invitees=list(dict.fromkeys(invitees)))  # fmt: skip


def build_days(context: PlanningContext, day_of: list[int]) -> tuple[list[PlanDay] | None, list[Problem]]:
    """The timetable of an assignment (division index -> date index), or the problem that stops it."""
    on_day: dict[int, list[int]] = defaultdict(list)
    for division, day in enumerate(day_of):
        on_day[day].append(division)
    days: dict[date, PlanDay] = {}
    for index in sorted(on_day):
        when = context.dates[index]
        divisions = on_day[index]
        slots: list[Slot] = []
        if context.same_day:
            got = arrange_slots(context, [s for i in divisions for s in context.division_slots[i]], when,
                                context.one_to_one_start, context.positions)  # fmt: skip
            if got is None:
                return None, [day_problem(context, index, divisions)]
            slots = got
        days[when] = PlanDay(when, context.division_codes(divisions), group_session(context, when, divisions),
                             sort_slots(slots))  # fmt: skip
    if not context.same_day:
        problems = schedule_other_dates(context, days)
        if problems:
            return None, problems
    return [days[d] for d in sorted(days)], []


def with_slots(days: dict[date, PlanDay], when: date, slots: list[Slot]) -> None:
    """Set the one-to-ones of a date (a date of one-to-ones only when it has no divisions)."""
    day = days.get(when)
    if day is None:
        days[when] = PlanDay(when, [], None, sort_slots(slots))
    else:
        days[when] = PlanDay(when, day.divisions, day.group_session, sort_slots(slots))


def schedule_other_dates(context: PlanningContext, days: dict[date, PlanDay]) -> list[Problem]:
    """Place every one-to-one on the one-to-one dates (other-dates mode), into ``days``."""
    if context.clique_mode:
        date_of, placed = assign_one_to_one_dates(context)
        if date_of is None:
            return [one_to_one_dates_full(context, placed)]
    else:
        status, placement = schedule_slots(context.slot_people, context.slot_dates,
                                           context.one_to_one_positions, context.room_count)  # fmt: skip
        if status != "ok":
            if status == "unknown":
                return [problem("search_gave_up")]
            return [one_to_one_dates_full(context, None)]
        date_of = {slot: spot[0] for slot, spot in enumerate(placement)}
    on_date: dict[int, list[int]] = defaultdict(list)
    for slot in range(len(context.slot_people)):
        on_date[date_of[slot]].append(slot)
    for index, slots in sorted(on_date.items()):
        when = context.one_to_one_dates[index]
        got = arrange_slots(context, slots, when, context.one_to_one_first[index],
                            context.one_to_one_positions[index])  # fmt: skip
        if got is None:  # cannot happen after an exact assignment; kept as a guard
            return [one_to_one_dates_full(context, None)]
        with_slots(days, when, got)
    return []


def assign_one_to_one_dates(context: PlanningContext) -> tuple[dict[int, int] | None, int]:
    """Slot -> one-to-one date index (clique mode): first fit, else an exact maximum flow over
    (component, allowed dates) kinds of slot. Returns (assignment or None, slots placed)."""
    date_of = _first_fit_dates(context)
    if len(date_of) == len(context.slot_people):
        return date_of, len(date_of)
    return _max_flow_dates(context)


def _first_fit_dates(context: PlanningContext) -> dict[int, int]:
    """Each slot on the first of its dates where its component and the rooms have a position left."""
    positions, room_count = context.one_to_one_positions, context.room_count
    per_component_date: dict[tuple[int, int], int] = defaultdict(int)
    per_date = [0] * len(positions)
    date_of: dict[int, int] = {}
    for slot in range(len(context.slot_people)):
        component = context.component[slot]
        for day in context.slot_dates[slot]:
            if per_component_date[(component, day)] < positions[day] and (
                    room_count is None or per_date[day] < room_count * positions[day]):  # fmt: skip
                per_component_date[(component, day)] += 1
                per_date[day] += 1
                date_of[slot] = day
                break
    return date_of


SlotKind = tuple[tuple[int, tuple[int, ...]], list[int]]  # ((component, allowed dates), its slots)
_SOURCE, _SINK = 0, 1


def _max_flow_dates(context: PlanningContext) -> tuple[dict[int, int] | None, int]:
    """Source -> kind of slot (as many as its slots) -> (component, date) (its positions) -> date
    (rooms times positions) -> sink: every slot is placed exactly when the flow carries them all."""
    count = len(context.slot_people)
    kinds: dict[tuple[int, tuple[int, ...]], list[int]] = defaultdict(list)
    for slot in range(count):
        kinds[(context.component[slot], tuple(context.slot_dates[slot]))].append(slot)
    kind_list = list(kinds.items())
    network, kind_edges = _date_network(context, kind_list)
    total = network.max_flow(_SOURCE, _SINK)
    if total < count:
        return None, total
    date_of = {}
    for (_kind, slots), edges in zip(kind_list, kind_edges, strict=True):
        taken = 0
        for day, edge in edges:
            flow = network.capacity[edge ^ 1]  # what went through the edge is on its reverse
            for slot in slots[taken : taken + flow]:
                date_of[slot] = day
            taken += flow
    return date_of, count


def _date_network(context: PlanningContext,
                  kind_list: list[SlotKind]) -> tuple[FlowNetwork, list[list[tuple[int, int]]]]:  # fmt: skip
    """The network of :func:`_max_flow_dates`, with each kind's (date, edge) pairs. Nodes: source,
    sink, the kinds, the dates, then the (component, date) pairs as they come."""
    positions, room_count = context.one_to_one_positions, context.room_count
    next_node = 2 + len(kind_list)
    date_node = {}
    for day in range(len(positions)):
        date_node[day] = next_node
        next_node += 1
    component_date_node: dict[tuple[int, int], int] = {}
    for (component, dates), _slots in kind_list:
        for day in dates:
            if (component, day) not in component_date_node:
                component_date_node[(component, day)] = next_node
                next_node += 1
    network = FlowNetwork(next_node)
    kind_edges = []
    for k, ((component, dates), slots) in enumerate(kind_list):
        network.add_edge(_SOURCE, 2 + k, len(slots))
        kind_edges.append([(day, network.add_edge(2 + k, component_date_node[(component, day)], len(slots)))
                           for day in dates])  # fmt: skip
    for (_component, day), node in component_date_node.items():
        network.add_edge(node, date_node[day], positions[day])
    everyone = len(context.slot_people)
    for day in range(len(positions)):
        network.add_edge(date_node[day], _SINK, room_count * positions[day] if room_count is not None else everyone)
    return network, kind_edges
