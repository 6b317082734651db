"""Logins managed from the browser and made from posts (issue 12): the operations and the CLI."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.factories import make_person, make_post, make_unit, make_user
from tracker import policy
from tracker.audit.models import AuditEntry
from tracker.auth import operations as ops
from tracker.auth.models import Role, User
from tracker.auth.operations import AuthError
from tracker.extensions import db


def _two_divisions():
    """Two divisions with two districts each, and a third division outside the choice."""
    state = make_unit("state", "mp")
    bhopal = make_unit("division", "bhopal_division", parent=state)
    indore = make_unit("division", "indore_division", parent=state)
    other = make_unit("division", "rewa_division", parent=state)
    districts = {code: make_unit("district", code, parent=parent) for code, parent in (
        ("bhopal", bhopal), ("sehore", bhopal), ("indore", indore), ("dhar", indore), ("rewa", other))}
    return (bhopal, indore, other), districts


def _users() -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(sa.select(User))}


def test_username_base_is_lower_case_ascii():
    assert ops.username_base("Rāj Kumār  Singh") == "raj.kumar.singh"
    assert ops.username_base("O'Brien-Patel") == "o.brien.patel"
    assert ops.username_base("राम") == ""


def test_logins_from_posts_creates_links_and_skips_with_reasons():
    (bhopal, indore, _), d = _two_divisions()
    ram = make_person("Ram Singh")
    make_post(ram, d["bhopal"])
    clash = make_person("Ram Singh")  # a second Ram Singh: a suffix number
    make_post(clash, d["indore"])
    had = make_person("Sita Devi")
    make_post(had, d["sehore"])
    make_user(Role.PRESIDENT, "sita", person=had)
    no_mobile = make_person("Mohan Lal", mobile="")
    make_post(no_mobile, d["dhar"])
    make_post(make_person("Gone Away", is_archived=True), d["dhar"], start_date=date(2025, 1, 1),
              end_date=None)
    make_post(make_person("Far Away"), d["rewa"])  # outside the chosen divisions
    make_post(make_person("Ended Term"), d["indore"], start_date=date(2020, 1, 1), end_date=date(2021, 1, 1))

    plan = ops.plan_from_posts("district_president", [bhopal.id, indore.id])
    assert sorted(c.username for c in plan.created) == ["ram.singh", "ram.singh2"]
    assert {c.person.name_en: c.skipped for c in plan.skipped} == {
        "Sita Devi": ops.HAS_LOGIN, "Mohan Lal": ops.NO_MOBILE, "Gone Away": ops.ARCHIVED}
    assert set(_users()) == {"sita"}  # the preview changed nothing

    report = ops.logins_from_posts("district_president", [bhopal.id, indore.id])
    db.session.commit()
    users = _users()
    assert set(users) == {"sita", "ram.singh", "ram.singh2"}
    assert users["ram.singh"].person_id == ram.id and users["ram.singh2"].person_id == clash.id
    assert users["ram.singh"].role == Role.PRESIDENT and users["ram.singh"].is_active
    assert not users["ram.singh"].check_password("")  # a random password nobody knows
    assert len(report.created) == 2 and len(report.skipped) == 3
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity_type == "users")).all()
    assert actions.count("created_from_post") == 2 and actions.count("logins_from_posts") == 1

    again = ops.plan_from_posts("district_president", [bhopal.id, indore.id])
    assert again.created == [] and {c.skipped for c in again.skipped} >= {ops.HAS_LOGIN}


@pytest.mark.parametrize(("kind", "post_code", "role"), [
    ("coordinator", "coordinator", Role.COORDINATOR),
    ("co_incharge", "co_incharge", Role.INCHARGE),
    ("incharge", "district_incharge", Role.INCHARGE),
])
def test_the_role_matches_the_post(kind, post_code, role):
    (bhopal, _, _), d = _two_divisions()
    make_post(make_person("Kamla Bai"), bhopal if post_code == "co_incharge" else d["bhopal"], post_code)
    ops.logins_from_posts(kind, [bhopal.id])
    assert _users()["kamla.bai"].role == role


def test_the_cli_dry_run_changes_nothing_and_the_run_creates(runner):
    (bhopal, indore, _), d = _two_divisions()
    make_post(make_person("Ram Singh"), d["bhopal"])
    make_post(make_person("Mohan Lal", mobile=""), d["indore"])
    with force_locale("en"):
        dry = runner.invoke(args=["users", "from-posts", "--unit", "bhopal_division", "--unit", "indore_division",
                                  "--role", "district_president", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would create ram.singh (District president) for Ram Singh [bhopal]" in dry.output
    assert "Skipped Mohan Lal [indore]: no mobile number" in dry.output
    assert _users() == {}
    done = runner.invoke(args=["users", "from-posts", "--unit", "bhopal_division", "--unit", "indore_division"])
    assert done.exit_code == 0, done.output
    assert "1 बनाए गए, 1 छोड़े गए" in done.output
    db.session.remove()
    assert set(_users()) == {"ram.singh"}
    unknown = runner.invoke(args=["users", "from-posts", "--unit", "nowhere"])
    assert unknown.exit_code != 0 and "nowhere" in unknown.output


def test_link_unlink_reset_and_create():
    person = make_person("Asha Rani")
    user, password = ops.create_login("asha", Role.OFFICE, person_id=person.id)
    assert user.check_password(password) and user.person_id == person.id
    with pytest.raises(AuthError):
        ops.create_login("asha2", Role.OFFICE, person_id=person.id)  # one login per person
    with pytest.raises(AuthError):
        ops.link_person(user, 999999)
    ops.link_person(user, None)
    assert user.person_id is None
    other, _ = ops.create_login("other", Role.PRESIDENT, person_id=person.id)
    with pytest.raises(AuthError):
        ops.link_person(user, person.id)
    version = user.session_version
    new = ops.reset_password(user)
    assert new != password and user.check_password(new) and user.session_version == version + 1


def test_the_list_filters():
    make_user(Role.OFFICE, "desk")
    make_user(Role.PRESIDENT, "pres", person=make_person("Ram Singh", mobile="+919812345678"))
    gone = make_user(Role.COORDINATOR, "gone")
    gone.is_active_flag = False
    db.session.commit()

    def names(**filters):
        return [u.username for u in ops.logins_list(**filters).items]

    assert names() == ["desk", "gone", "pres"]
    assert names(q="ram") == ["pres"] and names(q="98123") == ["pres"]
    assert names(role="office") == ["desk"]
    assert names(linked="yes") == ["pres"] and names(linked="no") == ["desk", "gone"]
    assert names(active="no") == ["gone"]


@pytest.mark.parametrize("role", list(Role))
def test_who_may_manage_logins(role):
    user = make_user(role, f"u_{role.value}")
    admin = make_user(Role.ADMIN, "boss")
    office = make_user(Role.OFFICE, "desk2")
    assert policy.can(user, "logins.manage") is (role in (Role.ADMIN, Role.OFFICE))
    assert policy.can(user, "logins.edit", office) is (role in (Role.ADMIN, Role.OFFICE))
    assert policy.can(user, "logins.edit", admin) is (role == Role.ADMIN)
    assert policy.can(user, "logins.edit", Role.ADMIN) is (role == Role.ADMIN)
