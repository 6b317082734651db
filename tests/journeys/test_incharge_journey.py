"""Journey 4 (issue 11): an in-charge, on a desktop in Hindi, writes the one-to-one note of a district with
two action items on the note form and signs it off; the district president, on a phone, then sees the two
action items and nothing of the note.

Both log in by typing; everything after is clicks from their home pages. The database is read after each
submit; every page gets check_page (screenshot, required-on-hidden, axe-core).
"""

from __future__ import annotations

from collections import deque
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD
from tests.journeys.district_world import NOW, make_district_world, read
from tests.journeys.helpers import ClickCounter, check_page, journey_page, login
from tracker.extensions import db
from tracker.reviews.models import NoteStatus, ReviewNote

pytestmark = pytest.mark.browser

CHALLENGES = "ब्लॉक अध्यक्षों में गुटबाज़ी है, गोपनीय-चुनौती-7781"
STRATEGY = "हर ब्लॉक में बूथ समिति, गोपनीय-रणनीति-4410"
DECISIONS = "हर सप्ताह फ़ोन पर बैठक, गोपनीय-निर्णय-9092"
REMARK = "निजी टिप्पणी गोपनीय-टिप्पणी-3356"
NOTE_TEXTS = (CHALLENGES, STRATEGY, DECISIONS, REMARK)
MARKERS = ("गोपनीय-चुनौती-7781", "गोपनीय-रणनीति-4410", "गोपनीय-निर्णय-9092", "गोपनीय-टिप्पणी-3356")
ITEMS = (("सभी ब्लॉकों में बूथ समितियाँ बनाएँ", date(2025, 10, 15)),
         ("सदस्यता सूची कार्यालय भेजें", date(2025, 10, 31)))


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def note_state(session_id: int):
    note = db.session.scalar(sa.select(ReviewNote).where(ReviewNote.session_id == session_id))
    if note is None:
        return None
    items = [(i.title, i.owner_person_id, i.due_on, i.district_unit_id)
             for i in sorted(note.action_items, key=lambda i: i.id)]
    return {"id": note.id, "status": note.status, "challenges": note.challenges, "strategy": note.strategy,
            "decisions": note.decisions, "remark": note.private_remark, "readiness": note.readiness,
            "items": items, "item_ids": [i.id for i in sorted(note.action_items, key=lambda i: i.id)]}


def write_and_sign(browser, served, world_ids) -> dict:
    """The in-charge's part: home → the slot → write the note → sign off. Returns the note as stored."""
    with journey_page(browser, "incharge-failed", served=served, locale="hi") as page:
        login(page, "prabhari", DEFAULT_PASSWORD, served.url)
        clicks = ClickCounter(page).start()
        check_page(page, "incharge-01-home")
        panel = page.locator("section, article").filter(
            has=page.get_by_role("heading", name=hindi("My one-to-one slots"))).last
        clicks.click(panel.get_by_role("link", name="राजगढ़"))
        check_page(page, "incharge-02-slots")
        # The filters of the list are laid out as a form, not squeezed into one pill-shaped row.
        filters = page.get_by_role("search")
        assert filters.get_by_role("searchbox").bounding_box()["width"] >= 200
        assert filters.get_by_role("button").bounding_box()["height"] <= 80
        slots = page.locator("section[aria-labelledby=slots-heading]")
        row = slots.get_by_role("row").filter(has_text="राजगढ़")
        clicks.click(row.get_by_role("button", name=hindi("Write the note")))
        page.get_by_role("heading", level=1, name=hindi("Review of %(district)s", district="राजगढ़")).wait_for()
        check_page(page, "incharge-03-note-form")
        assert read(served, lambda: note_state(world_ids["slot"]))["status"] == NoteStatus.DRAFT

        form = page.locator("#note-form")
        # While the draft autosaves (class "pending") the form keeps its contrast (axe may run meanwhile).
        assert form.evaluate("f => { f.classList.add('pending'); const o = getComputedStyle(f).opacity;"
                             " f.classList.remove('pending'); return o; }") == "1"
        form.get_by_label(hindi("Challenges"), exact=True).fill(CHALLENGES)
        form.get_by_label(hindi("Strategy"), exact=True).fill(STRATEGY)
        form.get_by_label(hindi("Decisions"), exact=True).fill(DECISIONS)
        form.get_by_label("4", exact=True).check()
        form.locator("textarea[name=private_remark]").fill(REMARK)
        for i, (title, due) in enumerate(ITEMS):
            form.locator(f"[name=new_items-{i}-title]").fill(title)
            form.locator(f"[name=new_items-{i}-owner_id]").select_option(str(world_ids["president"]))
            form.locator(f"[name=new_items-{i}-due_on]").fill(due.isoformat())
        check_page(page, "incharge-04-note-filled")

        dialogs = []
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        clicks.click(form.get_by_role("button", name=hindi("Sign off"), exact=True))
        assert dialogs == [hindi("Sign off this note? Later changes will be kept as new versions.")]
        assert "/edit" not in page.url, page.locator("#flashes").inner_text()
        flashes = page.locator("#flashes").inner_text()
        assert hindi("The note is signed off. Later changes are kept as new versions.") in flashes
        stored = read(served, lambda: note_state(world_ids["slot"]))
        assert stored["status"] == NoteStatus.SIGNED_OFF
        assert (stored["challenges"], stored["strategy"], stored["decisions"], stored["remark"]) == NOTE_TEXTS
        assert stored["readiness"] == 4
        assert stored["items"] == [(title, world_ids["president"], due, world_ids["district"])
                                   for title, due in ITEMS]
        for title, _due in ITEMS:
            assert page.locator("#action-items").get_by_text(title).is_visible()
        assert "2025-09-22" not in page.locator("main").inner_text()  # the history's dates in the house style
        check_page(page, "incharge-05-signed-off")
        assert clicks.count <= 4, clicks.trail
        return stored


def president_sees_items_not_note(browser, served, stored) -> None:
    """The president's part: home (the agenda) → my action items → an item; the note is nowhere."""
    with journey_page(browser, "incharge-president-failed", served=served, phone=True, locale="hi") as page:
        login(page, "adhyaksh", DEFAULT_PASSWORD, served.url)
        clicks = ClickCounter(page).start()
        check_page(page, "incharge-06-president-home")
        menu = page.get_by_role("navigation", name=hindi("Main menu"))
        clicks.click(menu.locator("summary"), "menu")
        clicks.click(menu.get_by_role("link", name=hindi("My action items")))
        page.get_by_role("heading", level=1, name=hindi("My action items")).wait_for()
        main = page.locator("main")
        for (title, _due), shown_due in zip(ITEMS, ("15 अक्टूबर 2025", "31 अक्टूबर 2025"), strict=True):
            card = main.locator("article, tr, li").filter(has=page.get_by_role("link", name=title))
            assert card.count() == 1 and card.is_visible(), title
            assert shown_due in card.inner_text() and "राजगढ़" in card.inner_text()
        check_page(page, "incharge-07-president-items")
        clicks.click(page.get_by_role("link", name=ITEMS[0][0]))
        page.get_by_role("heading", level=1, name=hindi("Action item")).wait_for()
        assert page.locator("main").get_by_text(ITEMS[0][0]).is_visible()
        check_page(page, "incharge-08-president-item")
        assert clicks.count <= 4, clicks.trail

        # Nothing of the note on any page the president can reach by following links from the home page
        # (their own session: cookies of this context).
        seen = crawl(page, served.url)
        assert {"/agenda", "/agenda/sessions/2", "/reviews/items/mine"} <= set(seen), sorted(seen)
        assert f"/reviews/items/{stored['item_ids'][0]}" in seen and f"/reviews/items/{stored['item_ids'][1]}" in seen
        for path, body in seen.items():
            for marker in MARKERS:
                assert marker not in body, f"the note's text {marker!r} is on {path}"
        # The note itself, its versions and the district's history are refused to them.
        for path in (f"/reviews/notes/{stored['id']}", f"/reviews/notes/{stored['id']}/versions",
                     f"/reviews/notes/{stored['id']}/versions/1", f"/reviews/notes/{stored['id']}/edit",
                     f"/reviews/districts/{stored['district']}/history"):
            response = page.request.get(served.url + path, max_redirects=0)
            assert response.status in (403, 404), f"{path}: {response.status}"
            assert not any(marker in response.text() for marker in MARKERS), path


SKIP_PREFIXES = ("/logout", "/static/", "/locale")


def crawl(page, base_url: str, limit: int = 60) -> dict[str, str]:
    """Every same-site page reachable by links from the home page, with this context's cookies: path → body."""
    seen: dict[str, str] = {}
    queue = deque(["/"])
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        response = page.request.get(base_url + path)
        body = response.text()
        seen[path] = body
        if response.status != 200 or "html" not in response.headers.get("content-type", ""):
            continue
        for href in page.evaluate(
                "html => Array.from(new DOMParser().parseFromString(html, 'text/html')"
                ".querySelectorAll('a[href]'), a => a.getAttribute('href'))", body):
            url = urlsplit(urljoin(base_url + path, href))
            if url.netloc != urlsplit(base_url).netloc or url.path.startswith(SKIP_PREFIXES):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append(target)
    return seen


def test_incharge_writes_note_with_two_items_president_sees_items_only(browser, serve_app):
    world = make_district_world()
    ids = {"slot": world.slot.id, "president": world.president.id, "district": world.district.id}
    db.session.commit()  # no transaction of the test stays open while the server writes
    served = serve_app(now=NOW)

    stored = write_and_sign(browser, served, ids)
    stored["district"] = ids["district"]
    president_sees_items_not_note(browser, served, stored)
