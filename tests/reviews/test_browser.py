"""Acceptance 4: on a phone, an in-charge writes a note in Hindi, adds two action items and signs off;
the district president then sees the two items but not the note."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.browser_support import new_phone_context
from tests.factories import DEFAULT_PASSWORD
from tracker.extensions import db
from tracker.reviews.models import ActionItem, NoteStatus, ReviewNote

pytestmark = pytest.mark.browser

CHALLENGE = "ब्लॉक स्तर पर गुटबाज़ी सबसे बड़ी चुनौती है"
ITEMS = ("सभी बूथ समितियों का गठन", "सदस्यता सूची प्रदेश कार्यालय भेजना")


def _login(page, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(re.compile(r".*/(home|agenda)$"))  # a district president's home is their agenda


def _read(stmt) -> list[tuple]:
    """Read what the server wrote, then end the transaction (an open one would lock SQLite for the server)."""
    db.session.expire_all()
    rows = [tuple(row) for row in db.session.execute(stmt)]
    db.session.rollback()
    return rows


def test_incharge_writes_president_sees_only_items(live_server, browser, artifacts_dir, world):
    yes_no, number, text = (item.id for item in world.checklist)
    session_id, president_id = world.session.id, world.people["president"].id
    db.session.rollback()  # end the test's transaction: an open one would lock SQLite for the server
    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())

    _login(page, live_server, "u_reviewer")
    page.goto(live_server + "/reviews/")
    page.locator(f"form[action$='/reviews/sessions/{session_id}/note'] button").click()
    page.wait_for_url(re.compile(r".*/reviews/notes/\d+/edit$"))
    assert page.locator("html").get_attribute("lang") == "hi"

    page.check(f"input[name=check-{yes_no}][value=yes]")
    page.fill(f"input[name=check-{number}]", "1250")
    page.fill(f"input[name=check-{text}]", "किराये का कार्यालय, ज़िला मुख्यालय पर")
    page.fill("textarea[name=challenges]", CHALLENGE)
    page.fill("textarea[name=strategy]", "हर ब्लॉक में मासिक बैठक, बूथ स्तर तक संगठन")
    page.fill("textarea[name=decisions]", "अक्टूबर के अंत तक सभी बूथ समितियाँ")
    page.check("input[name=readiness][value='3']")
    page.wait_for_selector("#note-form.saved", timeout=15000)  # the draft autosaved
    note_id, challenges, status = _read(sa.select(ReviewNote.id, ReviewNote.challenges, ReviewNote.status))[0]
    assert challenges == CHALLENGE and status == NoteStatus.DRAFT

    page.locator("button[formaction$='/sign-off']").click()
    page.wait_for_url(re.compile(rf".*/reviews/notes/{note_id}$"))
    for title in ITEMS:
        page.locator(f"a[href$='/reviews/items/new?note={note_id}']").first.click()
        page.fill("textarea[name=title]", title)
        page.fill("input[name=due_on]", "2025-10-31")
        page.locator("form:has(textarea[name=title]) button[type=submit]").click()
        page.wait_for_url(re.compile(rf".*/reviews/notes/{note_id}#action-items$"))
    assert all(title in page.content() for title in ITEMS)
    page.screenshot(path=str(artifacts_dir / "reviews-note-incharge-phone.png"), full_page=True)

    assert _read(sa.select(ReviewNote.status)) == [(NoteStatus.SIGNED_OFF,)]
    assert _read(sa.select(ActionItem.owner_person_id)) == [(president_id,)] * 2

    context.clear_cookies()
    _login(page, live_server, "u_president")
    page.goto(live_server + "/reviews/items/mine")
    body = page.content()
    assert all(title in body for title in ITEMS)
    assert CHALLENGE not in body and f"/reviews/notes/{note_id}" not in body
    page.screenshot(path=str(artifacts_dir / "reviews-my-items-president-phone.png"), full_page=True)
    response = page.goto(f"{live_server}/reviews/notes/{note_id}")
    assert response.status == 404 and CHALLENGE not in page.content()
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()


def test_autosave_survives_a_lost_connection(live_server, browser, world):
    """Typed while offline: the form shows it failed, keeps the text, and saves it when the network returns."""
    session_id = world.session.id
    db.session.rollback()
    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    _login(page, live_server, "u_reviewer")
    page.goto(live_server + "/reviews/")
    page.locator(f"form[action$='/reviews/sessions/{session_id}/note'] button").click()
    page.wait_for_url(re.compile(r".*/reviews/notes/\d+/edit$"))

    context.set_offline(True)
    page.fill("textarea[name=challenges]", CHALLENGE)
    page.wait_for_selector("#note-form.failed", timeout=15000)
    assert "review-note-" in page.evaluate("Object.keys(window.localStorage).join(',')")
    assert _read(sa.select(ReviewNote.challenges)) == [("",)]

    context.set_offline(False)
    page.wait_for_selector("#note-form.saved", timeout=20000)
    assert _read(sa.select(ReviewNote.challenges)) == [(CHALLENGE,)]
    assert page.evaluate("Object.keys(window.localStorage).length") == 0
    context.close()
