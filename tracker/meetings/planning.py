"""The planning service: reads the directory into a planner request, carries plans between the
review page's requests, saves a plan as a draft meeting, and re-plans a saved meeting.

The planner itself (:mod:`tracker.meetings.planner`) is pure Python and language-neutral; this
module is its only bridge to the database, :mod:`tracker.meetings.plan_messages` words its findings
and :mod:`tracker.meetings.plan_input` reads what the office asks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import force_locale

from tracker.directory import queries as directory
from tracker.directory.models import Person, RoleCode, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, fmt_date, ngettext
from tracker.meetings import operations as ops
from tracker.meetings import planner, queries
from tracker.meetings.models import Meeting, SessionKind, SessionStatus
from tracker.meetings.plan_input import (  # noqa: F401  (the planning API of the CLI, views and demo)
    DEFAULT_BREAKS,
    LUNCH,
    TEA,
    PlanInput,
    PlanInputError,
    parse_break,
    parse_codes,
    parse_date,
    parse_pin,
    parse_window,
)
from tracker.meetings.plan_messages import problem_message  # noqa: F401  (ditto)
from tracker.timeutil import to_local

# Role codes the office may add as reviewers to every one-to-one (and that the CLI accepts).
REVIEWER_ROLES = (RoleCode.STATE_INCHARGE, RoleCode.STATE_PRESIDENT, RoleCode.ORG_INCHARGE)


@dataclass
class PlanContext:
    """A request with the directory records behind its codes and ids."""

    request: planner.PlanRequest
    units: dict[str, Unit]  # division and district codes -> units
    people: dict[int, Person]
    state: Unit | None = None  # the state of the (first) division

    @property
    def chair(self) -> Person | None:
        """Who chairs the group sessions (invited to them, in the planner's count as in the draft's)."""
        return self.people.get(self.request.chair) if self.request.chair is not None else None


def state_holder(state: Unit | None, role_code: str, on: date) -> Person | None:
    """The holder of a state post (state in-charge, state president, organization in-charge) of the
    state; anyone holding it when the state has none."""
    person = directory.holder_on(state, role_code, on) if state is not None else None
    if person is None:
        found = directory.holders(role_code, on)
        person = found[0] if found else None
    return person


# --- the request ---------------------------------------------------------------------------------


def _divisions(codes: list[str]) -> dict[str, Unit]:
    """Divisions by the given codes; a division may also be named by its English name
    (``bhopal`` for the unit ``bhopal_division``)."""
    lowered = [c.lower() for c in codes]
    found = list(db.session.scalars(sa.select(Unit).where(
        sa.or_(Unit.code.in_(codes), sa.func.lower(Unit.name_en).in_(lowered)),
        Unit.level == UnitLevel.DIVISION, Unit.is_archived.is_(False))))
    by_code = {u.code: u for u in found}
    by_name = {u.name_en.lower(): u for u in found}
    result = {}
    for code in codes:
        unit = by_code.get(code) or by_name.get(code.lower())
        if unit is None:
            raise PlanInputError(_("There is no division with the code “%(code)s”.", code=code))
        result[code] = unit
    return result


def _extra_reviewers(specs: Iterable[str], on: date, state: Unit | None) -> list[Person]:
    people: dict[int, Person] = {}
    for spec in specs:
        spec = str(spec).strip()
        if spec.isdigit():
            person = db.session.get(Person, int(spec))
            if person is None:
                raise PlanInputError(_("There is no person with the number %(id)s in the directory.", id=spec))
            people.setdefault(person.id, person)
        elif spec in REVIEWER_ROLES:
            person = state_holder(state, spec, on)
            if person is None:
                raise PlanInputError(_("Nobody holds the post “%(role)s” on %(date)s.", role=spec, date=fmt_date(on)))
            people.setdefault(person.id, person)
        else:
            raise PlanInputError(_("“%(text)s” is neither a person number nor one of %(roles)s.", text=spec,
                                   roles=", ".join(REVIEWER_ROLES)))
    return list(people.values())


def _pdivision(div: Unit, districts: list[Unit], presidents: dict[int, Person],
               co_incharges: list[Person]) -> planner.Division:
    return planner.Division(
        code=div.code,
        districts=[planner.District(d.code, getattr(presidents.get(d.id), "id", None)) for d in districts],
        co_incharges=[p.id for p in co_incharges],
    )


def _chair(inp: PlanInput, state: Unit | None) -> Person | None:
    if inp.chair_person_id is not None:
        return db.session.get(Person, inp.chair_person_id)
    return state_holder(state, RoleCode.STATE_INCHARGE, inp.start)


def build_request(inp: PlanInput) -> PlanContext:
    """Read the directory (on the first date) into a planner request."""
    if inp.days < 1:
        raise PlanInputError(_("The meeting needs at least one day."))
    if not inp.division_codes:
        raise PlanInputError(_("Choose at least one division."))
    on = inp.start
    given = _divisions(list(dict.fromkeys([*inp.division_codes, *(c for cs in inp.pins.values() for c in cs)])))
    divisions = list(dict.fromkeys(given[c] for c in inp.division_codes))
    pins = {day: [given[c].code for c in codes] for day, codes in inp.pins.items()}
    districts = directory.districts_under([d.id for d in divisions])
    presidents = {unit.id: person for unit, person, _post in directory.current_presidents([d.id for d in divisions], on)}
    co_incharges = directory.co_incharges_by_division(on)
    state = divisions[0].parent
    org_incharge = state_holder(state, RoleCode.ORG_INCHARGE, on)
    org = [org_incharge] if org_incharge is not None else []
    extra = _extra_reviewers(inp.extra_reviewers, on, state)
    chair = _chair(inp, state)
    people: dict[int, Person] = {}
    for person in [*presidents.values(), *(p for div in divisions for p in co_incharges.get(div.id, [])),
                   *org[:1], *extra, *([chair] if chair is not None else [])]:
        people.setdefault(person.id, person)
    units = {u.code: u for u in [*divisions, *districts]}
    request = planner.PlanRequest(
        divisions=[_pdivision(div, [d for d in districts if d.parent_id == div.id], presidents,
                              co_incharges.get(div.id, [])) for div in divisions],
        dates=inp.dates, per_day=inp.per_day, pins=pins, window=inp.window,
        group_minutes=inp.group_minutes, one_to_one_minutes=inp.one_to_one_minutes, gap_minutes=inp.gap_minutes,
        organization_incharge=org[0].id if org else None, extra_reviewers=[p.id for p in extra],
        chair=chair.id if chair is not None else None, one_to_ones=inp.one_to_ones,
        one_to_one_dates=inp.one_to_one_dates, unavailable=inp.unavailable, breaks=list(inp.breaks),
    )
    return PlanContext(request, units, people, state)


def make_plan(inp: PlanInput) -> tuple[PlanContext, planner.Plan]:
    context = build_request(inp)
    return context, planner.plan(context.request)


# --- carrying a plan between requests ------------------------------------------------------------


def plan_to_dict(plan: planner.Plan, context: PlanContext | None = None) -> dict:
    """The plan as JSON-able data (also the CLI's output). Times are local ISO datetimes."""
    def name(pid):
        person = context.people.get(pid) if context else None
        return person.name_en if person else None

    days = []
    for day in plan.days:
        gs = day.group_session
        days.append({
            "date": day.date.isoformat(),
            "divisions": list(day.divisions),
            "group_session": None if gs is None else {
                "start": gs.start.isoformat(timespec="minutes"), "end": gs.end.isoformat(timespec="minutes"),
                "room": gs.room, "invitees": list(gs.invitees)},
            "one_to_ones": [{
                "district": sl.district, "president": sl.president, "president_name": name(sl.president),
                "reviewers": list(sl.reviewers), "reviewer_names": [name(r) for r in sl.reviewers],
                "start": sl.start.isoformat(timespec="minutes"), "end": sl.end.isoformat(timespec="minutes"),
                "room": sl.room} for sl in day.one_to_ones],
        })
    return {"days": days, "problems": [{"code": p.code, "message": problem_message(p, context)}
                                       for p in plan.problems]}


def plan_from_json(text: str) -> planner.Plan:
    """The plan the review page carries (the JSON of :func:`plan_to_dict`); a text that is not one
    is bad input (:class:`planner.PlanRequestError`)."""
    try:
        return plan_from_dict(json.loads(text))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise planner.PlanRequestError("malformed_plan") from None


def plan_from_dict(data: Mapping) -> planner.Plan:
    days = []
    for day in data.get("days", []):
        gs = day.get("group_session")
        days.append(planner.PlanDay(
            date=date.fromisoformat(day["date"]), divisions=list(day["divisions"]),
            group_session=None if gs is None else planner.GroupSession(
                datetime.fromisoformat(gs["start"]), datetime.fromisoformat(gs["end"]), gs["room"],
                [int(p) for p in gs["invitees"]]),
            one_to_ones=[planner.Slot(sl["district"], sl["president"], [int(r) for r in sl["reviewers"]],
                                      datetime.fromisoformat(sl["start"]), datetime.fromisoformat(sl["end"]),
                                      sl["room"]) for sl in day["one_to_ones"]],
        ))
    return planner.Plan(days=days, problems=[])


# --- saving --------------------------------------------------------------------------------------


def _joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s", first=", ".join(names[:-1]), last=names[-1])


def _group_titles(units: list[Unit]) -> tuple[str, str]:
    out = []
    for locale, attr in (("hi", "name_hi"), ("en", "name_en")):
        with force_locale(locale):
            names = [getattr(u, attr) or u.name_en for u in units]
            out.append(ngettext("%(names)s division", "%(names)s divisions", len(names), names=_joined(names)))
    return out[0], out[1]


def _one_to_one_titles(district: Unit) -> tuple[str, str]:
    out = []
    for locale, name in (("hi", district.name_hi or district.name_en), ("en", district.name_en)):
        with force_locale(locale):
            out.append(_("One-to-one review: %(district)s", district=name))
    return out[0], out[1]


def save_plan(plan: planner.Plan, context: PlanContext, meeting_data: Mapping,
              chair_person_id: int | None = None) -> Meeting:
    """Create a draft meeting from a plan: one group session per day (covering the day's divisions,
    chaired by the state in-charge unless another chair is given) and one one-to-one session per
    slot. Refused (:class:`MeetingError`) when someone would be double-booked with another meeting."""
    if not plan.days:
        raise ops.MeetingError(_("There is nothing to save: the plan is empty."))
    dates = [day.date for day in plan.days] + list(context.request.dates)
    data = dict(meeting_data)
    data.setdefault("starts_on", min(dates))
    data.setdefault("ends_on", max(dates))
    data["starts_on"] = min(data["starts_on"], min(dates))
    data["ends_on"] = max(data["ends_on"], max(dates))
    meeting = ops.create_meeting(data)
    if chair_person_id is None:
        chair_person_id = context.request.chair
    sessions = []
    for day in plan.days:
        gs = day.group_session
        if gs is not None:
            units = [context.units[c] for c in day.divisions]
            title_hi, title_en = _group_titles(units)
            extra = [p for p in gs.invitees if p in set(context.request.extra_reviewers) and p != chair_person_id]
            sessions.append(ops.build_session(meeting, {
                "kind": SessionKind.GROUP, "day": day.date, "start": gs.start.time(), "end": gs.end.time(),
                "room": gs.room, "title_hi": title_hi, "title_en": title_en,
                "covered_unit_ids": [u.id for u in units], "chair_person_id": chair_person_id,
                "dais_person_ids": extra}))
        for slot in day.one_to_ones:
            district = context.units[slot.district]
            title_hi, title_en = _one_to_one_titles(district)
            sessions.append(ops.build_session(meeting, {
                "kind": SessionKind.ONE_TO_ONE, "day": slot.start.date(), "start": slot.start.time(),
                "end": slot.end.time(), "room": slot.room, "title_hi": title_hi, "title_en": title_en,
                "district_unit_id": district.id, "reviewer_person_ids": list(slot.reviewers)}))
    db.session.flush()
    ops.check_clashes(sessions)
    return meeting


# --- re-planning a saved meeting -----------------------------------------------------------------


def _naive_local(value: datetime) -> datetime:
    return to_local(value).replace(tzinfo=None)


def _scheduled(meeting: Meeting) -> list[queries.SessionView]:
    return [v for v in queries.session_views(queries.meeting_sessions(meeting))
            if v.session.status == SessionStatus.SCHEDULED]


def plan_from_meeting(meeting: Meeting) -> planner.Plan:
    """The meeting's current timetable as a planner plan (what :func:`planner.replan` keeps)."""
    days: dict[date, dict] = {}
    for view in _scheduled(meeting):
        s = view.session
        day = days.setdefault(queries.session_date(s), {"divisions": [], "group": None, "slots": []})
        if s.kind == SessionKind.GROUP:
            day["divisions"] += [u.code for u in s.covered_units if u.level == UnitLevel.DIVISION]
            day["group"] = planner.GroupSession(_naive_local(s.starts_at), _naive_local(s.ends_at), s.room,
                                                [inv.person_id for inv, _p in view.invitees])
        elif s.district is not None:
            president = view.presidents[0].id if view.presidents else None
            day["slots"].append(planner.Slot(s.district.code, president, [p.id for p in view.reviewers],
                                             _naive_local(s.starts_at), _naive_local(s.ends_at), s.room))
    return planner.Plan(days=[planner.PlanDay(d, v["divisions"], v["group"], v["slots"]) for d, v in sorted(days.items())])


def _minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def _kept_breaks(groups, slots) -> list[tuple[time, time]]:
    """The default breaks that the saved timetable keeps free (a meeting planned without a break
    is not pulled apart by re-planning)."""
    spans = [(g.start.time(), g.end.time()) for g in groups] + [(s.start.time(), s.end.time()) for s in slots]
    return [(a, b) for a, b in DEFAULT_BREAKS if not any(s < b and a < e for s, e in spans)]


def _saved_chair(meeting: Meeting) -> int | None:
    return next((s.chair_person_id for s in meeting.sessions if s.kind == SessionKind.GROUP
                 and s.status == SessionStatus.SCHEDULED and s.chair_person_id is not None), None)


def input_from_meeting(meeting: Meeting, unavailable: dict[int, set[date]] | None = None) -> PlanInput:
    """The planner input that reproduces a saved meeting (its divisions, dates, lengths, chair and
    the default breaks it keeps free)."""
    previous = plan_from_meeting(meeting)
    groups = [d.group_session for d in previous.days if d.group_session is not None]
    slots = [s for d in previous.days for s in d.one_to_ones]
    starts = [g.start.time() for g in groups] + [s.start.time() for s in slots]
    ends = [g.end.time() for g in groups] + [s.end.time() for s in slots]
    return PlanInput(
        division_codes=[c for d in previous.days for c in d.divisions], start=meeting.starts_on,
        days=(meeting.ends_on - meeting.starts_on).days + 1,
        per_day=max([len(d.divisions) for d in previous.days] + [1]),
        window=(min(starts, default=time(11, 0)), max(ends + [time(17, 0)])),
        group_minutes=_minutes(groups[0].start, groups[0].end) if groups else 120,
        one_to_one_minutes=_minutes(slots[0].start, slots[0].end) if slots else 15,
        unavailable=unavailable or {}, breaks=_kept_breaks(groups, slots), chair_person_id=_saved_chair(meeting),
    )


def replan_meeting(meeting: Meeting, unavailable: dict[int, set[date]] | None = None):
    """Plan a saved meeting again after a change (the directory, people's availability): returns the
    context, the new plan, the moves and the ids of the people whose timetable changes."""
    context = build_request(input_from_meeting(meeting, unavailable))
    new, moves, affected = planner.replan(plan_from_meeting(meeting), context.request)
    return context, new, moves, affected


def apply_plan(meeting: Meeting, plan: planner.Plan, context: PlanContext) -> None:
    """Make the meeting's sessions match a (re-)plan, moving only what changed; refused on a clash."""
    views = _scheduled(meeting)
    groups = {queries.session_date(v.session): v.session for v in views if v.session.kind == SessionKind.GROUP}
    slots = {v.session.district.code: v.session for v in views
             if v.session.kind == SessionKind.ONE_TO_ONE and v.session.district is not None}
    changes, new, keep = [], [], set()
    for day in plan.days:
        gs = day.group_session
        if gs is not None:
            units = [context.units[c] for c in day.divisions]
            data = {"day": day.date, "start": gs.start.time(), "end": gs.end.time(),
                    "covered_unit_ids": [u.id for u in units], "resync_derived": True}
            session = groups.get(day.date)
            if session is None:
                title_hi, title_en = _group_titles(units)
                new.append({**data, "kind": SessionKind.GROUP, "room": gs.room, "title_hi": title_hi,
                            "title_en": title_en, "chair_person_id": context.request.chair})
            else:
                keep.add(session.id)
                changes.append((session, data))
        for slot in day.one_to_ones:
            session = slots.get(slot.district)
            data = {"day": slot.start.date(), "start": slot.start.time(), "end": slot.end.time(),
                    "room": slot.room}
            if session is None:
                title_hi, title_en = _one_to_one_titles(context.units[slot.district])
                new.append({**data, "kind": SessionKind.ONE_TO_ONE, "district_unit_id": context.units[slot.district].id,
                            "reviewer_person_ids": list(slot.reviewers), "title_hi": title_hi, "title_en": title_en})
            else:
                keep.add(session.id)
                if (_naive_local(session.starts_at), _naive_local(session.ends_at)) != (slot.start, slot.end):
                    changes.append((session, data))
    for view in views:
        if view.session.id not in keep:
            ops.cancel_session(view.session)
    ops.change_sessions(changes, new, meeting)
