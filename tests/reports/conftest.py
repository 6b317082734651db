"""A small world for the programme reports: two districts (Rajgarh with two blocks, Sehore), their presidents,
an in-charge and the office; the standard kinds; the local store in a temporary folder."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import make_unit, make_user
from tests.worlds import RAJGARH, SEHORE, make_holder, make_region
from tracker.extensions import db
from tracker.reports import operations as ops
from tracker.reports import queries as q


@dataclass
class World:
    district: object
    other_district: object
    blocks: list
    kinds: dict
    users: dict


@pytest.fixture
def world(app, tmp_path, monkeypatch) -> World:
    monkeypatch.setitem(app.config, "UPLOADS_DIR", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "UPLOADS_S3_BUCKET", "")
    region = make_region([RAJGARH, SEHORE], [{"name_en": "Priyavrat Singh", "name_hi": "प्रियवृत सिंह"},
                                             {"name_en": "Other President", "name_hi": "अन्य अध्यक्ष"}])
    district, other = region.districts
    blocks = [make_unit("block", parent=district, name_en=name, name_hi=name, commit=False)
              for name in ("Biaora", "Narsinghgarh")]
    incharge = make_holder(region.divisions[0], "co_incharge", name_en="Sanjay Dutt", name_hi="संजय दत्त")
    db.session.commit()
    ops.add_standard_kinds()
    kinds = {k.code: k for k in q.kinds()}
    db.session.commit()
    users = {
        "president": make_user("president", "u_president", person=region.presidents[0]),
        "other_president": make_user("president", "u_other_president", person=region.presidents[1]),
        "incharge": make_user("incharge", "u_incharge", person=incharge),
        "office": make_user("office", "u_office"),
        "coordinator": make_user("coordinator", "u_coordinator"),
    }
    return World(district, other, blocks, kinds, users)
