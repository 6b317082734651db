"""Factories for tests. Each creates through the operations where they exist and commits."""

from __future__ import annotations

import itertools

from tracker.auth import operations as auth_ops
from tracker.auth.models import Role, User
from tracker.extensions import db

_seq = itertools.count(1)
DEFAULT_PASSWORD = "correct-horse-battery"


def make_user(role: Role | str = Role.OFFICE, username: str | None = None, person=None, **kw) -> User:
    role = Role(role)
    username = username or f"{role.value}{next(_seq)}"
    user = auth_ops.create_user(
        username, kw.pop("password", DEFAULT_PASSWORD), role, person_id=getattr(person, "id", person), **kw
    )
    db.session.commit()
    return user
