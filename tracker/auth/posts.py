"""Logins and the posts they come from (issue 12): a login of a post-holder (a district president, an
in-charge) has no reason to exist once the person holds no post; it is deactivated, with an audit entry
saying why. Staff roles (admin, office, coordinator) stay as roles and are never touched here.

Two ways in: the directory's ``post_ended`` signal (a post ended, replaced or its end date changed: the
login goes at once when the end date is already past), and :func:`expire_logins`, run daily by the
scheduler and by ``tracker users expire-posts``, for terms that end by date without an explicit action.
Operations flush; the caller commits once."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tracker.audit.operations import record
from tracker.auth.models import Role, User
from tracker.auth.operations import set_active
from tracker.directory.models import Post, PostRole, Unit
from tracker.extensions import db
from tracker.timeutil import today_local

# Logins whose rights are their role, not their posts.
STAFF_ROLES = (Role.ADMIN, Role.OFFICE, Role.COORDINATOR)


def _holds_post_from(person_id: int, on: date) -> bool:
    """A post held on the day or later (a term that has not ended by ``on``)."""
    return db.session.scalar(
        sa.select(Post.id).where(Post.person_id == person_id, sa.or_(Post.end_date.is_(None), Post.end_date >= on))
        .limit(1)
    ) is not None


def _last_ended_post(person_id: int) -> Post | None:
    return db.session.scalar(
        sa.select(Post).where(Post.person_id == person_id, Post.end_date.is_not(None))
        .order_by(Post.end_date.desc(), Post.id.desc()).limit(1)
    )


def why(post: Post) -> str:
    """The reason kept in the audit trail (its data, in English like the rest of the trail)."""
    role = db.session.get(PostRole, post.role_id)
    unit = db.session.get(Unit, post.unit_id)
    return f"post ended: {role.code if role else post.role_id} at {unit.code if unit else post.unit_id} " \
           f"on {post.end_date.isoformat()}; no current post left"


def _retire(user: User, post: Post) -> None:
    set_active(user, False)
    record(db.session, "users", user.id, "deactivate", {"reason": [None, why(post)]})


def _postless_logins(on: date):
    """Active post-holder logins linked to a person who has no post from ``on`` on but had one."""
    holds = sa.select(Post.id).where(Post.person_id == User.person_id,
                                     sa.or_(Post.end_date.is_(None), Post.end_date >= on)).exists()
    had = sa.select(Post.id).where(Post.person_id == User.person_id).exists()
    return sa.select(User).where(User.is_active_flag.is_(True), User.person_id.is_not(None),
                                 User.role.not_in(STAFF_ROLES), had, ~holds).order_by(User.id)


def expire_logins(on: date | None = None, dry_run: bool = False) -> list[tuple[User, str]]:
    """Deactivate every post-holder login whose person's posts have all ended before ``on`` (today by
    default); returns the logins with the reason (none changed with ``dry_run``)."""
    on = on or today_local()
    done = []
    for user in db.session.scalars(_postless_logins(on)).all():
        post = _last_ended_post(user.person_id)
        if not dry_run:
            _retire(user, post)
        done.append((user, why(post)))
    return done


def post_ended(post: Post, end_date: date | None = None, **_kwargs) -> None:
    """Receiver of the directory's ``post_ended``: when the term is already over and the person holds no
    other post, their post-holder login is deactivated."""
    today = today_local()
    if post.end_date is None or post.end_date >= today:
        return  # still held today: the daily expiry deactivates it once the term is over
    user = db.session.scalar(sa.select(User).where(User.person_id == post.person_id))
    if user is None or not user.is_active_flag or user.role in STAFF_ROLES:
        return
    if not _holds_post_from(post.person_id, today):
        _retire(user, post)

