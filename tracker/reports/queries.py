"""Read-side queries of programme reports: a fixed number of SQL queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from tracker import policy
from tracker.directory.models import Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.directory.queries import current_post_clause
from tracker.extensions import db
from tracker.reports.models import ProgrammeReport, ReportKind, ReportStatus
from tracker.timeutil import today_local


@dataclass
class ReportFilters:
    district_id: int | None = None
    kind_id: int | None = None
    since: date | None = None
    until: date | None = None
    status: str | None = None
    division_id: int | None = None


def reports_query(user, filters: ReportFilters):
    """The reports the user may read, newest programme first, with district and kind loaded."""
    query = (sa.select(ProgrammeReport).where(policy.visible_reports_clause(user))
             .options(joinedload(ProgrammeReport.district), joinedload(ProgrammeReport.kind))
             .order_by(ProgrammeReport.held_on.desc(), ProgrammeReport.id.desc()))
    if filters.district_id:
        query = query.where(ProgrammeReport.district_unit_id == filters.district_id)
    elif filters.division_id:
        query = query.where(ProgrammeReport.district_unit_id.in_(
            sa.select(Unit.id).where(Unit.parent_id == filters.division_id)))
    if filters.kind_id:
        query = query.where(ProgrammeReport.kind_id == filters.kind_id)
    if filters.since:
        query = query.where(ProgrammeReport.held_on >= filters.since)
    if filters.until:
        query = query.where(ProgrammeReport.held_on <= filters.until)
    if filters.status in {s.value for s in ReportStatus}:
        query = query.where(ProgrammeReport.status == ReportStatus(filters.status))
    return query


def report_or_404(report_id: int, user) -> ProgrammeReport:
    """The report, or the 404 of a missing one for whoever may not read it (ids cannot be probed)."""
    report = db.session.scalar(
        sa.select(ProgrammeReport).where(ProgrammeReport.id == report_id)
        .options(joinedload(ProgrammeReport.district), joinedload(ProgrammeReport.kind),
                 selectinload(ProgrammeReport.units)))
    if report is None or not policy.can(user, "report.view", report):
        abort(404)
    return report


def kinds(include_archived: bool = False) -> list[ReportKind]:
    query = sa.select(ReportKind).order_by(ReportKind.position, ReportKind.id)
    if not include_archived:
        query = query.where(ReportKind.is_archived.is_(False))
    return list(db.session.scalars(query))


def districts(division_id: int | None = None) -> list[Unit]:
    """The live districts, or those of a division."""
    query = sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False))
    if division_id is not None:
        query = query.where(Unit.parent_id == division_id)
    return list(db.session.scalars(query.order_by(Unit.name_en)))


def divisions() -> list[Unit]:
    """The live divisions (the reports' list filters by division, then by one of its districts)."""
    return list(db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DIVISION,
                                                         Unit.is_archived.is_(False)).order_by(Unit.name_en)))


def blocks_of(district: Unit) -> list[Unit]:
    return list(db.session.scalars(sa.select(Unit).where(Unit.parent_id == district.id, Unit.level == UnitLevel.BLOCK,
                                                         Unit.is_archived.is_(False)).order_by(Unit.name_en)))


def presided_district(person_id: int | None) -> Unit | None:
    """The district a person is president of today (the first by name, if several)."""
    if person_id is None:
        return None
    return db.session.scalar(
        sa.select(Unit).join(Post, Post.unit_id == Unit.id).join(PostRole, Post.role_id == PostRole.id)
        .where(Post.person_id == person_id, PostRole.code == RoleCode.DISTRICT_PRESIDENT,
               Unit.level == UnitLevel.DISTRICT, current_post_clause(today_local()))
        .order_by(Unit.name_en).limit(1))


def recent_for_district(district_id: int, limit: int = 5) -> list[ProgrammeReport]:
    return list(db.session.scalars(
        sa.select(ProgrammeReport).where(ProgrammeReport.district_unit_id == district_id)
        .options(joinedload(ProgrammeReport.kind))
        .order_by(ProgrammeReport.held_on.desc(), ProgrammeReport.id.desc()).limit(limit)))


def president_of(district_id: int, on: date):
    """The district's president on a date (the latest appointed if several), or None: one query."""
    post = db.session.scalars(
        sa.select(Post).join(PostRole, Post.role_id == PostRole.id)
        .where(PostRole.code == RoleCode.DISTRICT_PRESIDENT, Post.unit_id == district_id, current_post_clause(on))
        .options(joinedload(Post.person)).order_by(Post.start_date.desc(), Post.id.desc()).limit(1)).first()
    return post.person if post is not None else None


def questioned_for_person(person_id: int, limit: int = 20) -> list[ProgrammeReport]:
    """The reports of the districts the person presides over today that wait for their answer (one query)."""
    return list(db.session.scalars(
        sa.select(ProgrammeReport)
        .where(ProgrammeReport.district_unit_id.in_(policy.presided_districts_select(person_id)),
               ProgrammeReport.status == ReportStatus.QUESTIONED)
        .options(joinedload(ProgrammeReport.kind), joinedload(ProgrammeReport.district))
        .order_by(ProgrammeReport.reviewed_at.desc(), ProgrammeReport.id.desc()).limit(limit)))


def report_for_person(person_id: int, report_id: int) -> ProgrammeReport | None:
    """A report of a district the person presides over today (their personal link's page), or None."""
    return db.session.scalar(
        sa.select(ProgrammeReport)
        .where(ProgrammeReport.id == report_id,
               ProgrammeReport.district_unit_id.in_(policy.presided_districts_select(person_id)))
        .options(joinedload(ProgrammeReport.district), joinedload(ProgrammeReport.kind),
                 selectinload(ProgrammeReport.units)))
