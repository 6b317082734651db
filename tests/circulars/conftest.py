"""The circulars' world: the Bhopal division with five districts (four with a president; Vidisha's post is
vacant), the Indore division with one, an office login, a co-in-charge of the Bhopal division, and the
presidents' logins; the app's clock fixed on 1 December 2026."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import make_user
from tests.worlds import make_holder, make_region
from tracker.extensions import db

NOW = "2026-12-01T10:00:00+05:30"
TODAY = date(2026, 12, 1)

BHOPAL_DISTRICTS = [
    {"code": "bhopal_city", "name_en": "Bhopal City", "name_hi": "भोपाल शहर"},
    {"code": "raisen", "name_en": "Raisen", "name_hi": "रायसेन"},
    {"code": "rajgarh", "name_en": "Rajgarh", "name_hi": "राजगढ़"},
    {"code": "sehore", "name_en": "Sehore", "name_hi": "सीहोर"},
    {"code": "vidisha", "name_en": "Vidisha", "name_hi": "विदिशा"},
    {"code": "indore_city", "name_en": "Indore City", "name_hi": "इंदौर शहर", "division": 1},
]
PRESIDENTS = [
    {"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना", "mobile": "+919800000001"},
    {"name_en": "Raisen President", "name_hi": "रायसेन अध्यक्ष", "mobile": "+919800000002"},
    {"name_en": "Priyavrat Singh", "name_hi": "प्रियव्रत सिंह", "mobile": "+919800000003",
     "preferred_channel": "whatsapp"},
    {"name_en": "Sehore President", "name_hi": "सीहोर अध्यक्ष", "mobile": "+919800000004"},
]


@dataclass
class CircularWorld:
    region: object
    office: object
    incharge: object
    president_logins: list

    def district(self, code: str):
        return next(d for d in self.region.districts if d.code == code)


@pytest.fixture
def world(fixed_now) -> CircularWorld:
    fixed_now(NOW)
    from tracker.directory.models import Channel

    presidents = [dict(p, preferred_channel=Channel(p.get("preferred_channel", "sms"))) for p in PRESIDENTS]
    indore_president = {"name_en": "Indore President", "name_hi": "इंदौर अध्यक्ष", "mobile": "+919800000009"}
    region = make_region(BHOPAL_DISTRICTS, presidents, divisions=[
        {"code": "bhopal_div", "name_en": "Bhopal", "name_hi": "भोपाल"},
        {"code": "indore_div", "name_en": "Indore", "name_hi": "इंदौर"}])
    indore = make_holder(region.districts[5], "district_president", **indore_president)
    region.presidents.append(indore)
    co_incharge = make_holder(region.divisions[0], "co_incharge", name_en="Sanjay Dutt", name_hi="संजय दत्त")
    db.session.commit()
    office = make_user("office", "karyalay", locale="hi")
    incharge = make_user("incharge", "sanjay", person=co_incharge, locale="hi")
    logins = [make_user("president", f"pres{i}", person=p, locale="hi") for i, p in enumerate(region.presidents)]
    db.session.commit()
    return CircularWorld(region, office, incharge, logins)
