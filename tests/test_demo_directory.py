"""The Madhya Pradesh demo directory (``tracker demo load``; acceptance 1 of the directory issue)."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tracker import demo
from tracker.audit.models import AuditEntry
from tracker.auth.models import Role, User
from tracker.campaigns.models import Campaign
from tracker.directory import queries
from tracker.directory.models import DistrictKind, Person, Post, RevenueDistrict, RoleCode, Unit, UnitLevel
from tracker.extensions import db

ON = date(2025, 9, 22)


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture
def loaded(app):
    assert demo.database_is_empty()
    demo.load_demo()
    assert not demo.database_is_empty()


def test_units_of_madhya_pradesh(loaded):
    assert _count(Unit, Unit.level == UnitLevel.STATE) == 1
    assert _count(Unit, Unit.level == UnitLevel.DIVISION) == 10
    districts = db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT)).all()
    assert len(districts) == 71
    assert all(d.name_hi and d.search_key and d.revenue_district_id for d in districts)
    kinds = [d.district_kind for d in districts]
    assert kinds.count(DistrictKind.WHOLE) == 39 and kinds.count(DistrictKind.CITY) == 16
    assert _count(RevenueDistrict) == 55
    by_code = {d.code: d for d in districts}
    assert by_code["bhopal_city"].name_hi == "भोपाल शहर" and by_code["bhopal_rural"].name_hi == "भोपाल ग्रामीण"
    assert by_code["bhopal_city"].revenue_district_id == by_code["bhopal_rural"].revenue_district_id
    assert by_code["bhopal_city"].parent.name_en == "Bhopal"


def test_presidents_and_office_bearers(loaded):
    presidents = queries.current_presidents(None, ON)
    assert len(presidents) == 71 and len({unit.id for unit, _p, _post in presidents}) == 71
    city = db.session.scalar(sa.select(Unit).where(Unit.code == "bhopal_city"))
    assert queries.holder_on(city, RoleCode.DISTRICT_PRESIDENT, ON).name_hi == "प्रवीण सक्सेना"
    assert queries.holder_on(city, RoleCode.DISTRICT_PRESIDENT, date(2025, 8, 15)) is None
    harda = db.session.scalar(sa.select(Unit).where(Unit.code == "harda"))
    assert queries.posts_on(harda, RoleCode.DISTRICT_PRESIDENT, ON)[0].note.endswith("not yet confirmed")
    assert [p.name_en for p in queries.holders(RoleCode.STATE_INCHARGE, ON)] == ["Harish Chaudhary"]
    assert [p.name_en for p in queries.holders(RoleCode.ORG_INCHARGE, ON)] == ["Dr. Sanjay Kamle"]
    assert [p.name_en for p in queries.holders(RoleCode.STATE_PRESIDENT, ON)] == ["Jitu Patwari"]
    divisions = {u.code: u.id for u in db.session.scalars(sa.select(Unit).where(Unit.level == UnitLevel.DIVISION))}
    co = queries.co_incharges_by_division(ON)
    sanjay_divisions = sorted(code for code, uid in divisions.items() if any(p.name_en == "Sanjay Dutt"
                                                                             for p in co.get(uid, [])))
    assert sanjay_divisions == ["bhopal_division", "ujjain_division"]
    people = db.session.scalars(sa.select(Person)).all()
    assert all(p.mobile.startswith("+919") and p.preferred_locale == "hi" for p in people)
    assert db.session.scalar(sa.select(Campaign).where(Campaign.code == "sangathan_srijan")).name_hi == "संगठन सृजन अभियान"


def test_demo_logins(loaded, app):
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    named = [name for name, _desc in demo.demo_logins()]
    assert set(named) <= set(users)
    assert all(u.role == Role.PRESIDENT for name, u in users.items() if name not in named)  # from posts
    assert users["admin"].role == Role.ADMIN and users["office"].role == Role.OFFICE
    assert users["praveen"].role == Role.PRESIDENT and users["praveen"].person.name_en == "Praveen Saxena"
    assert users["anokhi"].person.posts[0].unit.code == "bhopal_rural"
    assert users["sanjay"].person.name_en == "Sanjay Dutt" and users["harish"].role == Role.INCHARGE
    assert users["kamle"].check_password(app.config["DEMO_PASSWORD"])


def test_every_demo_district_president_has_an_active_login_with_a_mobile_number(loaded):
    """Issue 12, acceptance 4: the logins are made from the posts (the office's operation), linked to
    the president, active, in the president role, with the person's mobile number."""
    presidents = db.session.scalars(
        sa.select(Person).join(Post, Post.person_id == Person.id)
        .where(Post.role.has(code=RoleCode.DISTRICT_PRESIDENT)).distinct().order_by(Person.id)).all()
    assert len(presidents) >= 70
    logins = {u.person_id: u for u in db.session.scalars(sa.select(User).where(User.person_id.is_not(None)))}
    for person in presidents:
        login = logins.get(person.id)
        assert login is not None and login.is_active_flag and login.role == Role.PRESIDENT, person.name_en
        assert person.mobile and person.mobile.startswith("+919"), person.name_en
    assert logins[presidents[0].id].username  # a username from the name
    made = _count(AuditEntry, AuditEntry.action == "created_from_post")
    assert made == len(presidents) - 2  # praveen and anokhi are named demo logins


def test_loading_twice_changes_nothing(loaded):
    def snapshot():
        return [_count(m) for m in (Unit, Person, Post, User, RevenueDistrict, Campaign, AuditEntry)]

    before = snapshot()
    demo.load_demo()
    assert snapshot() == before


def test_cli_loads_the_demo(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "praveen" in result.output and _count(Unit, Unit.level == UnitLevel.DISTRICT) == 71


def test_every_demo_president_with_a_login_signs_in_by_mobile_with_the_code_on_the_console(loaded, client, capsys):
    """Issue 12, acceptance 4: the district presidents' demo logins have a mobile number, and in
    development (no webhook) the code is printed by the console channel."""
    presidents = db.session.scalars(sa.select(User).where(User.role == Role.PRESIDENT)).all()
    assert presidents and all(u.person is not None and u.person.mobile for u in presidents)
    assert set(demo.demo_mobile_logins()) >= {(u.username, u.person.mobile) for u in presidents}
    praveen = next(u for u in presidents if u.username == "praveen")
    capsys.readouterr()
    response = client.post("/login/mobile", data={"mobile": praveen.person.mobile})
    assert response.status_code == 302
    printed = capsys.readouterr().out
    code = re.search(r"#(\d{6})\n", printed).group(1)
    assert praveen.person.mobile in printed
    assert client.post("/login/code", data={"code": code}).status_code == 302
    assert client.get("/settings").status_code == 200


def test_demo_load_says_how_to_sign_in_by_mobile(app, runner):
    output = runner.invoke(args=["demo", "load"]).output
    assert "sign in by mobile number" in output and "console" in output
    assert demo.demo_mobile(1)[:8] in output
    assert "every district president (71) signs in with their mobile number" in output
    assert len(output.splitlines()) < 25  # the printed list stays short
