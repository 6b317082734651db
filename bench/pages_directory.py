"""Directory pages for ``python -m bench.pages``: tree, unit, person, search."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from tracker.directory.models import Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.extensions import db

USER = "bench_office"


def seed(districts: int) -> None:
    """The synthetic directory (bench.synth) is all these pages need."""


def _first_district() -> Unit:
    return db.session.scalars(
        sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT).order_by(Unit.id).limit(1)
    ).one()


def _president_of(unit: Unit) -> int:
    return db.session.scalars(
        sa.select(Post.person_id).join(PostRole, PostRole.id == Post.role_id)
        .where(Post.unit_id == unit.id, PostRole.code == RoleCode.DISTRICT_PRESIDENT, Post.end_date.is_(None))
    ).one()


def pages() -> list[tuple[str, str, str]]:
    district = _first_district()
    return [
        ("directory.tree", url_for("directory.tree"), USER),
        ("directory.unit", url_for("directory.unit", unit_id=district.id), USER),
        ("directory.division", url_for("directory.unit", unit_id=district.parent_id), USER),
        ("directory.person", url_for("directory.person", person_id=_president_of(district)), USER),
        ("directory.search", url_for("directory_search.search_page", q="praveen"), USER),
    ]
