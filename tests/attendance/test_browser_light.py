"""Acceptance 4 of issue 13: a roster's first load on a phone transfers under 150 KB on a cold cache (fonts
included, the QR scanner's library excluded: it loads only when the camera is used), compressed by the
app (static files: tracker/assets.py; pages: Flask-Compress), as the browser counts the bytes that
crossed the network (CDP ``Network.loadingFinished`` ``encodedDataLength``: headers and compressed
bodies). And the roster works with JavaScript off: a mark is an ordinary form post."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.attendance.conftest import build_world
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.journeys.helpers import login, new_journey_context, shot
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.auth.models import Role
from tracker.extensions import db

pytestmark = pytest.mark.browser

BUDGET = 150_000  # bytes


def _world():
    world = build_world(n_people=70, n_divisions=10)  # a division's presidents and more: a full hall
    make_user(Role.COORDINATOR, "coord", locale="hi")
    db.session.commit()
    return world


def test_the_rosters_first_load_transfers_under_150_kb(browser, serve_app):
    world = _world()
    session_id, first = world.session.id, world.people[0].id
    db.session.commit()
    served = serve_app()
    # No service worker here: it would fetch the same files a second time for the phone's copy.
    context = new_journey_context(browser, phone=True, locale="hi", service_workers="block")
    try:
        page = context.new_page()
        login(page, "coord", DEFAULT_PASSWORD, served.url)
        page.wait_for_load_state("networkidle")
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.clearBrowserCache")  # cold: nothing of the login page's files is left
        urls, sizes, encodings = {}, {}, {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.responseReceived", lambda e: encodings.__setitem__(
            e["requestId"], {k.lower(): v for k, v in e["response"]["headers"].items()}.get("content-encoding")))

        def finished(event):
            if event["requestId"] in urls:  # a request of the roster's load (none of the page before it)
                sizes[event["requestId"]] = event["encodedDataLength"]

        cdp.on("Network.loadingFinished", finished)
        page.goto(f"{served.url}/attendance/sessions/{session_id}", wait_until="networkidle")
        page.evaluate("document.fonts.ready.then(() => document.fonts.size)")
        page.wait_for_load_state("networkidle")
        assert page.locator(f"#att-{first}").is_visible()
        total = sum(sizes.values())
        report = sorted(((sizes[r], urls.get(r, "?").split("?")[0].replace(served.url, "")) for r in sizes),
                        reverse=True)
        print(f"roster first load: {total} bytes in {len(sizes)} responses")
        for size, url in report:
            print(f"  {size:>7}  {url}")
        loaded = [urls[r] for r in sizes]
        assert not any("jsqr" in url.lower() for url in loaded)  # the scanner's library waits for the camera
        assert any("noto-sans-devanagari" in url for url in loaded)  # the fonts are counted
        page_id = next(r for r in sizes if urls[r].endswith(f"/attendance/sessions/{session_id}"))
        assert encodings[page_id] in ("br", "gzip")
        assert all(encodings[r] in ("br", "gzip") for r in sizes if urls[r].split("?")[0].endswith((".css", ".js")))
        assert total < BUDGET, f"{total} bytes: {report}"
    finally:
        context.close()


def test_the_roster_works_with_javascript_off(browser, serve_app):
    world = _world()
    session_id, first, name = world.session.id, world.people[0].id, world.people[0].name_hi
    db.session.commit()
    served = serve_app()
    with force_locale("hi"):
        present = _("Present")
    context = new_journey_context(browser, phone=True, locale="hi", java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, "coord", DEFAULT_PASSWORD, served.url)
        page.locator(f"main a[href$='/attendance/sessions/{session_id}']").first.click()
        page.wait_for_url(f"**/attendance/sessions/{session_id}")
        assert page.locator("[data-keep-offline]").is_hidden()  # keeping needs the service worker
        shot(page, "nojs-01-roster", full_page=False)  # axe cannot run in a page without JavaScript
        with page.expect_navigation():
            page.locator(f"#att-{first}").get_by_role("button", name=f"{present} — {name}").tap()
        db.session.expire_all()
        status = db.session.scalar(sa.select(Attendance.status).where(
            Attendance.session_id == session_id, Attendance.person_id == first))
        db.session.commit()
        assert status == AttendanceStatus.PRESENT
        assert page.url.split("#")[0].endswith(f"/attendance/sessions/{session_id}")
        assert page.locator(".flash-success").is_visible()
        shot(page, "nojs-02-marked", full_page=False)
    finally:
        context.close()
