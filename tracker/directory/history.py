"""What the History sections of units, people and posts show (tracker.audit.fields)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker.audit.fields import DATE, LANGUAGE, PHONE, TEXT, YES_NO, Ref, register, titles
from tracker.directory.models import (
    Channel,
    DistrictKind,
    Person,
    Post,
    PostRole,
    RevenueDistrict,
    Unit,
    UnitLevel,
)
from tracker.extensions import db
from tracker.i18n import _l, localized

UNIT = Ref(Unit, localized, _l("deleted unit #%(id)s"))
UNIT_BY_CODE = Ref(Unit, localized, _l("deleted unit (%(id)s)"), key="code")
PERSON = Ref(Person, localized, _l("deleted person #%(id)s"))
ROLE = Ref(PostRole, lambda role: localized(role, "title"), _l("deleted kind of post #%(id)s"))


def _post_name(post: Post) -> str:
    return f"{localized(post.role, 'title')}, {localized(post.unit)}"


POST = Ref(Post, _post_name, _l("deleted post #%(id)s"), options=(joinedload(Post.unit),))


def _role_fields(names: Iterable[str], shower) -> dict:
    """An appointment is recorded on the unit and the person under the post's role code."""
    roles = db.session.scalars(sa.select(PostRole).where(PostRole.code.in_(sorted(names)))).all()
    return {role.code: (localized(role, "title"), shower) for role in roles}


def register_fields() -> None:
    register("units", {
        "name_hi": (_l("Name in Hindi"), TEXT),
        "name_en": (_l("Name in English"), TEXT),
        "code": (_l("Code"), TEXT),
        "level": (_l("Level"), titles(UnitLevel)),
        "parent_id": (_l("Parent unit"), UNIT),
        "district_kind": (_l("Kind of district"), titles(DistrictKind)),
        "revenue_district_id": (_l("Revenue district"),
                                Ref(RevenueDistrict, localized, _l("deleted revenue district #%(id)s"))),
        "is_archived": (_l("Archived"), YES_NO),
    }, more=lambda names: _role_fields(names, PERSON))  # the holders (their names in older entries)
    register("people", {
        "name_hi": (_l("Name in Hindi"), TEXT),
        "name_en": (_l("Name in English"), TEXT),
        "mobile": (_l("Mobile number"), PHONE),
        "email": (_l("Email"), TEXT),
        "preferred_locale": (_l("Preferred language"), LANGUAGE),
        "preferred_channel": (_l("Preferred channel"), titles(Channel)),
        "note": (_l("Note"), TEXT),
        "is_archived": (_l("Archived"), YES_NO),
    }, more=lambda names: _role_fields(names, UNIT_BY_CODE))  # the unit of the post
    register("posts", {
        "person_id": (_l("Person"), PERSON),
        "role_id": (_l("Post"), ROLE),
        "unit_id": (_l("Unit"), UNIT),
        "start_date": (_l("Term starts"), DATE),
        "end_date": (_l("Term ends"), DATE),
        "note": (_l("Note"), TEXT),
    })
