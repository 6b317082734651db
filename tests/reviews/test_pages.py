"""Pages of reviews in Hindi (no English leaks), action item updates, standalone notes, the district panel."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import render_template_string

from tests.i18n_support import english_leaks
from tracker.extensions import db
from tracker.reviews import operations as ops
from tracker.reviews.models import ActionItem, ItemStatus, ReviewNote
from tracker.timeutil import today_local


def _hindi(client, auth, username):
    auth.login(username)
    client.post("/locale", data={"locale": "hi"})


def _no_leaks(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        leaks = english_leaks(response.get_data(as_text=True))
        assert leaks == [], f"{url}: {leaks}"


def test_reviewer_pages_in_hindi(client, auth, world, signed_note):
    _hindi(client, auth, "u_reviewer")
    item = signed_note.action_items[0]
    _no_leaks(client, [
        "/reviews/", f"/reviews/notes/{signed_note.id}", f"/reviews/notes/{signed_note.id}/edit",
        f"/reviews/notes/{signed_note.id}/versions", f"/reviews/notes/{signed_note.id}/versions/2",
        f"/reviews/notes/{signed_note.id}/diff", f"/reviews/items/{item.id}",
        f"/reviews/items/new?note={signed_note.id}", f"/reviews/districts/{world.district.id}/history",
        f"/reviews/districts/{world.district.id}/items", "/reviews/notes/new",
        f"/reviews/campaigns/{world.campaign.id}/progress",
    ])


def test_office_pages_in_hindi(client, auth, world, signed_note):
    _hindi(client, auth, "u_office")
    _no_leaks(client, [
        "/reviews/", "/reviews/items/overdue", f"/reviews/campaigns/{world.campaign.id}/checklist",
        f"/reviews/checklist-items/{world.checklist[0].id}", "/reviews/categories", "/reviews/items/new",
        f"/reviews/campaigns/{world.campaign.id}/progress",
    ])


def test_president_updates_own_item(client, auth, world, signed_note):
    item = signed_note.action_items[0]
    _hindi(client, auth, "u_president")
    _no_leaks(client, ["/reviews/items/mine", f"/reviews/items/{item.id}"])
    client.post(f"/reviews/items/{item.id}", data={"status": "in_progress", "text": "12 में से 8 बूथ समितियाँ बनीं",
                                                   "due_on": "2025-10-15"})
    db.session.expire_all()
    assert item.status == ItemStatus.IN_PROGRESS
    update = item.updates[0]
    assert (update.old_status, update.new_status, update.user_id) == (
        ItemStatus.OPEN, ItemStatus.IN_PROGRESS, world.users["president"].id)
    body = client.get(f"/reviews/items/{item.id}").get_data(as_text=True)
    assert "12 में से 8 बूथ समितियाँ बनीं" in body
    auth.logout()
    auth.login("u_other_president")
    assert client.post(f"/reviews/items/{item.id}", data={"status": "done"}).status_code == 404
    db.session.expire_all()
    assert item.status == ItemStatus.IN_PROGRESS


def test_overdue_list_and_my_items(client, auth, world, signed_note):
    reviewer = world.users["reviewer"]
    president = world.people["president"]
    ops.create_action_item(ops.ItemData("बीता हुआ काम", president, date(2020, 1, 1)), reviewer, signed_note)
    later = ops.create_action_item(ops.ItemData("आगे का काम", president, today_local() + timedelta(days=30)),
                                   reviewer, signed_note)
    ops.update_action_item(signed_note.action_items[0], reviewer, ItemStatus.DONE, "")
    db.session.commit()
    auth.login("u_office")
    body = client.get("/reviews/items/overdue").get_data(as_text=True)
    assert "बीता हुआ काम" in body
    assert later.title not in body and "Form booth committees" not in body  # not due yet; done
    auth.logout()
    auth.login("u_coordinator")
    assert client.get("/reviews/items/overdue").status_code == 403
    assert client.get("/reviews/items/mine").status_code == 403  # no linked person


def test_standalone_note_and_item(client, auth, world):
    auth.login("u_unrelated")
    response = client.post("/reviews/notes/new", data={"district_id": world.other_district.id,
                                                       "reviewed_on": "2025-10-01", "campaign_id": world.campaign.id})
    assert response.status_code == 302
    note = db.session.scalar(sa.select(ReviewNote))
    assert note.session_id is None and note.reviewer_person_ids() == {world.people["unrelated"].id}
    assert note.president_person_id == world.people["other_president"].id
    client.post(f"/reviews/items/new?note={note.id}", data={"title": "कार्यालय खोलना",
                                                            "owner_id": world.people["other_president"].id})
    item = db.session.scalar(sa.select(ActionItem))
    assert (item.district_unit_id, item.campaign_id) == (world.other_district.id, world.campaign.id)
    # The unrelated in-charge is no reviewer of the world's slot.
    assert client.post(f"/reviews/sessions/{world.session.id}/note").status_code == 404


def test_district_panel_shows_only_visible_items(app, client, auth, world, signed_note):
    template = "{{ page_panels('directory.unit', unit) }}"  # as the directory's unit page renders it
    for username, expected in (("u_president", True), ("u_other_president", False), ("u_office", True)):
        with app.test_request_context():
            from flask_login import login_user

            from tracker.auth.models import User

            login_user(db.session.scalar(sa.select(User).where(User.username == username)))
            html = render_template_string(template, unit=world.district)
        assert ("Form booth committees" in html) is expected, username
