"""Action items written on the note form itself, several at once (operation and pages, denials too)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_person, make_post
from tests.reviews.conftest import SECRET, SECRET_REMARK, content
from tracker.extensions import db
from tracker.reviews import operations as ops
from tracker.reviews.models import ActionItem, NoteStatus, ReviewNote

# --- the operation --------------------------------------------------------------------------------


def _draft(world):
    note = ops.start_note_for_session(world.session, world.users["reviewer"])
    ops.save_draft(note, content(world))
    db.session.commit()
    return note


def test_add_note_items_adds_every_row_with_the_notes_district_and_campaign(world):
    note = _draft(world)
    before = note.updated_at
    president, reviewer = world.people["president"], world.people["reviewer"]
    items = ops.add_note_items(note, [
        ops.ItemData("  बूथ समितियाँ  ", president, date(2025, 10, 31)),
        ops.ItemData("Visit every block", reviewer),
    ], world.users["reviewer"])
    db.session.commit()
    assert [(i.title, i.owner_person_id, i.due_on) for i in items] == [
        ("बूथ समितियाँ", president.id, date(2025, 10, 31)), ("Visit every block", reviewer.id, None)]
    assert {(i.review_note_id, i.district_unit_id, i.campaign_id) for i in items} == {
        (note.id, world.district.id, world.campaign.id)}
    assert note.updated_at >= before


@pytest.mark.parametrize("bad", [ops.ItemData("  ", None), ops.ItemData("Something", None)])
def test_add_note_items_refuses_a_bad_row_and_adds_none(world, bad):
    note = _draft(world)
    good = ops.ItemData("Good row", world.people["president"])
    if bad.owner is None and bad.title.strip() == "":
        bad.owner = world.people["president"]
    with pytest.raises(ops.ReviewError):
        ops.add_note_items(note, [good, bad], world.users["reviewer"])
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ActionItem.id))) == 0


def test_add_note_items_with_no_rows_changes_nothing(world):
    note = _draft(world)
    assert ops.add_note_items(note, [], world.users["reviewer"]) == []


# --- the page -------------------------------------------------------------------------------------


def _form(world, **rows) -> dict:
    """The note form as posted, with item rows given as new_items-<i>-<field>."""
    yes_no, number, text = world.checklist
    data = {
        f"check-{yes_no.id}": "yes", f"check-{number.id}": "1200", f"check-{text.id}": "किराये का कार्यालय",
        "challenges": f"Factionalism. {SECRET}", "strategy": "Form booth committees by October.",
        "decisions": "Weekly calls.", "readiness": "3", "private_remark": SECRET_REMARK,
    }
    data.update(rows)
    return data


def _rows(*rows) -> dict:
    data = {}
    for index, (title, owner_id, due) in enumerate(rows):
        data[f"new_items-{index}-title"] = title
        data[f"new_items-{index}-owner_id"] = str(owner_id)
        data[f"new_items-{index}-due_on"] = due
    return data


def _items() -> list[tuple]:
    db.session.expire_all()
    return [tuple(r) for r in db.session.execute(
        sa.select(ActionItem.title, ActionItem.owner_person_id, ActionItem.due_on).order_by(ActionItem.id))]


def _stored_without_items(note) -> ReviewNote:
    """The note as the requests left it in the database, once checked that no action item was added."""
    assert _items() == []
    db.session.expire_all()
    return db.session.get(ReviewNote, note.id)


def test_the_form_offers_blank_rows_with_the_districts_people_as_owners(client, auth, world):
    note = _draft(world)
    block = world.district  # a district office-bearer is offered as owner; a stranger is not
    treasurer = make_person(name_en="District Treasurer", name_hi="जिला कोषाध्यक्ष")
    make_post(treasurer, block, "treasurer")
    stranger = make_person(name_en="Somebody Else", name_hi="कोई और")
    auth.login("u_reviewer")
    html = client.get(f"/reviews/notes/{note.id}/edit").get_data(as_text=True)
    for index in range(3):
        assert f'name="new_items-{index}-title"' in html
    assert 'name="new_items-3-title"' not in html
    assert "required" not in html.split('id="new-items"', 1)[1].split("</fieldset>", 1)[0]
    owners = html.split('name="new_items-0-owner_id"', 1)[1].split("</select>", 1)[0]
    assert f'value="{treasurer.id}"' in owners and f'selected value="{world.people["president"].id}"' in owners
    assert f'value="{stranger.id}"' not in owners
    assert "data-add-item-row" in html


def test_save_draft_with_two_items_and_a_blank_row(client, auth, world):
    note = _draft(world)
    president, reviewer = world.people["president"], world.people["reviewer"]
    auth.login("u_reviewer")
    response = client.post(f"/reviews/notes/{note.id}/edit", data=_form(world, **_rows(
        ("सभी बूथ समितियों का गठन", president.id, "2025-10-31"),
        ("", president.id, ""),
        ("सदस्यता सूची भेजना", reviewer.id, ""),
    )))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/reviews/notes/{note.id}#action-items")
    assert _items() == [("सभी बूथ समितियों का गठन", president.id, date(2025, 10, 31)),
                        ("सदस्यता सूची भेजना", reviewer.id, None)]
    assert db.session.get(ReviewNote, note.id).status == NoteStatus.DRAFT


def test_sign_off_with_items(client, auth, world):
    note = _draft(world)
    president = world.people["president"]
    auth.login("u_reviewer")
    response = client.post(f"/reviews/notes/{note.id}/sign-off", data=_form(world, **_rows(
        ("One", president.id, "2025-10-01"), ("Two", president.id, "2025-10-02"))))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReviewNote, note.id).status == NoteStatus.SIGNED_OFF
    assert [t for t, _o, _d in _items()] == ["One", "Two"]


def test_a_signed_off_note_takes_items_without_a_new_version(client, auth, world, signed_note):
    president = world.people["president"]
    version = signed_note.version
    auth.login("u_reviewer")
    form = _form(world, **_rows(("Third item", president.id, "")))
    form["decisions"] = "Weekly calls. Monthly visit."  # what version 2 holds: the content is unchanged
    response = client.post(f"/reviews/notes/{signed_note.id}/edit", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ReviewNote, signed_note.id).version == version
    assert [t for t, _o, _d in _items()] == ["Form booth committees", "Third item"]


@pytest.mark.parametrize("row, field, message", [
    (("", "PRESIDENT", "2025-10-31"), "title", "Say what is to be done."),
    (("Something", "0", ""), "owner_id", "Choose who will do it."),
    (("Something", "PRESIDENT", "31/31/2025"), "due_on", "Not a valid date value."),
    (("Something", "STRANGER", ""), "owner_id", "Choose who will do it."),
])
def test_a_bad_row_keeps_everything_typed_and_saves_nothing(client, auth, world, row, field, message):
    note = _draft(world)
    stranger = make_person(name_en="Somebody Else", name_hi="कोई और")
    owner = {"PRESIDENT": world.people["president"].id, "STRANGER": stranger.id}.get(row[1], row[1])
    auth.login("u_reviewer")
    client.post("/locale", data={"locale": "en"})
    form = _form(world, **_rows(("A good row", world.people["president"].id, ""), (row[0], owner, row[2])))
    form["challenges"] = "नई चुनौती typed just now"
    response = client.post(f"/reviews/notes/{note.id}/edit", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "नई चुनौती typed just now" in html and 'value="A good row"' in html
    if row[0]:
        assert f'value="{row[0]}"' in html
    if row[2]:
        assert f'value="{row[2]}"' in html
    error = html.split(f'id="new_items-1-{field}-error"', 1)[1].split("</small>", 1)[0]
    assert message in error
    assert f'id="new_items-1-{field}"' in html
    assert _stored_without_items(note).challenges == content(world).challenges  # the note was not saved


def test_a_bad_answer_keeps_the_typed_item_rows(client, auth, world):
    note = _draft(world)
    auth.login("u_reviewer")
    form = _form(world, **_rows(("Keep me", world.people["president"].id, "2025-11-01")))
    form[f"check-{world.checklist[1].id}"] = "many"
    response = client.post(f"/reviews/notes/{note.id}/sign-off", data=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="Keep me"' in html and 'value="2025-11-01"' in html
    assert _stored_without_items(note).status == NoteStatus.DRAFT


def test_rows_added_by_script_beyond_the_blank_ones_are_saved(client, auth, world):
    note = _draft(world)
    president = world.people["president"].id
    auth.login("u_reviewer")
    rows = _rows(*[(f"Item {n}", president, "") for n in range(5)])
    assert client.post(f"/reviews/notes/{note.id}/edit", data=_form(world, **rows)).status_code == 302
    assert [t for t, _o, _d in _items()] == [f"Item {n}" for n in range(5)]


def test_autosave_ignores_the_item_rows(client, auth, world):
    note = _draft(world)
    auth.login("u_reviewer")
    form = _form(world, **_rows(("Half typed", "0", "")))
    assert client.post(f"/reviews/notes/{note.id}/autosave", data=form).status_code == 200
    assert _items() == []


# --- denials ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["u_president", "u_other_president", "u_unrelated", "u_office",
                                      "u_coordinator"])
def test_who_may_not_write_the_note_cannot_post_items(client, auth, world, username):
    note = _draft(world)
    president = world.people["president"].id
    auth.login(username)
    for action in ("edit", "sign-off"):
        response = client.post(f"/reviews/notes/{note.id}/{action}",
                               data=_form(world, **_rows(("Sneaked in", president, ""))))
        assert response.status_code in (403, 404), (username, action)
    assert client.get(f"/reviews/notes/{note.id}/edit").status_code in (403, 404)
    assert _stored_without_items(note).status == NoteStatus.DRAFT


def test_a_co_incharge_adds_items_only_to_the_notes_of_their_districts(client, auth, world):
    """The reviewer (co-in-charge of the division) may; the other co-in-charge may not (404)."""
    note = _draft(world)
    president = world.people["president"].id
    auth.login("u_unrelated")
    response = client.post(f"/reviews/notes/{note.id}/edit", data=_form(world, **_rows(("No", president, ""))))
    assert response.status_code == 404
    auth.logout()
    auth.login("u_reviewer")
    response = client.post(f"/reviews/notes/{note.id}/edit", data=_form(world, **_rows(("Yes", president, ""))))
    assert response.status_code == 302
    assert [t for t, _o, _d in _items()] == ["Yes"]
