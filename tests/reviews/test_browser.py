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
    _president_sees_the_items_not_the_note(page, live_server, note_id, artifacts_dir / "reviews-my-items-president-phone.png")
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()


def _president_sees_the_items_not_the_note(page, live_server: str, note_id: int, screenshot) -> None:
    """On the president's page of items: both items, neither the note's words nor a link to it; the note
    itself answers 404 (its existence is not revealed)."""
    body = page.content()
    assert all(title in body for title in ITEMS)
    assert CHALLENGE not in body and f"/reviews/notes/{note_id}" not in body
    page.screenshot(path=str(screenshot), full_page=True)
    response = page.goto(f"{live_server}/reviews/notes/{note_id}")
    assert response.status == 404 and CHALLENGE not in page.content()


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


def test_items_written_on_the_note_form_at_desktop_then_the_president_sees_only_them(
        live_server, browser, artifacts_dir, world):
    """Issue 11, journey 4: the in-charge (desktop, Hindi) writes the note and two action items on the note
    form itself and signs it off; a bad row is refused with the message beside it and nothing is lost;
    the district president (phone) then sees the two items and not the note."""
    session_id, president_id = world.session.id, world.people["president"].id
    db.session.rollback()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="hi-IN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())

    _login(page, live_server, "u_reviewer")
    page.locator("a[href$='/reviews/']").first.click()
    page.locator(f"form[action$='/reviews/sessions/{session_id}/note'] button").click()
    page.wait_for_url(re.compile(r".*/reviews/notes/\d+/edit$"))
    assert page.locator("html").get_attribute("lang") == "hi"
    (note_id,) = _read(sa.select(ReviewNote.id))[0]

    page.fill("textarea[name=challenges]", CHALLENGE)
    page.fill("textarea[name=strategy]", "हर ब्लॉक में मासिक बैठक")
    # Three blank rows are there without script; the first item goes in the first row,
    # the second in a row added with "add another item" (rows 2 and 3 stay blank and are ignored).
    assert page.locator("[data-item-row]").count() == 3
    page.fill("input[name='new_items-0-title']", ITEMS[0])
    page.fill("input[name='new_items-0-due_on']", "2025-10-31")
    page.locator("[data-add-item-row]").click()
    assert page.locator("[data-item-row]").count() == 4
    assert page.evaluate("document.activeElement.name") == "new_items-3-title"
    assert "4" in page.locator("[data-item-row]").nth(3).locator("legend").inner_text()
    # First a bad row: a date but nothing to do. The sign-off is refused and the message is beside the field.
    page.fill("input[name='new_items-3-due_on']", "2025-11-15")
    page.locator("button[formaction$='/sign-off']").click()
    page.wait_for_selector("#new_items-3-title-error")
    assert page.locator("#new_items-3-title").get_attribute("aria-invalid") == "true"
    assert page.input_value("input[name='new_items-0-title']") == ITEMS[0]
    assert page.input_value("input[name='new_items-3-due_on']") == "2025-11-15"
    assert page.input_value("textarea[name=challenges]") == CHALLENGE
    page.screenshot(path=str(artifacts_dir / "reviews-note-items-refused-desktop.png"), full_page=True)
    assert _read(sa.select(ReviewNote.status)) == [(NoteStatus.DRAFT,)]
    assert _read(sa.select(ActionItem.id)) == []

    page.fill("input[name='new_items-3-title']", ITEMS[1])
    page.screenshot(path=str(artifacts_dir / "reviews-note-items-desktop.png"), full_page=True)
    page.locator("button[formaction$='/sign-off']").click()
    page.wait_for_url(re.compile(rf".*/reviews/notes/{note_id}#action-items$"))
    assert all(title in page.content() for title in ITEMS)
    assert _read(sa.select(ReviewNote.status, ReviewNote.challenges)) == [(NoteStatus.SIGNED_OFF, CHALLENGE)]
    assert sorted(_read(sa.select(ActionItem.title, ActionItem.owner_person_id, ActionItem.review_note_id))) == sorted(
        [(ITEMS[0], president_id, note_id), (ITEMS[1], president_id, note_id)])
    page.screenshot(path=str(artifacts_dir / "reviews-note-signed-with-items-desktop.png"), full_page=True)
    context.close()

    phone = new_phone_context(browser, locale="hi-IN")
    page = phone.new_page()
    _login(page, live_server, "u_president")
    page.locator("details.site-menu > summary").click()  # the phone menu, then the entry
    page.locator("nav.site-nav a[href$='/reviews/items/mine']").click()  # from the home page, by clicking
    page.wait_for_url(re.compile(r".*/reviews/items/mine$"))
    _president_sees_the_items_not_the_note(page, live_server, note_id, artifacts_dir / "reviews-note-items-president-phone.png")
    assert [e for e in errors if "Content Security Policy" in e] == []
    phone.close()


@pytest.mark.parametrize("wait_ms", [0, 3000], ids=["reload-at-once", "reload-after-the-autosave"])
def test_item_rows_typed_offline_come_back_after_a_reload(live_server, browser, world, wait_ms):
    """A row added with "add another item" and typed while offline is put back (row and all) on reload,
    whether or not the autosave of the note's text went through first, and is saved once with the note."""
    session_id, president_id = world.session.id, world.people["president"].id
    db.session.rollback()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="hi-IN")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, live_server, "u_reviewer")
    page.goto(live_server + "/reviews/")
    page.locator(f"form[action$='/reviews/sessions/{session_id}/note'] button").click()
    page.wait_for_url(re.compile(r".*/reviews/notes/\d+/edit$"))

    context.set_offline(True)
    page.locator("[data-add-item-row]").click()
    page.fill("input[name='new_items-3-title']", ITEMS[1])
    page.fill("textarea[name=challenges]", CHALLENGE)
    page.wait_for_selector("#note-form.failed", timeout=15000)
    context.set_offline(False)
    page.wait_for_timeout(wait_ms)  # 3 s: the autosave retried and went through, the item row did not
    page.reload()
    assert page.locator("[data-item-row]").count() == 4
    assert page.input_value("input[name='new_items-3-title']") == ITEMS[1]
    assert page.input_value("textarea[name=challenges]") == CHALLENGE
    page.wait_for_selector("#note-form.saved", timeout=20000)
    assert _read(sa.select(ReviewNote.challenges)) == [(CHALLENGE,)]
    assert _read(sa.select(ActionItem.id)) == []  # the autosave never creates items

    page.locator("button.secondary[type=submit]").first.click()  # save draft
    page.wait_for_url(re.compile(r".*/reviews/notes/\d+#action-items$"))
    assert _read(sa.select(ActionItem.title, ActionItem.owner_person_id)) == [(ITEMS[1], president_id)]
    page.locator("a[href$='/edit']").first.click()
    page.wait_for_url(re.compile(r".*/reviews/notes/\d+/edit$"))
    assert page.locator("[data-item-row]").count() == 3  # the stale offline copy is not put back
    assert page.input_value("input[name='new_items-0-title']") == ""
    context.close()


def test_an_autosave_after_a_cancelled_sign_off_saves_the_draft_and_signs_nothing(live_server, browser, world):
    """htmx sends a form's requests to the formaction of the button last clicked: the autosave that follows
    a cancelled "Sign off" must still go to the autosave, not sign the note off without its confirmation."""
    session_id = world.session.id
    db.session.rollback()
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="hi-IN")
    page = context.new_page()
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    _login(page, live_server, "u_reviewer")
    page.goto(live_server + "/reviews/")
    page.locator(f"form[action$='/reviews/sessions/{session_id}/note'] button").click()
    page.wait_for_url(re.compile(r".*/reviews/notes/\d+/edit$"))
    note_id = int(re.search(r"/notes/(\d+)/edit", page.url).group(1))

    page.fill("textarea[name=challenges]", CHALLENGE)
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Sign off this note?" - no
    page.locator("button[formaction$='/sign-off']").click()  # at once, before the autosave's delay ran out
    with page.expect_response(lambda response: "/autosave" in response.url, timeout=10_000) as answer:
        page.fill("textarea[name=strategy]", "हर ब्लॉक में मासिक बैठक")
        page.locator("button[formaction$='/sign-off']").focus()  # the last button htmx saw
    assert answer.value.status == 200
    page.wait_for_timeout(2500)  # any other request the form had queued
    assert not [url for url in posts if url.endswith("/sign-off")], posts
    assert _read(sa.select(ReviewNote.status, ReviewNote.challenges).where(ReviewNote.id == note_id)) == [
        (NoteStatus.DRAFT, CHALLENGE)]

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("button[formaction$='/sign-off']").click()
    page.wait_for_timeout(2500)
    assert len([url for url in posts if url.endswith("/sign-off")]) == 1, posts  # one sign-off, no second one
    assert _read(sa.select(ReviewNote.status).where(ReviewNote.id == note_id)) == [(NoteStatus.SIGNED_OFF,)]
    context.close()
