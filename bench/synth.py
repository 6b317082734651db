"""Deterministic synthetic directory for benchmarks and scale tests.

``build(districts)`` fills the current app's (empty) database with a party directory of about
``districts`` organizational districts: one state for Madhya Pradesh sizes (≤ 100 districts),
36 states for the whole country; about seven districts per division, three blocks per district;
a current and a former president per district, two members per district, a co-in-charge per two
divisions (every fifth also covering a third), a state president, in-charge and organization
in-charge per state; people with Hindi and Latin names and unique mobile numbers. Everything is
seeded, so the same call gives the same database. Rows go in with bulk INSERTs
(``db.session.execute(Model.__table__.insert(), rows)``: one executemany per
chunk, where the ORM form would send units one by one because of their self-reference): no audit
trail, but real search keys.

It also creates the bench logins ``bench_admin``, ``bench_office``, ``bench_coordinator``,
``bench_incharge`` (the first state's in-charge) and ``bench_president`` (president of the first
district), all with the password ``bench-password-1``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import count

import sqlalchemy as sa

from tracker.directory.models import DistrictKind, Person, Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.directory.search import make_search_key
from tracker.extensions import db

PASSWORD = "bench-password-1"
USERS = ("bench_admin", "bench_office", "bench_coordinator", "bench_incharge", "bench_president")
TERM_START = date(2025, 8, 16)

FIRST_NAMES = (
    ("Praveen", "प्रवीण"), ("Sanjay", "संजय"), ("Anil", "अनिल"), ("Sunil", "सुनील"), ("Rakesh", "राकेश"),
    ("Mahesh", "महेश"), ("Suresh", "सुरेश"), ("Priyavrat", "प्रियव्रत"), ("Harish", "हरीश"), ("Jitu", "जीतू"),
    ("Kamla", "कमला"), ("Sunita", "सुनीता"), ("Rekha", "रेखा"), ("Anita", "अनीता"), ("Vijay", "विजय"),
    ("Ajay", "अजय"), ("Dinesh", "दिनेश"), ("Ramesh", "रमेश"), ("Omprakash", "ओमप्रकाश"), ("Govind", "गोविंद"),
    ("Laxmi", "लक्ष्मी"), ("Meena", "मीना"), ("Arun", "अरुण"), ("Vivek", "विवेक"), ("Manoj", "मनोज"),
)
SURNAMES = (
    ("Saxena", "सक्सेना"), ("Dutt", "दत्त"), ("Singh", "सिंह"), ("Patel", "पटेल"), ("Sharma", "शर्मा"),
    ("Verma", "वर्मा"), ("Yadav", "यादव"), ("Chaudhary", "चौधरी"), ("Tiwari", "तिवारी"), ("Mishra", "मिश्रा"),
    ("Kamle", "कामले"), ("Jain", "जैन"), ("Gupta", "गुप्ता"), ("Chouhan", "चौहान"), ("Meena", "मीणा"),
    ("Ahirwar", "अहिरवार"), ("Dubey", "दुबे"), ("Pandey", "पांडेय"), ("Rathore", "राठौर"), ("Thakur", "ठाकुर"),
)
PLACES = (
    ("Bhopal", "भोपाल"), ("Narmadapuram", "नर्मदापुरम"), ("Indore", "इंदौर"), ("Ujjain", "उज्जैन"),
    ("Jabalpur", "जबलपुर"), ("Gwalior", "ग्वालियर"), ("Chambal", "चंबल"), ("Rewa", "रीवा"), ("Shahdol", "शहडोल"),
    ("Sagar", "सागर"), ("Raisen", "रायसेन"), ("Sehore", "सीहोर"), ("Vidisha", "विदिशा"), ("Betul", "बैतूल"),
    ("Harda", "हरदा"), ("Dewas", "देवास"), ("Ratlam", "रतलाम"), ("Mandsaur", "मंदसौर"), ("Khandwa", "खंडवा"),
    ("Katni", "कटनी"), ("Satna", "सतना"), ("Guna", "गुना"), ("Morena", "मुरैना"), ("Bhind", "भिंड"),
    ("Datia", "दतिया"), ("Damoh", "दमोह"), ("Panna", "पन्ना"), ("Sidhi", "सीधी"), ("Umaria", "उमरिया"),
    ("Dhar", "धार"), ("Jhabua", "झाबुआ"), ("Seoni", "सिवनी"), ("Balaghat", "बालाघाट"), ("Mandla", "मंडला"),
    ("Chhindwara", "छिंदवाड़ा"), ("Tikamgarh", "टीकमगढ़"),
)


@dataclass
class World:
    """What ``build`` made: ids the benchmarks and tests refer to."""

    districts: int
    states: list[int] = field(default_factory=list)
    divisions: list[int] = field(default_factory=list)
    district_ids: list[int] = field(default_factory=list)
    people: int = 0
    posts: int = 0
    first_president_id: int | None = None
    first_incharge_id: int | None = None


class _Builder:
    def __init__(self, districts: int, seed: int):
        self.rng = random.Random(seed * 1_000_003 + districts)
        self.world = World(districts)
        self.units: list[dict] = []
        self.people: list[dict] = []
        self.posts: list[dict] = []
        self.unit_ids = count(_next_id(Unit))
        self.person_ids = count(_next_id(Person))
        self.mobiles = count(10_000_000)
        self.roles = {code: role_id for code, role_id in db.session.execute(sa.select(PostRole.code, PostRole.id))}

    def place(self, n: int) -> tuple[str, str]:
        name_en, name_hi = PLACES[n % len(PLACES)]
        if n >= len(PLACES):
            return f"{name_en} {n // len(PLACES)}", f"{name_hi} {n // len(PLACES)}"
        return name_en, name_hi

    def unit(self, code: str, level: UnitLevel, parent: int | None, name_en: str, name_hi: str,
             kind: DistrictKind | None = None) -> int:
        unit_id = next(self.unit_ids)
        self.units.append({
            "id": unit_id, "code": code, "level": level, "district_kind": kind, "parent_id": parent,
            "name_en": name_en, "name_hi": name_hi, "is_archived": False,
            "search_key": make_search_key(name_hi, name_en, code),
        })
        return unit_id

    def person(self) -> int:
        first_en, first_hi = self.rng.choice(FIRST_NAMES)
        last_en, last_hi = self.rng.choice(SURNAMES)
        person_id = next(self.person_ids)
        name_en, name_hi = f"{first_en} {last_en}", f"{first_hi} {last_hi}"
        self.people.append({
            "id": person_id, "name_en": name_en, "name_hi": name_hi, "mobile": f"+9198{next(self.mobiles)}",
            "email": None, "preferred_locale": "hi", "note": "", "is_archived": False,
            "search_key": make_search_key(name_hi, name_en),
        })
        return person_id

    def post(self, person: int, unit: int, role: str, start: date, end: date | None = None, note: str = "") -> None:
        self.posts.append({"person_id": person, "unit_id": unit, "role_id": self.roles[role], "start_date": start,
                           "end_date": end, "note": note})

    def state(self, index: int, districts: int) -> None:
        name_en, name_hi = (("Madhya Pradesh", "मध्य प्रदेश") if index == 0
                            else (f"State {index + 1}", f"प्रदेश {index + 1}"))
        code = f"s{index + 1:02d}"
        state_id = self.unit(code, UnitLevel.STATE, None, name_en, name_hi)
        self.world.states.append(state_id)
        for role in (RoleCode.STATE_PRESIDENT, RoleCode.STATE_INCHARGE, RoleCode.ORG_INCHARGE):
            person = self.person()
            self.post(person, state_id, role, TERM_START)
            if index == 0 and role == RoleCode.STATE_INCHARGE:
                self.world.first_incharge_id = person
        n_divisions = max(1, round(districts / 7))
        divisions = []
        for d in range(n_divisions):
            div_en, div_hi = self.place(len(self.world.divisions))
            division_id = self.unit(f"{code}-d{d + 1:02d}", UnitLevel.DIVISION, state_id, div_en, div_hi)
            divisions.append(division_id)
            self.world.divisions.append(division_id)
        self.co_incharges(divisions)
        for n in range(districts):
            self.district(f"{code}-d{n % n_divisions + 1:02d}-{n + 1:03d}", divisions[n % n_divisions], n)

    def co_incharges(self, divisions: list[int]) -> None:
        for start in range(0, len(divisions), 2):
            person = self.person()
            covered = divisions[start:start + 2]
            if start % 10 == 0 and len(divisions) > start + 2:
                covered.append(divisions[start + 2])
            for division in covered:
                self.post(person, division, RoleCode.CO_INCHARGE, TERM_START)

    def district(self, code: str, division: int, n: int) -> None:
        name_en, name_hi = self.place(len(self.world.district_ids))
        kind = (DistrictKind.WHOLE, DistrictKind.CITY, DistrictKind.RURAL)[n % 3]
        district_id = self.unit(code, UnitLevel.DISTRICT, division, name_en, name_hi, kind)
        self.world.district_ids.append(district_id)
        president = self.person()
        if self.world.first_president_id is None:
            self.world.first_president_id = president
        self.post(president, district_id, RoleCode.DISTRICT_PRESIDENT, TERM_START)
        self.post(self.person(), district_id, RoleCode.DISTRICT_PRESIDENT, date(2021, 1, 1),
                  TERM_START - timedelta(days=1))
        for _member in range(2):
            self.post(self.person(), district_id, RoleCode.MEMBER, TERM_START - timedelta(days=self.rng.randint(0, 900)))
        for b in range(3):
            self.unit(f"{code}-b{b + 1}", UnitLevel.BLOCK, district_id, f"{name_en} block {b + 1}",
                      f"{name_hi} ब्लॉक {b + 1}")

    def flush(self) -> None:
        # Parents first: units are appended parent before child, and SQLite checks FKs per row.
        for model, rows in ((Unit, self.units), (Person, self.people), (Post, self.posts)):
            for start in range(0, len(rows), 2000):
                db.session.execute(model.__table__.insert(), rows[start:start + 2000])
        db.session.flush()
        self.world.people, self.world.posts = len(self.people), len(self.posts)


def _next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _sync_sequences() -> None:
    """After inserts with explicit ids PostgreSQL's sequences must move past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in (Unit, Person):
        table = model.__tablename__
        db.session.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        ))


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def create_users(world: World) -> None:
    from tracker.auth import operations as auth_ops
    from tracker.auth.models import Role

    people = {"bench_president": world.first_president_id, "bench_incharge": world.first_incharge_id}
    for username, role in zip(USERS, (Role.ADMIN, Role.OFFICE, Role.COORDINATOR, Role.INCHARGE, Role.PRESIDENT),
                              strict=True):
        auth_ops.create_user(username, PASSWORD, role, person_id=people.get(username), locale="en")
    db.session.flush()


def build(districts: int, seed: int = 2025, users: bool = True) -> World:
    """Build the directory of about ``districts`` organizational districts; flushes, does not commit."""
    from tracker.directory import operations as ops

    ops.ensure_standard_roles()
    builder = _Builder(districts, seed)
    n_states = 1 if districts <= 100 else 36
    for index, share in enumerate(_split(districts, n_states)):
        builder.state(index, share)
    builder.flush()
    _sync_sequences()
    if users:
        create_users(builder.world)
    return builder.world
