"""What a login acts as today: its staff role, or the roles of the posts its person holds on the day.

The policy (tracker/policy.py) decides every action with these helpers and their SQL twins; they live here,
with the logins, because they say what a login is, not what it may do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.sql.elements import ColumnElement

from tracker.auth.models import Role, User

# Staff roles are rights of their own; every other role's rights come from the posts held on the day.
STAFF_ROLES = (Role.ADMIN, Role.OFFICE, Role.COORDINATOR)


def rights_ended(user) -> bool:
    """A post-holder's login (not staff) whose person held posts and holds none today: the rights came from
    the posts and ended with them, the same day, before the daily expiry deactivates the login (issue 12)."""
    person_id = getattr(user, "person_id", None)
    if getattr(user, "role", None) in STAFF_ROLES or person_id is None:
        return False
    from tracker.directory.queries import posts_all_ended
    from tracker.timeutil import today_local

    on = today_local()
    return per_request("_posts_all_ended", (person_id, on), lambda: posts_all_ended(person_id, on))


def per_request(name: str, key, compute: Callable[[], bool]) -> bool:
    """``compute()``, once per request for the key."""
    if not has_app_context():
        return compute()
    cache = g.setdefault(name, {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


# The non-staff roles a post gives, the same day it is held (staff roles are never derived from posts).
POST_ROLES: dict[str, Role] = {"district_president": Role.PRESIDENT, **dict.fromkeys(
    ("state_incharge", "org_incharge", "district_incharge", "co_incharge", "district_co_incharge"), Role.INCHARGE)}


def _held_posts(user) -> bool:
    """The user's person has held a post (once or now): their rights come from the posts."""
    from tracker.directory.queries import ever_held_post

    return per_request("_ever_held_post", user.person_id, lambda: ever_held_post(user.person_id))


def roles_today(user) -> frozenset[Role]:
    """The roles the user acts in today. Staff roles (admin, office, coordinator) stay as roles; a login of
    a person who holds or held posts acts in the roles of all the posts held today (a district president
    who is also a co-in-charge has both; a replaced president none of a president's); any other login
    (no person, or a person with no post ever), or one whose posts today give no role, in its role."""
    if user.role in STAFF_ROLES or user.person_id is None or not _held_posts(user):
        return frozenset({user.role})
    held = held_role_codes(user)
    derived = frozenset(POST_ROLES[code] for code in held if code in POST_ROLES)
    return derived if derived or not held else frozenset({user.role})


def acts_as(user, *allowed: Role) -> bool:
    """The user acts in one of these roles today (see :func:`roles_today`)."""
    return not roles_today(user).isdisjoint(allowed)


def acting_clause(*allowed: Role) -> ColumnElement[bool]:
    """SQL twin of :func:`acts_as` for audience twins: the users who act in one of these roles today."""
    from tracker.directory.models import Post, PostRole
    from tracker.directory.queries import current_post_clause
    from tracker.timeutil import today_local

    def holds(codes=None) -> ColumnElement[bool]:
        query = sa.select(Post.id).join(PostRole, Post.role_id == PostRole.id).where(
            Post.person_id == User.person_id, current_post_clause(today_local()))
        return (query if codes is None else query.where(PostRole.code.in_(codes))).exists()

    had = sa.select(Post.id).where(Post.person_id == User.person_id).exists()
    roleless = sa.and_(holds(), ~holds(list(POST_ROLES)))
    by_role = sa.and_(User.role.in_(allowed),
                      sa.or_(User.role.in_(STAFF_ROLES), User.person_id.is_(None), ~had, roleless))
    by_post = sa.and_(User.role.not_in(STAFF_ROLES),
                      holds([code for code, role in POST_ROLES.items() if role in allowed]))
    return sa.or_(by_role, by_post)


def rights_held_clause() -> ColumnElement[bool]:
    """SQL twin of ``not rights_ended`` for audience twins: the users whose rights have not ended."""
    from tracker.directory.queries import posts_all_ended_clause
    from tracker.timeutil import today_local

    return sa.or_(User.role.in_(STAFF_ROLES), User.person_id.is_(None),
                  ~posts_all_ended_clause(User.person_id, today_local()))


def held_role_codes(user, on: date | None = None) -> frozenset[str]:
    """Codes of the post roles the user's person holds today (cached per request)."""
    if getattr(user, "person_id", None) is None:
        return frozenset()
    cache = None
    if has_app_context():
        cache = g.setdefault("_held_role_codes", {})
        key = (user.person_id, on)
        if key in cache:
            return cache[key]
    from tracker.directory.queries import role_codes_held

    codes = frozenset(role_codes_held(user.person_id, on))
    if cache is not None:
        cache[(user.person_id, on)] = codes
    return codes
