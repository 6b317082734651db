"""Directory fixtures: a small Madhya Pradesh-like world built through the operations."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.directory import operations as ops
from tracker.directory.models import RoleCode
from tracker.extensions import db

APPOINTED = date(2025, 8, 16)


@pytest.fixture
def world():
    """State → Bhopal division → Bhopal City (Praveen Saxena) and Bhopal Rural; Ujjain division → Ujjain."""
    state = ops.create_unit({"code": "mp", "level": "state", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश"})
    bhopal = ops.create_unit({"code": "bhopal_division", "level": "division", "parent": state,
                              "name_en": "Bhopal", "name_hi": "भोपाल"})
    ujjain = ops.create_unit({"code": "ujjain_division", "level": "division", "parent": state,
                              "name_en": "Ujjain", "name_hi": "उज्जैन"})
    city = ops.create_unit({"code": "bhopal_city", "level": "district", "parent": bhopal, "district_kind": "city",
                            "name_en": "Bhopal City", "name_hi": "भोपाल शहर"})
    rural = ops.create_unit({"code": "bhopal_rural", "level": "district", "parent": bhopal, "district_kind": "rural",
                             "name_en": "Bhopal Rural", "name_hi": "भोपाल ग्रामीण"})
    ujjain_city = ops.create_unit({"code": "ujjain_city", "level": "district", "parent": ujjain,
                                   "district_kind": "city", "name_en": "Ujjain City", "name_hi": "उज्जैन शहर"})
    praveen = ops.create_person({"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना", "mobile": "9425000001"})
    anokhi = ops.create_person({"name_en": "Anokhi Patel", "name_hi": "अनोखी पटेल", "mobile": "9425000002"})
    sanjay = ops.create_person({"name_en": "Sanjay Dutt", "name_hi": "संजय दत्त", "mobile": "9425000003"})
    ops.appoint(praveen, city, RoleCode.DISTRICT_PRESIDENT, APPOINTED)
    ops.appoint(anokhi, rural, RoleCode.DISTRICT_PRESIDENT, APPOINTED)
    ops.appoint(sanjay, bhopal, RoleCode.CO_INCHARGE, date(2025, 2, 14))
    ops.appoint(sanjay, ujjain, RoleCode.CO_INCHARGE, date(2025, 2, 14))
    db.session.commit()
    return {"state": state, "bhopal": bhopal, "ujjain": ujjain, "city": city, "rural": rural,
            "ujjain_city": ujjain_city, "praveen": praveen, "anokhi": anokhi, "sanjay": sanjay}


@pytest.fixture
def en(app):
    """Run the test in a request context with English messages and names."""
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        yield
