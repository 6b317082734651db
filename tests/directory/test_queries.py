"""Read-side queries: who holds what, the tree, the lists; bounded query counts."""

from __future__ import annotations

from datetime import date

import pytest

from tests.directory.conftest import APPOINTED
from tests.querycount import count_queries
from tracker.directory import operations as ops
from tracker.directory import queries
from tracker.directory.models import RoleCode
from tracker.extensions import db

pytestmark = pytest.mark.usefixtures("en")
ON = date(2025, 9, 22)


def test_current_presidents_under_a_division_on_a_date(world):
    rows = queries.current_presidents([world["bhopal"].id], ON)
    assert [(unit.code, person.name_en) for unit, person, _post in rows] == [
        ("bhopal_city", "Praveen Saxena"), ("bhopal_rural", "Anokhi Patel")]
    assert queries.current_presidents([world["bhopal"].id], date(2025, 8, 15)) == []
    assert queries.current_presidents([world["ujjain"].id], ON) == []
    assert len(queries.current_presidents(None, ON)) == 2


def test_holders_and_co_incharges(world):
    kamle = ops.create_person({"name_en": "Dr. Sanjay Kamle", "mobile": "9425000101"})
    ops.appoint(kamle, world["state"], RoleCode.ORG_INCHARGE, date(2025, 1, 1))
    assert queries.holders(RoleCode.ORG_INCHARGE, ON) == [kamle]
    assert queries.holders(RoleCode.ORG_INCHARGE, date(2024, 12, 31)) == []
    assert queries.holders(RoleCode.STATE_INCHARGE, ON) == []
    by_division = queries.co_incharges_by_division(ON)
    assert by_division == {world["bhopal"].id: [world["sanjay"]], world["ujjain"].id: [world["sanjay"]]}


def test_districts_under(world):
    codes = [u.code for u in queries.districts_under([world["bhopal"].id, world["ujjain"].id])]
    assert codes == ["bhopal_city", "bhopal_rural", "ujjain_city"]
    ops.archive_unit(world["ujjain_city"])
    assert [u.code for u in queries.districts_under([world["ujjain"].id])] == []
    assert len(queries.districts_under([world["ujjain"].id], include_archived=True)) == 1


def test_tree_with_counts(world):
    tree = queries.tree_with_counts(on=ON)
    [summary] = tree.states
    assert (summary.unit.code, summary.divisions, summary.districts, summary.posts) == ("mp", 2, 3, 4)
    state = tree.root
    assert state.unit.code == "mp" and state.district_count == 3 and state.total_posts == 4
    bhopal = next(d for d in state.children if d.unit.code == "bhopal_division")
    assert bhopal.district_count == 2 and bhopal.posts == 1 and bhopal.total_posts == 3
    city = next(d for d in bhopal.children if d.unit.code == "bhopal_city")
    assert city.president == world["praveen"]


def test_tree_shows_one_state_at_a_time(world):
    other = ops.create_unit({"code": "rj", "level": "state", "name_en": "Rajasthan", "name_hi": "राजस्थान"})
    jaipur = ops.create_unit({"code": "jaipur_division", "level": "division", "parent": other, "name_en": "Jaipur"})
    ops.create_unit({"code": "jaipur", "level": "district", "parent": jaipur, "name_en": "Jaipur"})
    tree = queries.tree_with_counts(on=ON)
    assert [(s.unit.code, s.districts) for s in tree.states] == [("mp", 3), ("rj", 1)]
    assert tree.root.unit.code == "mp"
    chosen = queries.tree_with_counts(other.id, ON).root
    assert [d.unit.code for d in chosen.children] == ["jaipur_division"] and chosen.district_count == 1
    assert queries.tree_with_counts(None, ON).root.unit.code == "mp"


def test_empty_tree():
    tree = queries.tree_with_counts()
    assert tree.states == [] and tree.root is None


def _grow(world, n: int) -> None:
    for i in range(n):
        unit = ops.create_unit({"code": f"extra_{i}", "level": "district", "parent": world["ujjain"],
                                "name_en": f"Extra {i}"})
        person = ops.create_person({"name_en": f"President {i}", "mobile": f"94251{i:05d}"})
        ops.appoint(person, unit, RoleCode.DISTRICT_PRESIDENT, APPOINTED)
        ops.appoint(person, world["ujjain"], RoleCode.MEMBER, APPOINTED)
    db.session.commit()


def _count(fn) -> int:
    db.session.expire_all()
    with count_queries() as counter:
        fn()
    return counter.count


@pytest.mark.parametrize("name, fn", [
    ("tree", lambda w: queries.tree_with_counts(None, ON)),
    ("unit", lambda w: queries.unit_page(w["ujjain"], ON)),
    ("person", lambda w: queries.person_page(w["sanjay"], ON)),
    ("units", lambda w: queries.units_list(1, "parent", "desc", per_page=10)),
    ("people", lambda w: queries.people_list(1, "name", per_page=10, on=ON)),
    ("presidents", lambda w: queries.current_presidents(None, ON)),
    ("co_incharges", lambda w: queries.co_incharges_by_division(ON)),
])
def test_query_count_does_not_grow_with_the_data(world, name, fn):
    small = _count(lambda: fn(world))
    _grow(world, 15)
    assert _count(lambda: fn(world)) == small, name


def test_units_list_filters_sorts_and_pages(world):
    page = queries.units_list(1, "name", "asc", q="bhopal", per_page=2)
    assert page.total == 3 and page.pages == 2 and page.has_next and not page.has_prev
    assert [row.unit.code for row in page.items] == ["bhopal_division", "bhopal_city"]
    second = queries.units_list(2, "name", "asc", q="bhopal", per_page=2)
    assert [row.unit.code for row in second.items] == ["bhopal_rural"] and second.prev_num == 1
    by_level = queries.units_list(1, "level", "asc", per_page=50)
    assert [row.unit.level.value for row in by_level.items][:3] == ["state", "division", "division"]
    assert queries.units_list(1, level="division").total == 2
    assert queries.units_list(99, per_page=2).page == 3  # clamped to the last page
    page.url_builder = lambda n: f"/units?page={n}"
    assert page.url_for(2) == "/units?page=2"
    assert queries.units_list(1, q="100%_").total == 0


def test_people_list_with_current_posts(world):
    page = queries.people_list(1, "name", "desc", on=ON)
    assert [row.person.name_en for row in page.items] == ["Sanjay Dutt", "Praveen Saxena", "Anokhi Patel"]
    assert len(page.items[0].posts) == 2
    assert queries.people_list(1, q="प्रवीण").items[0].person == world["praveen"]
    assert queries.people_list(1, q="5000003").items[0].person == world["sanjay"]
