"""The one pagination helper (tracker.core.pagination): the pages of the HTML lists and the API."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_person
from tracker.core.pagination import Page, page_of_list, paginate
from tracker.directory.models import Person


def _people(count: int):
    for number in range(count):
        make_person(f"Person {number:02d}")
    return sa.select(Person).order_by(Person.name_en)


def test_a_page_of_a_select_with_its_neighbours():
    page = paginate(_people(7), 2, 3)
    assert [p.name_en for p in page.items] == ["Person 03", "Person 04", "Person 05"]
    assert (page.page, page.pages, page.total) == (2, 3, 7)
    assert (page.has_prev, page.prev_num, page.has_next, page.next_num) == (True, 1, True, 3)


def test_pages_show_the_nearest_page_the_api_exactly_the_page_asked_for():
    stmt = _people(4)
    assert paginate(stmt, 9, 3).page == 2 and len(paginate(stmt, 9, 3).items) == 1
    assert paginate(stmt, 0, 3).page == 1
    beyond = paginate(stmt, 9, 3, clamp=False)
    assert beyond.page == 9 and beyond.items == [] and beyond.pages == 2


def test_an_empty_list_has_one_page_and_no_neighbours():
    page = paginate(sa.select(Person).order_by(Person.id), 1, 25)
    assert (page.items, page.pages, page.has_prev, page.has_next) == ([], 1, False, False)


def test_a_list_in_memory_and_the_links(app):
    page = page_of_list(list(range(10)), 4, 4)
    assert page.items == [8, 9] and page.page == 3 and page.prev_num == 2 and page.next_num is None
    with app.test_request_context():
        linked = Page([], 1, 25, 60).linked("directory.people", q="sharma", archived=None)
        assert linked.url_for(2) == "/directory/people?q=sharma&page=2"
