"""Issue 13: the roster, the agenda and the pass open on the phone without network, once opened online.

At phone size in Hindi, from the home page by clicking: the coordinator opens today's roster (the
service worker installs and keeps it), keeps the whole meeting with one tap, then the network is cut
(``cut_network``: the page's and the service worker's own requests fail) and the roster reloads from
the phone with its "offline copy" note; tomorrow's roster opens too; a page never opened (the home
page) does not. Signing out deletes the kept pages. The district president's agenda, slot and pass
likewise open without network after one visit online.

Acceptance 4 (first load under 150 KB on a cold cache, JavaScript off) is in
``tests/attendance/test_browser_light.py``.
"""

from __future__ import annotations

import time

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import Error as PlaywrightError

from tests.factories import DEFAULT_PASSWORD
from tests.harness.network import cut_network, restore_network
from tests.journeys.district_world import NOW as PRESIDENT_NOW
from tests.journeys.district_world import make_district_world
from tests.journeys.helpers import ClickCounter, check_page, journey_page, login, shot
from tests.journeys.test_coordinator_journey import NOW as COORDINATOR_NOW
from tests.journeys.test_coordinator_journey import _seed
from tracker.extensions import db

pytestmark = pytest.mark.browser


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def kept_pages(page) -> list[str]:
    """The paths the phone keeps (the service worker's page cache)."""
    return page.evaluate("""async () => {
        if (!(await caches.has('tracker-pages'))) return [];
        const cache = await caches.open('tracker-pages');
        return (await cache.keys()).map(r => new URL(r.url).pathname + new URL(r.url).search);
    }""")


def wait_kept(page, paths: list[str], timeout: float = 15) -> None:
    """Wait until the phone keeps every one of ``paths``."""
    deadline = time.monotonic() + timeout
    while not set(paths) <= set(kept_pages(page)):
        assert time.monotonic() < deadline, f"not kept: {sorted(set(paths) - set(kept_pages(page)))}"
        page.wait_for_timeout(200)


def worker_scopes(page) -> list[str]:
    """The paths of the service workers' scopes registered on the phone."""
    return sorted(page.evaluate("""async () => (await navigator.serviceWorker.getRegistrations())
        .map(r => new URL(r.scope).pathname)"""))


def controlled(page) -> bool:
    """Whether a service worker controls the page (and so every request it makes)."""
    return page.evaluate("navigator.serviceWorker.controller !== null")


def fonts_loaded(page) -> bool:
    """Whether the page's Devanagari font was loaded (offline: from the phone's cache, through the worker)."""
    return page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].some(f => f.family.includes('Noto Sans Devanagari') && f.status === 'loaded'); }""")


def offline_note(page):
    return page.locator("main .offline-note")


def test_the_coordinators_roster_opens_without_network(browser, serve_app):
    seed = _seed()
    served = serve_app(now=COORDINATOR_NOW)
    today, coming = seed["today"], seed["coming"]
    roster, tomorrow = f"/attendance/sessions/{today}", f"/attendance/sessions/{coming}"
    errors: list[str] = []
    with journey_page(browser, "offline-coordinator-failed", served=served, phone=True, locale="hi") as page:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, "coord", DEFAULT_PASSWORD, served.url)
        clicks = ClickCounter(page).start()
        clicks.click(page.locator("main a.session-line").filter(has_text="भोपाल संभाग के जिला अध्यक्ष"))
        page.wait_for_url(f"**{roster}")
        assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.state)") in ("activating", "activated")
        wait_kept(page, [roster])
        assert not offline_note(page).is_visible()  # online: the page is the server's
        assert worker_scopes(page) == ["/attendance/"]  # the attendance pages only, not the whole site
        # and the browser refuses the whole site's scope for the app's worker (its Service-Worker-Allowed)
        refused = page.evaluate("""() => navigator.serviceWorker.register('/sw.js?scope=attendance', {scope: '/'})
            .then(() => 'registered', error => error.name)""")
        assert refused == "SecurityError"
        assert worker_scopes(page) == ["/attendance/"]

        # one tap keeps the meeting's rosters of today and tomorrow
        keep = page.get_by_role("button", name=hindi("Keep this meeting on the phone"))
        keep.tap()
        status = page.locator("[data-keep-status]")
        status.filter(has_text=hindi("Kept on this phone: %(kept)s rosters of today and tomorrow. "
                                     "They open without network.", kept=2)).wait_for()
        wait_kept(page, [roster, tomorrow])
        assert sorted(kept_pages(page)) == sorted([roster, tomorrow])
        assert page.evaluate("navigator.storage.persisted()") in (True, False)  # asked (headless may refuse)
        check_page(page, "offline-01-roster-kept")

        # --- the network is cut: the page's and the service worker's requests fail ---------------------
        cut_network(page.context)
        assert page.evaluate("fetch('/attendance/').then(() => 'reached', () => 'failed')") == "failed"
        page.reload()
        page.get_by_role("heading", level=1, name="भोपाल संभाग के जिला अध्यक्ष").wait_for()
        note = offline_note(page)
        assert note.is_visible()
        assert note.inner_text().startswith(hindi("Offline copy from %(time)s: it may be out of date.",
                                                  time="X").split("X")[0])
        assert "10:00" in note.inner_text()  # when it was kept (the server's clock)
        assert page.locator(f"#att-{seed['people'][0]}").is_visible()  # the rows are there
        assert controlled(page)  # the worker answered, and the page's files came from the phone
        assert fonts_loaded(page)
        assert page.locator("link[rel=stylesheet]").count() >= 3
        assert page.evaluate("getComputedStyle(document.body).fontFamily").lower().find("noto") >= 0
        check_page(page, "offline-02-roster-without-network")

        page.goto(served.url + tomorrow)  # the other kept roster
        page.get_by_role("heading", level=1, name="अभियान की समीक्षा").wait_for()
        assert offline_note(page).is_visible()
        shot(page, "offline-03-tomorrow-without-network")

        with pytest.raises(PlaywrightError, match="ERR_INTERNET_DISCONNECTED"):  # a page never kept: no copy on the phone
            page.goto(served.url + "/attendance/")
        restore_network(page.context)

        # --- the rest of the site is never controlled by the worker (the review note's editor broke so) --
        for path in ("/", "/meetings/"):
            page.goto(served.url + path)
            page.wait_for_load_state()
            assert not controlled(page), path
        assert worker_scopes(page) == ["/attendance/"]

        # --- signing out forgets the kept pages (a shared phone) and unregisters the worker -------------
        page.goto(served.url + roster)
        assert controlled(page)
        page.get_by_role("button", name=hindi("Log out")).click()
        page.wait_for_url("**/login")
        page.wait_for_timeout(500)
        assert kept_pages(page) == []
        assert worker_scopes(page) == []
    assert errors == []


def test_the_presidents_agenda_and_pass_open_without_network(browser, serve_app):
    world = make_district_world()
    slot_id, invitation_id = world.slot.id, world.slot_invitation.id
    db.session.commit()
    served = serve_app(now=PRESIDENT_NOW)
    agenda, slot, badge = "/agenda", f"/agenda/sessions/{slot_id}", f"/attendance/invitations/{invitation_id}/pass"
    with journey_page(browser, "offline-president-failed", served=served, phone=True, locale="hi") as page:
        login(page, "adhyaksh", DEFAULT_PASSWORD, served.url)
        clicks = ClickCounter(page).start()
        assert page.url.endswith(agenda)
        page.get_by_role("heading", level=1, name=hindi("My agenda")).wait_for()
        clicks.click(page.locator("article.agenda-entry").get_by_role("link", name="वन-टू-वन: राजगढ़"))
        page.wait_for_url(f"**{slot}")
        clicks.click(page.get_by_role("link", name=hindi("Printable pass")))
        page.wait_for_url(f"**{badge}")
        code = page.locator(".att-short-code").inner_text()
        wait_kept(page, [agenda, slot, badge])
        # one worker for the agenda, one for the pass (an attendance page); they share the kept pages
        assert worker_scopes(page) == ["/agenda", "/attendance/"]

        cut_network(page.context)
        page.reload()  # at the hall's gate
        page.get_by_role("heading", level=1, name=hindi("Pass of %(name)s", name="प्रियव्रत सिंह")).wait_for()
        assert page.locator(".att-short-code").inner_text() == code
        assert page.get_by_role("img", name=hindi("QR code of the pass of %(name)s", name="प्रियव्रत सिंह")).is_visible()
        assert offline_note(page).is_visible()
        check_page(page, "offline-04-pass-without-network")
        page.goto(served.url + agenda)
        page.get_by_role("heading", level=1, name=hindi("My agenda")).wait_for()
        assert offline_note(page).is_visible()
        assert page.locator("article.agenda-entry").filter(has_text="वन-टू-वन: राजगढ़").count() == 1
        check_page(page, "offline-05-agenda-without-network")
        assert controlled(page)
        assert page.evaluate("getComputedStyle(document.body).fontFamily").lower().find("noto") >= 0
        assert page.evaluate("document.fonts.check('16px \"Noto Sans Devanagari\"', 'मेरा')")
        restore_network(page.context)
        page.goto(served.url + "/settings")  # their home page is the agenda: the settings are outside both scopes
        page.wait_for_load_state()
        assert not controlled(page)
