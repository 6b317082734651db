"""Programme reports pages for ``python -m bench.pages``: the office's list of reports (all districts,
paginated), a report, and a president's list of their own district's reports.

``seed`` gives every organizational district three reports (one verified, one questioned, one waiting),
bulk-inserted; the list's query count must stay flat from 70 to 1,000 districts.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for

from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.reports import operations as ops
from tracker.reports import queries as q
from tracker.reports.models import ProgrammeReport, ReportStatus
from tracker.timeutil import now_utc, today_local

OFFICE, INCHARGE, PRESIDENT = "bench_office", "bench_incharge", "bench_president"
STATUSES = (ReportStatus.VERIFIED, ReportStatus.QUESTIONED, ReportStatus.SUBMITTED)


def seed(districts: int) -> None:
    ops.add_standard_kinds()
    kinds = q.kinds()
    unit_ids = list(db.session.scalars(sa.select(Unit.id).where(Unit.level == UnitLevel.DISTRICT).order_by(Unit.id)))
    have = set(db.session.scalars(sa.select(ProgrammeReport.district_unit_id).distinct()))
    now, today = now_utc(), today_local()
    rows = [
        {"district_unit_id": unit_id, "kind_id": kinds[(unit_id + n) % len(kinds)].id,
         "held_on": today - timedelta(days=3 * n + unit_id % 7), "place": f"Place {unit_id}-{n}",
         "participants": 20 + n * 15, "account": "Workers met.", "links": "", "status": status,
         "question": "How many women?" if status == ReportStatus.QUESTIONED else "", "created_at": now,
         "updated_at": now}
        for unit_id in unit_ids if unit_id not in have for n, status in enumerate(STATUSES)
    ]
    if rows:
        db.session.execute(sa.insert(ProgrammeReport), rows)


def pages() -> list[tuple[str, str, str]]:
    first = db.session.scalar(sa.select(ProgrammeReport.id).order_by(ProgrammeReport.id).limit(1))
    return [
        ("reports.index", url_for("reports.index"), OFFICE),
        ("reports.index_filtered", url_for("reports.index", status="submitted"), INCHARGE),
        ("reports.report", url_for("reports.report", report_id=first), OFFICE),
        ("reports.index_president", url_for("reports.index"), PRESIDENT),
    ]
