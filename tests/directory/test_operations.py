"""Operations of the directory: units, people, posts (acceptance 4 of the directory issue)."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from tests.directory.conftest import APPOINTED
from tracker.audit.queries import history
from tracker.directory import operations as ops
from tracker.directory import queries
from tracker.directory.models import Post, RoleCode
from tracker.extensions import db

pytestmark = pytest.mark.usefixtures("en")

# --- units -------------------------------------------------------------------------------------


def test_unit_levels_must_follow_the_tree(world):
    with pytest.raises(ops.DirectoryError, match="parent"):
        ops.create_unit({"code": "x", "level": "district", "parent": world["state"], "name_en": "X"})
    with pytest.raises(ops.DirectoryError, match="no parent"):
        ops.create_unit({"code": "y", "level": "state", "parent": world["state"], "name_en": "Y"})
    block = ops.create_unit({"code": "huzur", "level": "block", "parent": world["city"], "name_en": "Huzur"})
    assert block.parent is world["city"] and block.district_kind is None
    assert block.name_hi  # transliterated from the English name


def test_unit_code_must_be_unique_with_a_clear_error(world):
    with pytest.raises(ops.DirectoryError) as exc:
        ops.create_unit({"code": "Bhopal_City", "level": "district", "parent": world["bhopal"], "name_en": "Again"})
    assert "bhopal_city" in str(exc.value) and "Bhopal City" in str(exc.value)


def test_unit_level_cannot_change_while_it_has_children(world):
    with pytest.raises(ops.DirectoryError, match="level cannot change"):
        ops.update_unit(world["bhopal"], {"level": "district", "parent": world["bhopal"]})


def test_update_unit_sets_the_search_key(world):
    ops.update_unit(world["rural"], {"name_en": "Bhopal Gramin"})
    assert " gramin " in world["rural"].search_key or "grmin" in world["rural"].search_key


def test_archive_refuses_while_active_units_remain_below(world):
    with pytest.raises(ops.DirectoryError, match="2 active units below"):
        ops.archive_unit(world["bhopal"])
    ops.archive_unit(world["ujjain_city"])
    ops.archive_unit(world["ujjain"])
    assert world["ujjain"].is_archived
    with pytest.raises(ops.DirectoryError, match="restore that first"):
        ops.restore_unit(world["ujjain_city"])
    ops.restore_unit(world["ujjain"])
    ops.restore_unit(world["ujjain_city"])
    assert not world["ujjain_city"].is_archived


def test_delete_refuses_and_says_why(world):
    city = world["city"]
    for year in (2019, 2020, 2021):
        person = ops.create_person({"name_en": f"Old President {year}", "mobile": f"94250100{year % 100:02d}"})
        db.session.add(Post(person=person, unit=city, role=ops.role_by_code(RoleCode.DISTRICT_PRESIDENT),
                            start_date=date(year, 1, 1), end_date=date(year, 12, 31)))
    db.session.flush()
    with pytest.raises(ops.DirectoryError) as exc:
        ops.delete_unit(city)
    assert str(exc.value) == "Bhopal City still has 1 current post and 3 past posts; archive it instead."
    with pytest.raises(ops.DirectoryError, match="2 units below it"):
        ops.delete_unit(world["bhopal"])


def test_delete_counts_references_from_other_domains(world):
    from tests.factories import make_meeting

    empty = ops.create_unit({"code": "new_district", "level": "district", "parent": world["ujjain"],
                             "name_en": "New District"})
    make_meeting(host_unit=empty, commit=False)
    with pytest.raises(ops.DirectoryError, match="1 other record"):
        ops.delete_unit(empty)


def test_delete_an_unreferenced_unit(world):
    unit = ops.create_unit({"code": "typo", "level": "district", "parent": world["ujjain"], "name_en": "Typo"})
    unit_id = unit.id
    ops.delete_unit(unit)
    db.session.commit()
    assert db.session.get(type(unit), unit_id) is None


# --- people ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["9876543210", "098765 43210", "+91 98765-43210", "(+91) 98765 43210"])
def test_normalize_mobile(text):
    assert ops.normalize_mobile(text) == "+919876543210"


@pytest.mark.parametrize("locale, expected", [
    ("en", "12345 is not a valid mobile number"),
    ("hi", "12345 सही मोबाइल नंबर नहीं है"),
])
def test_bad_mobile_is_refused_in_the_users_language(locale, expected):
    with force_locale(locale):
        with pytest.raises(ops.DirectoryError) as exc:
            ops.create_person({"name_en": "Someone", "mobile": "12345"})
        assert expected in str(exc.value)
        with pytest.raises(ops.DirectoryError):
            ops.normalize_mobile("not a number")


def test_name_in_either_script_fills_the_other():
    latin = ops.create_person({"name_en": "Praveen Saxena", "mobile": "9425000011"})
    assert latin.name_hi == "प्रवीण सक्सेना"  # the usual Hindi spelling (directory/data/names.csv)
    devanagari = ops.create_person({"name_hi": "प्रवीण सक्सेना", "mobile": "9425000012"})
    assert devanagari.name_en == "Praveen Saxena"
    typed_in_the_wrong_field = ops.create_person({"name_en": "संजय दत्त", "mobile": "9425000013"})
    assert typed_in_the_wrong_field.name_hi == "संजय दत्त" and typed_in_the_wrong_field.name_en == "Sanjay Dutt"
    assert " sksn " in devanagari.search_key  # the search key is set (directory.search)
    with pytest.raises(ops.DirectoryError, match="Enter the name"):
        ops.create_person({"name_en": " ", "name_hi": ""})


def test_email_channel_and_locale_are_validated():
    with pytest.raises(ops.DirectoryError, match="not a valid email"):
        ops.create_person({"name_en": "A", "mobile": "9425000021", "email": "no-at-sign"})
    with pytest.raises(ops.DirectoryError, match="need an email"):
        ops.create_person({"name_en": "A", "mobile": "9425000021", "preferred_channel": "email"})
    with pytest.raises(ops.DirectoryError, match="Hindi or English"):
        ops.create_person({"name_en": "A", "mobile": "9425000021", "preferred_locale": "fr"})
    person = ops.create_person({"name_en": "A", "email": "A@Example.org", "preferred_channel": "email",
                                "preferred_locale": "en"})
    assert person.email == "A@example.org" and person.mobile is None
    assert ops.create_person({"name_en": "B", "email": "b@example.org"}).preferred_channel == "email"
    assert ops.create_person({"name_en": "C"}).preferred_channel == "none"
    assert ops.create_person({"name_en": "D", "mobile": "9425000022"}).preferred_channel == "sms"


def test_archive_person_refuses_while_they_hold_a_post(world):
    with pytest.raises(ops.DirectoryError, match="still holds 1 current post"):
        ops.archive_person(world["praveen"])
    ops.end_post(world["praveen"].posts[0], date(2025, 9, 30))
    ops.archive_person(world["praveen"])
    assert world["praveen"].is_archived


# --- posts -------------------------------------------------------------------------------------


def test_appointing_a_president_ends_the_old_term_the_day_before(world):
    city, praveen = world["city"], world["praveen"]
    successor = ops.create_person({"name_en": "Mohan Verma", "name_hi": "मोहन वर्मा", "mobile": "9425000031"})
    new_start = date(2026, 1, 10)
    assert [p.person for p in ops.preview_appointment(successor, city, RoleCode.DISTRICT_PRESIDENT, new_start)] == [
        praveen]
    result = ops.appoint(successor, city, RoleCode.DISTRICT_PRESIDENT, new_start)
    db.session.commit()
    assert [p.person for p in result.replaced] == [praveen]
    assert result.replaced[0].end_date == date(2026, 1, 9)
    # Acceptance 4: who was president of Bhopal City on a date, before and after.
    assert queries.holder_on(city, RoleCode.DISTRICT_PRESIDENT, date(2025, 8, 15)) is None
    assert queries.holder_on(city, RoleCode.DISTRICT_PRESIDENT, APPOINTED) == praveen
    assert queries.holder_on(city, RoleCode.DISTRICT_PRESIDENT, date(2026, 1, 9)) == praveen
    assert queries.holder_on(city, RoleCode.DISTRICT_PRESIDENT, date(2026, 1, 10)) == successor
    assert queries.holder_on(city, RoleCode.DISTRICT_PRESIDENT, date(2027, 1, 1)) == successor
    assert len(queries.posts_on(city, RoleCode.DISTRICT_PRESIDENT, date(2026, 1, 10))) == 1


def test_appointment_refusals(world):
    city, praveen = world["city"], world["praveen"]
    with pytest.raises(ops.DirectoryError, match="already holds"):
        ops.appoint(praveen, city, RoleCode.DISTRICT_PRESIDENT, date(2026, 1, 1))
    other = ops.create_person({"name_en": "Early Bird", "mobile": "9425000041"})
    with pytest.raises(ops.DirectoryError, match="must start after"):
        ops.appoint(other, city, RoleCode.DISTRICT_PRESIDENT, APPOINTED)
    with pytest.raises(ops.DirectoryError, match="end date cannot be before"):
        ops.appoint(other, world["bhopal"], RoleCode.MEMBER, date(2026, 1, 2), date(2026, 1, 1))
    with pytest.raises(ops.DirectoryError, match="no post role"):
        ops.appoint(other, city, "emperor", date(2026, 1, 1))
    ops.archive_unit(world["ujjain_city"])
    with pytest.raises(ops.DirectoryError, match="archived"):
        ops.appoint(other, world["ujjain_city"], RoleCode.DISTRICT_PRESIDENT, date(2026, 1, 1))


def test_several_holders_of_a_role_that_is_not_single(world):
    second = ops.create_person({"name_en": "Usha Naidu", "mobile": "9425000051"})
    result = ops.appoint(second, world["bhopal"], RoleCode.CO_INCHARGE, date(2025, 11, 14))
    assert result.replaced == []
    holders = queries.co_incharges_by_division(date(2025, 12, 1))[world["bhopal"].id]
    assert holders == [world["sanjay"], second]


def test_end_and_update_post(world):
    post = world["praveen"].posts[0]
    with pytest.raises(ops.DirectoryError):
        ops.end_post(post, date(2025, 1, 1))
    ops.end_post(post, date(2025, 12, 31))
    assert not post.is_current(date(2026, 1, 1))
    successor = ops.create_person({"name_en": "Next One", "mobile": "9425000061"})
    later = ops.appoint(successor, world["city"], RoleCode.DISTRICT_PRESIDENT, date(2026, 2, 1)).post
    assert later.start_date == date(2026, 2, 1)
    with pytest.raises(ops.DirectoryError, match="overlaps"):
        ops.update_post(post, {"end_date": None})
    ops.update_post(post, {"end_date": date(2026, 1, 31), "note": "handed over"})
    assert post.end_date == date(2026, 1, 31) and post.note == "handed over"


def test_appointment_shows_in_the_history_of_unit_person_and_post(app, world):
    db.session.commit()
    successor = ops.create_person({"name_en": "Mohan Verma", "mobile": "9425000071"})
    result = ops.appoint(successor, world["city"], RoleCode.DISTRICT_PRESIDENT, date(2026, 1, 10))
    db.session.commit()
    with force_locale("en"):
        unit_changes = [c for e in history("units", world["city"].id) for c in e.changes]
        assert ("District president", "Praveen Saxena", "Mohan Verma") in unit_changes
        # the person's history names the unit of the post they left, not its code
        person_changes = [c for e in history("people", world["praveen"].id) for c in e.changes]
        assert ("District president", world["city"].name_en, "") in person_changes
        old_post = history("posts", result.replaced[0].id)
        assert old_post[0].action == "update" and ("Term ends", "", "9 January 2026") in old_post[0].changes
    with force_locale("hi"):  # the holders by their names in the page's language
        unit_changes = [c for e in history("units", world["city"].id) for c in e.changes]
        assert ("जिला अध्यक्ष", "प्रवीण सक्सेना", successor.name_hi or "Mohan Verma") in unit_changes
        assert history("posts", result.post.id)[0].action == "create"


def test_standard_roles_exist_after_ensure():
    ops.ensure_standard_roles()
    roles = queries.role_titles()
    assert roles[RoleCode.DISTRICT_PRESIDENT].single_holder and roles[RoleCode.DISTRICT_PRESIDENT].title_hi == "जिला अध्यक्ष"
    assert roles[RoleCode.CO_INCHARGE].title_hi == "सह प्रभारी" and not roles[RoleCode.CO_INCHARGE].single_holder
    assert {RoleCode.BLOCK_PRESIDENT, RoleCode.DISTRICT_INCHARGE, RoleCode.ORG_INCHARGE} <= roles.keys()


@pytest.mark.parametrize("latin, devanagari", [("mohan", "मोहन"), ("Mohan Lal", "मोहन लाल"), ("saxena", "सक्सेना"), ("Gupta", "गुप्ता")])
def test_to_devanagari_drops_the_final_virama(latin, devanagari):
    assert ops.to_devanagari(latin) == devanagari


def test_long_names_are_refused_or_kept_within_the_column():
    """A transliteration longer than the column must not reach the database (PostgreSQL refuses it)."""
    person = ops.create_person({"name_en": "x" * 60, "mobile": "9876500001"})
    assert 0 < len(person.name_hi) <= ops.NAME_MAX
    with pytest.raises(ops.DirectoryError):
        ops.create_person({"name_en": "y" * 201, "mobile": "9876500002"})
    db.session.flush()
