"""Attendance reports as plain tables: shown as HTML, exported as CSV and XLSX, charted as SVG.

Every report is a :class:`Report` (a title, columns with labels in the user's language, rows of
plain values), built with a fixed number of queries whatever the number of invitees.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import lru_cache

import sqlalchemy as sa
from babel import numbers
from sqlalchemy.orm import joinedload

from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.attendance.operations import Names
from tracker.attendance.queries import District, Division, Representative, with_units
from tracker.directory.models import Person, Unit, UnitLevel
from tracker.extensions import db
from tracker.i18n import _, current_locale, fmt_date, fmt_datetime, fmt_time, localized, name_order
from tracker.meetings.models import Invitation, Meeting, MeetingSession
from tracker.timeutil import local_to_utc, now_utc, to_local

S = AttendanceStatus
COUNT_KEYS = ("invited", "present", "late", "excused", "absent", "represented", "unmarked")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | number | percent


@dataclass
class Report:
    title: str
    columns: list[Column]
    rows: list[dict]
    filename: str
    # Rows with "_level" == "division" are subtotals (bold); charts read "bars".
    bars: list[tuple[str, float]] = field(default_factory=list)
    subtitle: str = ""

    def values(self, row: dict) -> list:
        return [row.get(c.key) for c in self.columns]


def rate(attended: int, invited: int) -> float | None:
    """Share of invitees who came or sent a representative; None when nobody was invited."""
    return attended / invited if invited else None


def _count_columns() -> list[Column]:
    return [
        Column("invited", _("Invited"), "number"),
        Column("present", _("Present"), "number"),
        Column("late", _("Late"), "number"),
        Column("excused", _("Excused"), "number"),
        Column("absent", _("Absent"), "number"),
        Column("represented", _("Represented"), "number"),
        Column("unmarked", _("Not marked"), "number"),
        Column("rate", _("Attendance rate"), "percent"),
    ]


def _empty_counts() -> dict:
    return dict.fromkeys(COUNT_KEYS, 0)


def _add(counts: dict, status, n: int) -> None:
    counts["invited"] += n
    counts[S(status).value if status is not None else "unmarked"] += n


def _finish(counts: dict) -> dict:
    attended = counts["present"] + counts["late"] + counts["represented"]
    counts["rate"] = rate(attended, counts["invited"])
    return counts


_ATTENDANCE_JOIN = sa.and_(Attendance.session_id == Invitation.session_id, Attendance.person_id == Invitation.person_id)


def _unit_key_columns():
    return (District.id, District.name_hi, District.name_en, District.level,
            Division.id, Division.name_hi, Division.name_en)


def _split_units(d_id, d_hi, d_en, d_level, v_id, v_hi, v_en):
    """(division, district) as (id, name_hi, name_en) triples; a division-level unit has no district."""
    if d_id is not None and UnitLevel(d_level) == UnitLevel.DIVISION:
        return (d_id, d_hi, d_en), None
    district = (d_id, d_hi, d_en) if d_id is not None else None
    division = (v_id, v_hi, v_en) if v_id is not None else None
    return division, district


def _name(triple) -> str:
    return localized(Names(triple[1], triple[2])) if triple else _("Others")


def breakdown(where) -> list[dict]:
    """Counts by division (subtotal rows) and district for the invitations matching ``where`` (one query)."""
    query = with_units(
        sa.select(*_unit_key_columns(), Attendance.status, sa.func.count(Invitation.id))
        .select_from(Invitation).outerjoin(Attendance, _ATTENDANCE_JOIN)
    ).where(where).group_by(*_unit_key_columns(), Attendance.status)
    divisions: dict = {}
    districts: dict = defaultdict(dict)
    for *units, status, n in db.session.execute(query):
        division, district = _split_units(*units)
        div_key = division[0] if division else None
        div = divisions.setdefault(div_key, {"_unit": division, **_empty_counts()})
        _add(div, status, n)
        if district is not None:
            _add(districts[div_key].setdefault(district[0], {"_unit": district, **_empty_counts()}), status, n)
    rows = []
    for div_key, div in sorted(divisions.items(), key=lambda kv: (kv[0] is None, _name(kv[1]["_unit"]))):
        rows.append({**_finish(div), "division": _name(div["_unit"]), "district": "", "_level": "division"})
        for dist in sorted(districts[div_key].values(), key=lambda d: _name(d["_unit"])):
            rows.append({**_finish(dist), "division": _name(div["_unit"]), "district": _name(dist["_unit"]),
                         "_level": "district"})
    return rows


def _total_row(rows: list[dict]) -> dict:
    total = _empty_counts()
    for row in rows:
        if row["_level"] == "division":
            for key in COUNT_KEYS:
                total[key] += row[key]
    return {**_finish(total), "division": _("Total"), "district": "", "_level": "total"}


def _breakdown_report(title: str, subtitle: str, where, filename: str) -> Report:
    rows = breakdown(where)
    bars = [(row["division"], row["rate"] or 0.0) for row in rows if row["_level"] == "division"]
    if rows:
        rows.append(_total_row(rows))
    columns = [Column("division", _("Division")), Column("district", _("District")), *_count_columns()]
    return Report(title, columns, rows, filename, bars=bars, subtitle=subtitle)


def session_report(session: MeetingSession) -> Report:
    """A session's counts by division and district; nothing is counted before the session has begun."""
    happened = session.starts_at <= now_utc()
    subtitle = f"{localized(session.meeting, 'title')} · {fmt_datetime(to_local(session.starts_at))}"
    if not happened:
        subtitle += " · " + _("This session has not been held yet: it has no attendance.")
    return _breakdown_report(
        _("Attendance: %(session)s", session=localized(session, "title") or session.kind.title), subtitle,
        sa.and_(Invitation.session_id == session.id, sa.true() if happened else sa.false()),
        f"attendance-session-{session.id}",
    )


def _held_sessions(meeting: Meeting):
    """The ids of a meeting's sessions that have begun (the others have no attendance to count)."""
    return sa.select(MeetingSession.id).where(MeetingSession.meeting_id == meeting.id,
                                              MeetingSession.starts_at <= now_utc())


def meeting_report(meeting: Meeting) -> Report:
    """A meeting's counts over the sessions held so far."""
    return _breakdown_report(
        _("Attendance: %(meeting)s", meeting=localized(meeting, "title")),
        f"{fmt_date(meeting.starts_on)} – {fmt_date(meeting.ends_on)} · " + _("sessions held so far"),
        Invitation.session_id.in_(_held_sessions(meeting)), f"attendance-meeting-{meeting.id}",
    )


# --- absentees ---------------------------------------------------------------------------------


def absentees(where, title: str, filename: str, started_only: bool = False) -> Report:
    """Invitees marked absent or not marked at all, with their phone numbers (one query)."""
    query = with_units(
        sa.select(Person.name_hi, Person.name_en, Person.mobile, Attendance.status,
                  MeetingSession.title_hi, MeetingSession.title_en, MeetingSession.starts_at, *_unit_key_columns())
        .select_from(Invitation)
        .join(Person, Person.id == Invitation.person_id)
        .join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .outerjoin(Attendance, _ATTENDANCE_JOIN)
    ).where(where, sa.or_(Attendance.status.is_(None), Attendance.status == S.ABSENT))
    if started_only:
        query = query.where(MeetingSession.starts_at <= now_utc())
    query = query.order_by(*name_order(Person), Person.id, MeetingSession.starts_at)
    rows = []
    for name_hi, name_en, mobile, status, s_hi, s_en, starts_at, *units in db.session.execute(query):
        division, district = _split_units(*units)
        rows.append({
            "name": localized(Names(name_hi, name_en)), "mobile": mobile or "",
            "division": _name(division), "district": _name(district) if district else "",
            "status": S(status).title if status else _("Not marked"),
            "session": f"{localized(Names(s_hi, s_en))} · {fmt_datetime(to_local(starts_at))}",
            "_level": "district",
        })
    rows.sort(key=lambda r: (r["division"], r["district"]))  # stable: names stay in the database's order
    columns = [Column("name", _("Name")), Column("mobile", _("Mobile number")), Column("division", _("Division")),
               Column("district", _("District")), Column("status", _("Attendance")), Column("session", _("Session"))]
    return Report(title, columns, rows, filename)


def session_absentees(session: MeetingSession) -> Report:
    return absentees(Invitation.session_id == session.id,
                     _("Absentees: %(session)s", session=localized(session, "title") or session.kind.title),
                     f"absentees-session-{session.id}", started_only=True)


def meeting_absentees(meeting: Meeting) -> Report:
    return absentees(
        Invitation.session_id.in_(_held_sessions(meeting)),
        _("Absentees: %(meeting)s", meeting=localized(meeting, "title")), f"absentees-meeting-{meeting.id}",
    )


# --- a person across meetings ------------------------------------------------------------------


def person_report(person: Person) -> Report:
    """Every session a person was invited to, newest first, with their attendance (one query)."""
    query = (
        sa.select(MeetingSession, Attendance, Representative)
        .select_from(Invitation)
        .join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .outerjoin(Attendance, _ATTENDANCE_JOIN)
        .outerjoin(Representative, Representative.id == Attendance.represented_by_person_id)
        .options(joinedload(MeetingSession.meeting))
        .where(Invitation.person_id == person.id)
        .order_by(MeetingSession.starts_at.desc(), MeetingSession.id.desc())
    )
    rows, counts, now = [], _empty_counts(), now_utc()
    for session, attendance, representative in db.session.execute(query):
        status = attendance.status if attendance else None
        happened = session.starts_at <= now
        if happened:  # a session that has not happened is not missed: it counts neither way
            _add(counts, status, 1)
        detail = ""
        if attendance and status == S.LATE and attendance.late_at:
            detail = fmt_time(to_local(attendance.late_at))
        elif attendance and status == S.REPRESENTED:
            detail = localized(representative) if representative else attendance.represented_by_name
        rows.append({
            "date": fmt_date(to_local(session.starts_at).date()),
            "meeting": localized(session.meeting, "title"),
            "session": localized(session, "title") or session.kind.title,
            "status": status.title if status else (_("Not marked") if happened else _("Not held yet")), "detail": detail or (attendance.note if attendance
                                                                                        else ""),
            "_level": "district",
        })
    _finish(counts)
    columns = [Column("date", _("Date")), Column("meeting", _("Meeting")), Column("session", _("Session")),
               Column("status", _("Attendance")), Column("detail", _("Details"))]
    subtitle = _("Invited %(invited)s times, attended %(attended)s (%(rate)s).",
                 invited=counts["invited"], attended=counts["present"] + counts["late"] + counts["represented"],
                 rate=format_rate(counts["rate"]))
    return Report(_("Attendance of %(name)s", name=localized(person)), columns, rows,
                  f"attendance-person-{person.id}", subtitle=subtitle)


def format_rate(value: float | None) -> str:
    """A rate as a percentage in the user's locale (cached: a report may show thousands)."""
    return _percent(round(value, 4), current_locale()) if value is not None else "—"


def format_count(value: int | None) -> str:
    return _decimal(value, current_locale()) if value is not None else ""


@lru_cache(maxsize=8192)
def _percent(value: float, locale: str) -> str:
    return numbers.format_percent(value, locale=locale)


@lru_cache(maxsize=8192)
def _decimal(value: int, locale: str) -> str:
    return numbers.format_decimal(value, locale=locale)


# --- rates over time ---------------------------------------------------------------------------


def _within_clause(within: Unit):
    """Invitations for units inside ``within`` (a state: its divisions; a division: its districts)."""
    if within.level == UnitLevel.STATE:
        return sa.or_(Division.parent_id == within.id, District.parent_id == within.id)
    return sa.or_(District.parent_id == within.id, District.id == within.id)


def rates_over_time(level: str, since: date, until: date, within: Unit | None = None) -> Report:
    """Attendance rate per month for each division (or district) inside ``within`` (a state or a
    division; None: everywhere), over the sessions that have begun (one query)."""
    window_start = local_to_utc(since, time.min)
    window_end = min(local_to_utc(until + timedelta(days=1), time.min), now_utc())
    query = with_units(
        sa.select(MeetingSession.starts_at, *_unit_key_columns(), Attendance.status, sa.func.count(Invitation.id))
        .select_from(Invitation)
        .join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .outerjoin(Attendance, _ATTENDANCE_JOIN)
    ).where(MeetingSession.starts_at >= window_start, MeetingSession.starts_at < window_end).group_by(
        MeetingSession.id, MeetingSession.starts_at, *_unit_key_columns(), Attendance.status)
    if within is not None:
        query = query.where(_within_clause(within))
    by_unit: dict = defaultdict(lambda: defaultdict(_empty_counts))
    overall: dict = defaultdict(_empty_counts)
    names: dict = {}
    months: set[str] = set()
    for starts_at, *rest in db.session.execute(query):
        local_day = to_local(starts_at).date()
        *units, status, n = rest
        division, district = _split_units(*units)
        unit = division if level == "division" else district
        if unit is None:
            continue
        month = local_day.strftime("%Y-%m")
        months.add(month)
        names[unit[0]] = unit
        _add(by_unit[unit[0]][month], status, n)
        _add(overall[unit[0]], status, n)
    ordered_months = sorted(months)
    columns = [Column("unit", _("Division") if level == "division" else _("District"))]
    columns += [Column(m, fmt_date(date(int(m[:4]), int(m[5:]), 1), "month"), "percent") for m in ordered_months]
    columns += [Column("invited", _("Invited"), "number"), Column("rate", _("Whole period"), "percent")]
    rows = []
    for unit_id, unit in sorted(names.items(), key=lambda kv: _name(kv[1])):
        row = {"unit": _name(unit), "_level": "district", "_unit_id": unit_id}
        for month in ordered_months:
            row[month] = _finish(by_unit[unit_id][month])["rate"] if month in by_unit[unit_id] else None
        total = _finish(overall[unit_id])
        row.update(invited=total["invited"], rate=total["rate"])
        rows.append(row)
    title = _("Attendance rate by division") if level == "division" else _("Attendance rate by district")
    bars = [(row["unit"], row["rate"] or 0.0) for row in rows] if level == "division" else []
    place = f"{localized(within)} · " if within is not None else ""
    return Report(title, columns, rows, f"attendance-rates-{level}" + (f"-{within.code}" if within else ""),
                  bars=bars, subtitle=f"{place}{fmt_date(since)} – {fmt_date(until)}")
