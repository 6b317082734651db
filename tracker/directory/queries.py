"""Read-side queries of the directory."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tracker.directory.models import Post, PostRole
from tracker.extensions import db
from tracker.timeutil import today_local


def current_post_clause(on: date):
    return sa.and_(Post.start_date <= on, sa.or_(Post.end_date.is_(None), Post.end_date >= on))


def role_codes_held(person_id: int, on: date | None = None) -> list[str]:
    """Codes of the post roles a person holds on a date (today by default)."""
    on = on or today_local()
    return list(
        db.session.scalars(
            sa.select(PostRole.code)
            .join(Post, Post.role_id == PostRole.id)
            .where(Post.person_id == person_id, current_post_clause(on))
            .distinct()
        )
    )
