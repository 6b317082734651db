"""The search page: policy, results in both scripts, htmx fragment."""

from __future__ import annotations

from tests.factories import make_user
from tracker.directory import operations as ops
from tracker.extensions import db


def _world():
    state = ops.create_unit({"code": "mp", "level": "state", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश"})
    division = ops.create_unit({"code": "mp-bhopal", "level": "division", "parent": state, "name_en": "Bhopal",
                                "name_hi": "भोपाल"})
    person = ops.create_person({"name_en": "Praveen Saxena", "name_hi": "प्रवीण सक्सेना", "mobile": "9826012345"})
    db.session.commit()
    return division, person


def test_anonymous_is_sent_to_login(client):
    response = client.get("/search?q=bhopal")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_district_president_is_denied(client, auth):
    make_user("president", "pres")
    auth.login("pres")
    assert client.get("/search?q=bhopal").status_code == 403


def test_search_page_lists_units_and_people(client, auth):
    division, person = _world()
    make_user("coordinator", "coord")
    auth.login("coord")
    page = client.get("/search?q=प्रवीण").get_data(as_text=True)
    assert f"/directory/people/{person.id}" in page and "Praveen Saxena" in page and "प्रवीण सक्सेना" in page
    page = client.get("/search?q=bhopal").get_data(as_text=True)
    assert f"/directory/units/{division.id}" in page and 'name="q"' in page


def test_htmx_request_gets_only_the_results(client, auth):
    _world()
    make_user("office", "office")
    auth.login("office")
    response = client.get("/search?q=saxena", headers={"HX-Request": "true", "HX-Target": "search-results"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "Praveen Saxena" in html
    empty = client.get("/search?q=zzzqqq", headers={"HX-Request": "true", "HX-Target": "search-results"})
    assert "zzzqqq" in empty.get_data(as_text=True)
