"""Issue 13: "a queue that meets an expired sign-in is kept and sent after the coordinator signs in again".

A phone in Hindi opens today's roster from the home page by clicking, the network is cut, the coordinator
marks 3 people present (3 waiting). While the phone is offline its sign-in expires: the browser drops the
session cookie (what happens when Android ends the browser's session; the page still holds the old CSRF
token). The network comes back, the queue is sent and meets the expired sign-in: nothing is written, the
3 marks stay waiting on the phone, and the page says in Hindi that the sign-in has expired, with a link to
sign in again. The coordinator taps it, signs in, is brought back to the same roster (``next``), and the
queue is sent: the database holds exactly 3 marks and the page shows 0 waiting.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from tests.attendance.test_browser_offline_queue import NOW, _seed, _written
from tests.factories import DEFAULT_PASSWORD
from tests.journeys.helpers import check_page, journey_page, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.serial]


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def test_a_queue_that_meets_an_expired_sign_in_is_sent_after_signing_in_again(browser, serve_app):
    seed = _seed()
    served = serve_app(now=NOW)
    roster = f"/attendance/sessions/{seed['session']}"
    count = "[data-queue-count]"
    with journey_page(browser, "expired-signin-failed", served=served, phone=True, locale="hi") as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, "coord", DEFAULT_PASSWORD, served.url)
        page.locator("main a.session-line").filter(has_text="हाज़िरी सत्र").click()
        page.wait_for_url(f"**{roster}")
        page.locator(count).wait_for()

        page.context.set_offline(True)
        for pid, name in list(zip(seed["people"], seed["names"], strict=True))[:3]:
            page.locator(f"#att-{pid}").get_by_role("button", name=f"{hindi('Present')} — {name}").tap()
        expect(page.locator(count)).to_have_text(hindi("%(count)s waiting to be sent", count=3))

        # the sign-in expires while the phone is offline: the browser no longer has the session cookie
        assert any(cookie["name"] == "session" for cookie in page.context.cookies())
        page.context.clear_cookies(name="session")
        page.context.set_offline(False)  # the "online" event sends the queue, which meets the expired sign-in

        alert = page.locator("[data-queue-signin]")
        expect(alert).to_be_visible(timeout=20000)
        expect(alert).to_contain_text(hindi("Your sign-in has expired. The waiting marks are kept on this phone:"))
        assert page.evaluate("() => window.trackerQueue.count()") == 3  # the queue is kept
        expect(page.locator(count)).to_have_text(hindi("%(count)s waiting to be sent", count=3))
        assert page.locator(".att-queue-item.is-waiting").count() == 3
        assert _written(seed["session"])["people"] == []  # nothing reached the database
        page.evaluate("() => window.scrollTo(0, 0)")
        check_page(page, "expired-signin-01-sign-in-needed")
        shot(page, "expired-signin-01-sign-in-needed-screen", full_page=False)  # what the phone's screen shows

        # the coordinator taps "sign in again", signs in, and is back on the same roster
        sign_in = alert.get_by_role("link", name=hindi("sign in again"))
        sign_in.tap()
        page.wait_for_url(f"**/login?next={roster}")
        login(page, "coord", DEFAULT_PASSWORD)
        page.wait_for_url(f"**{roster}")
        page.locator(count).wait_for()

        expect(page.locator(count)).to_have_text(hindi("%(count)s waiting to be sent", count=0), timeout=20000)
        assert page.evaluate("() => window.trackerQueue.count()") == 0
        expect(page.locator("[data-queue-signin]")).to_be_hidden()
        written = _written(seed["session"])
        assert written["people"] == sorted(seed["people"][:3])
        assert written["statuses"] == {"present"}
        assert written["receipts"] == 3
        assert all(written["entries"].get(record) == 1 for record in written["records"]), written["entries"]
        page.evaluate("() => window.scrollTo(0, 0)")
        check_page(page, "expired-signin-02-sent-after-signing-in")
        shot(page, "expired-signin-02-sent-after-signing-in-screen", full_page=False)
        assert errors == []
