"""Red flags pages for ``python -m bench.pages``: the flags page, and the office's and the in-charge's home pages
(whose panel lists the flagged districts).

``seed`` gives every organizational district one overdue action item, so that every district is flagged: the
pages then show the most flags they can at each scale.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for

from tracker.directory.models import Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.extensions import db
from tracker.reviews.models import ActionItem, ItemStatus
from tracker.timeutil import now_utc, today_local

OFFICE, INCHARGE = "bench_office", "bench_incharge"


def seed(districts: int) -> None:
    now, due = now_utc(), today_local() - timedelta(days=9)
    owner = db.session.scalar(sa.select(Post.person_id).join(PostRole, PostRole.id == Post.role_id)
                              .where(PostRole.code == RoleCode.DISTRICT_PRESIDENT).order_by(Post.id).limit(1))
    unit_ids = db.session.scalars(sa.select(Unit.id).where(Unit.level == UnitLevel.DISTRICT)).all()
    db.session.execute(sa.insert(ActionItem), [
        {"title": "जिले की रिपोर्ट भेजना", "owner_person_id": owner, "due_on": due, "status": ItemStatus.OPEN,
         "district_unit_id": unit_id, "created_at": now, "updated_at": now} for unit_id in unit_ids])


def pages() -> list[tuple[str, str, str]]:
    return [
        ("flags.index", url_for("flags.index"), OFFICE),
        ("flags.home_office", url_for("core.dashboard"), OFFICE),
        ("flags.home_incharge", url_for("core.dashboard"), INCHARGE),
    ]
