"""Directory pages: access per role, forms, the appointment confirmation, History (acceptance 6)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tracker.auth.models import Role
from tracker.directory.models import Person, Post, Unit
from tracker.extensions import db


def _pages(w) -> dict[str, str]:
    return {
        "tree": "/directory/",
        "units": "/directory/units?sort=parent&dir=desc",
        "people": "/directory/people?q=sa",
        "unit": f"/directory/units/{w['bhopal'].id}",
        "person": f"/directory/people/{w['sanjay'].id}",
        "post": f"/directory/posts/{w['sanjay'].posts[0].id}",
    }


def _edit_pages(w) -> dict[str, str]:
    return {
        "unit_new": "/directory/units/new",
        "unit_edit": f"/directory/units/{w['city'].id}/edit",
        "unit_archive": f"/directory/units/{w['city'].id}/archive",
        "person_new": "/directory/people/new",
        "person_edit": f"/directory/people/{w['praveen'].id}/edit",
        "appoint": f"/directory/posts/new?unit_id={w['city'].id}",
        "post_edit": f"/directory/posts/{w['praveen'].posts[0].id}/edit",
        "transliterate": "/directory/transliterate?target=name_hi&name_en=Mohan",
    }


def test_anonymous_is_sent_to_login(client, world):
    for url in list(_pages(world).values()) + list(_edit_pages(world).values()):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.INCHARGE])
def test_viewers_see_but_do_not_edit(client, auth, world, role):
    make_user(role, "viewer")
    auth.login("viewer")
    for url in _pages(world).values():
        assert client.get(url).status_code == 200, url
    for url in _edit_pages(world).values():
        assert client.get(url).status_code == 403, url
    assert client.post(f"/directory/units/{world['city'].id}/archive").status_code == 403
    assert client.post(f"/directory/posts/{world['praveen'].posts[0].id}/end", data={"end_date": "2026-01-01"}
                       ).status_code == 403
    page = client.get(f"/directory/units/{world['city'].id}").get_data(as_text=True)
    assert "/edit" not in page


def test_a_president_sees_only_their_own_records(client, auth, world):
    make_user(Role.PRESIDENT, "praveen", person=world["praveen"])
    auth.login("praveen")
    assert client.get("/directory/").status_code == 403
    assert client.get("/directory/units").status_code == 403
    assert client.get("/directory/people").status_code == 403
    assert client.get(f"/directory/units/{world['city'].id}").status_code == 200
    assert client.get(f"/directory/people/{world['praveen'].id}").status_code == 200
    assert client.get(f"/directory/posts/{world['praveen'].posts[0].id}").status_code == 200
    # Another district's records answer as missing ones (issue 17): the answer tells nothing.
    anokhi_post = world['anokhi'].posts[0].id
    for url in (f"/directory/units/{world['rural'].id}", f"/directory/people/{world['anokhi'].id}",
                f"/directory/posts/{anokhi_post}", f"/directory/people/{world['anokhi'].id}/edit",
                f"/directory/posts/{anokhi_post}/edit", f"/directory/units/{world['rural'].id}/edit",
                "/directory/units/999999", "/directory/people/999999", "/directory/posts/999999"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/directory/posts/{anokhi_post}/end", data={"end_date": "2026-01-01"}).status_code == 404
    assert client.post(f"/directory/people/{world['anokhi'].id}/archive").status_code == 404
    # Their own records they may see but not edit.
    for url in _edit_pages(world).values():
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("locale", ["hi", "en"])
def test_office_sees_every_page_in_both_languages(client, auth, world, locale):
    make_user(Role.OFFICE, "office", locale=locale)
    auth.login("office")
    for name, url in {**_pages(world), **_edit_pages(world)}.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
    tree = client.get("/directory/").get_data(as_text=True)
    assert ("भोपाल शहर" if locale == "hi" else "Bhopal City") in tree
    assert ("प्रवीण सक्सेना" if locale == "hi" else "Praveen Saxena") in tree
    assert 'href="/directory/"' in client.get("/home").get_data(as_text=True)  # the nav entry
    assert 'href="/search"' in tree  # the directory's search (its own module) is linked


@pytest.fixture
def office(client, auth, world):
    make_user(Role.OFFICE, "office", locale="en")
    auth.login("office")
    return world


def test_create_and_edit_a_person_shows_in_history(client, office):
    response = client.post("/directory/people/new", data={
        "name_hi": "", "name_en": "Mohan Verma", "mobile": "98260 12345", "email": "",
        "preferred_locale": "hi", "preferred_channel": "sms", "note": ""})
    assert response.status_code == 302
    person = db.session.scalar(sa.select(Person).where(Person.name_en == "Mohan Verma"))
    assert person.mobile == "+919826012345" and person.name_hi
    response = client.post(f"/directory/people/{person.id}/edit", data={
        "name_hi": "मोहन वर्मा", "name_en": "Mohan Verma", "mobile": "9826012346", "email": "",
        "preferred_locale": "hi", "preferred_channel": "sms", "note": "Block worker"})
    assert response.status_code == 302
    page = client.get(f"/directory/people/{person.id}").get_data(as_text=True)
    # Shown in national format (the history too); the tel: link keeps E.164.
    assert "History" in page and "098260 12346" in page and "098260 12345" in page and "मोहन वर्मा" in page
    assert 'href="tel:+919826012346"' in page


def test_bad_phone_is_shown_on_the_form(client, office):
    response = client.post("/directory/people/new", data={
        "name_en": "Mohan Verma", "mobile": "12345", "preferred_locale": "hi", "preferred_channel": "sms"})
    assert response.status_code == 200
    assert "12345 is not a valid mobile number" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 3


def test_create_edit_archive_restore_a_unit_shows_in_history(client, office):
    bhopal = office["bhopal"]
    response = client.post("/directory/units/new", data={
        "name_hi": "सीहोर", "name_en": "", "code": "sehore", "level": "district", "parent_id": str(bhopal.id),
        "district_kind": "whole"})
    assert response.status_code == 302
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == "sehore"))
    assert unit.parent_id == bhopal.id and unit.name_en
    duplicate = client.post("/directory/units/new", data={
        "name_en": "Again", "code": "sehore", "level": "district", "parent_id": str(bhopal.id),
        "district_kind": "whole"})
    assert "already used" in duplicate.get_data(as_text=True)
    client.post(f"/directory/units/{unit.id}/edit", data={
        "name_hi": "सीहोर", "name_en": "Sehore", "code": "sehore", "level": "district",
        "parent_id": str(bhopal.id), "district_kind": "whole"})
    assert "Archive" in client.get(f"/directory/units/{unit.id}/archive").get_data(as_text=True)
    assert client.post(f"/directory/units/{unit.id}/archive").status_code == 302
    db.session.expire_all()
    assert unit.is_archived
    page = client.get(f"/directory/units/{unit.id}").get_data(as_text=True)
    assert "Sehore" in page and "Archived" in page and "History" in page
    assert client.post(f"/directory/units/{unit.id}/restore").status_code == 302
    db.session.expire_all()
    assert not unit.is_archived


def test_refused_archive_flashes_the_reason(client, office):
    response = client.post(f"/directory/units/{office['bhopal'].id}/archive", follow_redirects=True)
    assert "still has 2 active units below it" in response.get_data(as_text=True)


def test_delete_refusal_and_delete(client, office):
    city = office["city"]
    response = client.post(f"/directory/units/{city.id}/delete", follow_redirects=True)
    assert "Bhopal City still has 1 current post; archive it instead." in response.get_data(as_text=True)
    unit = Unit(code="mistake", level="district", parent=office["ujjain"], name_en="Mistake", name_hi="गलती")
    db.session.add(unit)
    db.session.commit()
    unit_id = unit.id
    assert client.post(f"/directory/units/{unit_id}/delete").status_code == 302
    assert db.session.get(Unit, unit_id) is None


def test_appointing_asks_to_confirm_naming_who_is_replaced(client, office):
    city = office["city"]
    successor = Person(name_en="Mohan Verma", name_hi="मोहन वर्मा", mobile="+919826012345")
    db.session.add(successor)
    db.session.commit()
    form = {"person_id": str(successor.id), "unit_id": str(city.id), "role_code": "district_president",
            "start_date": "2026-01-10", "end_date": "", "note": ""}
    confirm = client.post("/directory/posts/new", data=form)
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Praveen Saxena" in text and "9 January 2026" in text
    assert 'name="confirmed" value="1"' in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post)) == 4  # nothing changed yet
    done = client.post("/directory/posts/new", data={**form, "confirmed": "1"})
    assert done.status_code == 302
    old = db.session.scalar(sa.select(Post).where(Post.person_id == office["praveen"].id))
    assert old.end_date == date(2026, 1, 9)
    unit_page = client.get(f"/directory/units/{city.id}").get_data(as_text=True)
    assert "Mohan Verma" in unit_page and "Past office-bearers" in unit_page
    post_page = client.get(f"/directory/posts/{old.id}").get_data(as_text=True)
    assert "History" in post_page and "9 January 2026" in post_page  # the house style, not ISO


def test_end_and_edit_a_post(client, office):
    post = office["praveen"].posts[0]
    assert client.post(f"/directory/posts/{post.id}/end", data={"end_date": "2026-03-31"}).status_code == 302
    db.session.expire_all()
    assert post.end_date == date(2026, 3, 31)
    response = client.post(f"/directory/posts/{post.id}/edit", data={
        "start_date": "2025-08-16", "end_date": "2025-01-01", "note": ""})
    assert "cannot be before" in response.get_data(as_text=True)


def test_transliteration_suggests_the_other_script(client, office):
    response = client.get("/directory/transliterate", query_string={"target": "name_hi", "name_en": "Mohan",
                                                                    "name_hi": ""})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and 'value="मोहन"' in text and 'id="name_hi-field"' in text
    kept = client.get("/directory/transliterate", query_string={"target": "name_en", "name_hi": "मोहन",
                                                                "name_en": "Mohan Lal"})
    assert 'value="Mohan Lal"' in kept.get_data(as_text=True)  # never overwrites what was typed
    assert client.get("/directory/transliterate?target=evil").status_code == 400


def test_directory_pages_have_no_english_in_hindi(client, auth, world):
    from tests.i18n_support import english_leaks

    make_user(Role.ADMIN, "admin1", locale="hi")
    auth.login("admin1")
    client.post(f"/directory/people/{world['praveen'].id}/edit", data={
        "name_hi": "प्रवीण सक्सेना", "name_en": "Praveen Saxena", "mobile": "9425000009",
        "preferred_locale": "hi", "preferred_channel": "whatsapp", "note": ""})
    urls = list(_pages(world).values()) + list(_edit_pages(world).values()) + [
        f"/directory/people/{world['praveen'].id}", f"/directory/units/{world['city'].id}",
        f"/directory/units/{world['city'].id}/delete", "/directory/units?archived=1&q=zzz"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_leaks(response.get_data(as_text=True)) == [], url
    refused = client.post(f"/directory/units/{world['bhopal'].id}/archive", follow_redirects=True)
    assert "सक्रिय इकाइयाँ" in refused.get_data(as_text=True)
