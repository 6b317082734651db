"""The Madhya Pradesh demo data, read from the copy in ``tracker/demo_data/``.

``load_demo`` creates only what is missing (units by code, people by their demo mobile number, posts
by person, unit and role, users by name, the campaign by code), so loading twice changes nothing.
It commits: it is called by ``tracker setup`` and ``tracker demo load`` as a whole unit of work.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from tracker.audit.operations import acting_as
from tracker.auth import operations as auth_ops
from tracker.auth.models import Role, User
from tracker.directory import operations as ops
from tracker.directory.models import Person, Post, RevenueDistrict, RoleCode, Unit, UnitLevel
from tracker.extensions import db

DATA_DIR = Path(__file__).resolve().parent.parent / "demo_data"

STATE = {"code": "mp", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश", "level": UnitLevel.STATE}
DIVISION_SUFFIX = "_division"  # division codes would clash with district codes (narmadapuram, rewa …)
PRESIDENTS_APPOINTED = date(2025, 8, 16)  # the AICC list of 71 district presidents
NOT_CONFIRMED_NOTE = "पुष्टि होना बाकी · not yet confirmed"

# Rows of roles.csv whose holder is a state office-bearer: title_en → (role, start of the term).
STATE_POSTS = {
    "AICC General Secretary in-charge of Madhya Pradesh (state in-charge)": (RoleCode.STATE_INCHARGE, date(2025, 2, 14)),
    "PCC General Secretary (Organisation) / Organisation in-charge": (RoleCode.ORG_INCHARGE, date(2025, 1, 1)),
    "PCC President": (RoleCode.STATE_PRESIDENT, date(2023, 12, 16)),
}
# The state in-charge gives each co-in-charge their divisions; the file has the late-2025 split.
CO_INCHARGES_FROM = date(2025, 2, 14)

CAMPAIGN = {"code": "sangathan_srijan", "name_hi": "संगठन सृजन अभियान", "name_en": "Sangathan Srijan Abhiyan"}

# username, role, demo person (English name) or None, description for the console
LOGINS = (
    ("admin", Role.ADMIN, None, "administrator"),
    ("office", Role.OFFICE, None, "office staff"),
    ("coordinator", Role.COORDINATOR, None, "coordinator"),
    ("harish", Role.INCHARGE, "Harish Chaudhary", "in-charge: Harish Chaudhary, state in-charge"),
    ("kamle", Role.INCHARGE, "Dr. Sanjay Kamle", "in-charge: Dr. Sanjay Kamle, organization in-charge"),
    ("sanjay", Role.INCHARGE, "Sanjay Dutt", "in-charge: Sanjay Dutt, co-in-charge (Bhopal, Ujjain)"),
    ("praveen", Role.PRESIDENT, "Praveen Saxena", "district president: Praveen Saxena, Bhopal City"),
    ("anokhi", Role.PRESIDENT, "Anokhi Man Singh Patel", "district president: Anokhi Man Singh Patel, Bhopal Rural"),
)

_NAMES_IN_NOTE = re.compile(r"^\s*(?P<en>[^/;\[]+?)\s*/\s*(?P<hi>[^;\[]+?)\s*[;\[]")


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def demo_mobile(number: int) -> str:
    """A plausible, deterministic Indian mobile number for the n-th demo person."""
    return f"+9194250{number:05d}"


def database_is_empty() -> bool:
    return not db.session.scalar(sa.select(sa.exists().where(Unit.id.is_not(None)))) and not db.session.scalar(
        sa.select(sa.exists().where(User.id.is_not(None)))
    )


def demo_logins() -> list[tuple[str, str]]:
    return [(username, description) for username, _role, _person, description in LOGINS]


class _Loader:
    def __init__(self) -> None:
        self.units = {u.code: u for u in db.session.scalars(sa.select(Unit))}
        self.people = {p.mobile: p for p in db.session.scalars(sa.select(Person).where(Person.mobile.is_not(None)))}
        self.by_name: dict[str, Person] = {}

    def unit(self, data: dict) -> Unit:
        unit = self.units.get(data["code"])
        if unit is None:
            unit = ops.create_unit(data)
            self.units[unit.code] = unit
        return unit

    def person(self, number: int, name_en: str, name_hi: str) -> Person:
        mobile = demo_mobile(number)
        person = self.people.get(mobile)
        if person is None:
            person = ops.create_person({"name_en": name_en, "name_hi": name_hi, "mobile": mobile,
                                        "preferred_locale": "hi", "preferred_channel": "sms"})
            self.people[mobile] = person
        self.by_name[name_en] = person
        return person

    def post(self, person: Person, unit: Unit, role_code: str, start: date, note: str = "") -> None:
        exists = db.session.scalar(
            sa.select(Post.id).where(Post.person_id == person.id, Post.unit_id == unit.id,
                                     Post.role_id == ops.role_by_code(role_code).id)
        )
        if exists is None:
            ops.appoint(person, unit, role_code, start, note=note)


def _load_units(loader: _Loader) -> Unit:
    state = loader.unit(STATE)
    divisions = {}
    for row in _rows("divisions.csv"):
        divisions[row["code"]] = loader.unit({"code": row["code"] + DIVISION_SUFFIX, "level": UnitLevel.DIVISION,
                                              "parent": state, "name_en": row["name_en"], "name_hi": row["name_hi"]})
    revenue = {r.code: r for r in db.session.scalars(sa.select(RevenueDistrict))}
    for row in _rows("districts.csv"):
        if row["code"] not in revenue:
            revenue[row["code"]] = RevenueDistrict(code=row["code"], name_en=row["name_en"], name_hi=row["name_hi"],
                                                   division_id=divisions[row["division_code"]].id)
            db.session.add(revenue[row["code"]])
    db.session.flush()
    for number, row in enumerate(_rows("org_districts.csv"), start=1):
        district = loader.unit({
            "code": row["code"], "level": UnitLevel.DISTRICT, "parent": divisions[row["division_code"]],
            "name_en": row["name_en"], "name_hi": row["name_hi"], "district_kind": row["kind"],
            "revenue_district_id": revenue[row["revenue_district_code"]].id,
        })
        president = loader.person(number, row["president_en"], row["president_hi"])
        note = "" if row["president_confirmed"] == "yes" else NOT_CONFIRMED_NOTE
        loader.post(president, district, RoleCode.DISTRICT_PRESIDENT, PRESIDENTS_APPOINTED, note)
    return state


def _load_office_bearers(loader: _Loader, state: Unit) -> None:
    for number, row in enumerate(_rows("roles.csv"), start=101):
        if row["title_en"] not in STATE_POSTS:
            continue
        names = _NAMES_IN_NOTE.match(row["notes"])
        role_code, start = STATE_POSTS[row["title_en"]]
        person = loader.person(number, names["en"], names["hi"])
        loader.post(person, state, role_code, start)
    for number, row in enumerate(_rows("co_incharges.csv"), start=201):
        codes = [c for c in row["division_codes"].split(";") if c]
        if not codes:
            continue
        person = loader.person(number, row["name_en"], row["name_hi"])
        for code in codes:
            loader.post(person, loader.units[code + DIVISION_SUFFIX], RoleCode.CO_INCHARGE, CO_INCHARGES_FROM,
                        row["role"])


def _load_campaign() -> None:
    from tracker.campaigns.models import Campaign

    if db.session.scalar(sa.select(Campaign.id).where(Campaign.code == CAMPAIGN["code"])) is None:
        db.session.add(Campaign(**CAMPAIGN, is_active=True))


def _load_logins(loader: _Loader) -> None:
    existing = set(db.session.scalars(sa.select(User.username)))
    password = current_app.config["DEMO_PASSWORD"]
    for username, role, person_name, _description in LOGINS:
        if username in existing:
            continue
        person = loader.by_name.get(person_name) if person_name else None
        auth_ops.create_user(username, password, role, full_name=person_name or "",
                             person_id=person.id if person else None)


def load_demo() -> None:
    """Load Madhya Pradesh: units, presidents, state office-bearers, co-in-charges, campaign, logins."""
    with acting_as(label="demo"):
        ops.ensure_standard_roles()
        loader = _Loader()
        state = _load_units(loader)
        _load_office_bearers(loader, state)
        _load_campaign()
        _load_logins(loader)
        db.session.commit()
