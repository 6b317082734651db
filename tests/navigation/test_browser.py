"""A coordinator on a phone, in Hindi, reaches today's, a coming and a past session's roster from the home page by
clicking, in at most three clicks each; the phone menu opens from a visible "मेनू" button."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.browser_support import log_in_with_enter, new_phone_context
from tests.factories import DEFAULT_PASSWORD, make_meeting, make_session, make_user
from tests.navigation.conftest import make_journey
from tracker.auth.models import Role
from tracker.extensions import db

pytestmark = pytest.mark.browser

MAX_CLICKS = 3


class Clicker:
    """Clicks visible links and buttons, and counts them."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, locator) -> None:
        assert locator.is_visible()
        self.count += 1
        with self.page.expect_navigation():
            locator.click()


def test_coordinator_reaches_any_roster_from_home_in_three_clicks(live_server, browser, artifacts_dir):
    journey = make_journey()
    old_meeting = make_meeting(title_en="Old meeting", title_hi="पुरानी बैठक", starts_on=date(2025, 9, 22),
                               status="completed", commit=False)
    old = make_session(old_meeting, title_en="Old session", title_hi="पुराना सत्र")  # 22 Sept 2025, 11:00
    make_user(Role.COORDINATOR, "coord")
    ids = {"today": journey.today.id, "coming": journey.coming.id, "past": journey.past.id, "old": old.id,
           "old_meeting": old_meeting.id}
    db.session.commit()

    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in_with_enter(page, live_server, "coord", DEFAULT_PASSWORD)
    page.screenshot(path=str(artifacts_dir / "home-coordinator-phone-hi.png"), full_page=True)
    panel = page.locator("#panel-attendance-sessions")

    def from_home(name: str, steps) -> int:
        page.goto(live_server + "/home")
        clicker = Clicker(page)
        steps(clicker)
        assert page.url.endswith(f"/attendance/sessions/{ids[name]}"), (name, page.url)
        assert page.locator("h1").is_visible()
        assert clicker.count <= MAX_CLICKS, (name, clicker.count)
        return clicker.count

    # today's session: first in the list
    assert from_home("today", lambda c: c.click(panel.get_by_role("link", name=re.compile("दूसरा दिन")))) == 1
    page.screenshot(path=str(artifacts_dir / "roster-from-home-phone-hi.png"))
    # a coming one
    assert from_home("coming", lambda c: c.click(panel.get_by_role("link", name=re.compile("तीसरा दिन")))) == 1
    # yesterday's (paper sheets entered the next day)
    assert from_home("past", lambda c: c.click(panel.get_by_role("link", name=re.compile("पहला दिन")))) == 1

    # a session long past, by its date: type the date, show that day, open the roster
    def by_date(c: Clicker) -> None:
        panel.get_by_label("तारीख").fill("2025-09-22")
        c.click(panel.get_by_role("button", name="उस दिन के सत्र देखें"))
        page.screenshot(path=str(artifacts_dir / "attendance-day-phone-hi.png"), full_page=True)
        c.click(page.get_by_role("link", name=re.compile("पुराना सत्र")))

    assert from_home("old", by_date) == 2

    # the same, by its meeting
    def by_meeting(c: Clicker) -> None:
        panel.get_by_label("बैठक", exact=True).select_option(str(ids["old_meeting"]))
        c.click(panel.get_by_role("button", name="बैठक के सत्र देखें"))
        c.click(page.get_by_role("link", name=re.compile("पुराना सत्र")))

    assert from_home("old", by_meeting) == 2

    # the session page links to its roster, passes and report (added by the attendance domain)
    page.goto(f"{live_server}/meetings/sessions/{ids['coming']}")
    related = page.get_by_role("navigation", name="इस सत्र के पेज")
    for label in ("उपस्थिति सूची", "पास", "उपस्थिति रिपोर्ट"):
        assert related.get_by_role("link", name=label, exact=True).is_visible()
    page.screenshot(path=str(artifacts_dir / "session-page-links-phone-hi.png"))
    with page.expect_navigation():
        related.get_by_role("link", name="उपस्थिति सूची", exact=True).click()
    assert page.url.endswith(f"/attendance/sessions/{ids['coming']}")

    # the phone menu: a visible "मेनू" button naming the current page opens the entries
    page.goto(live_server + "/attendance/")
    summary = page.locator(".site-menu > summary")
    assert summary.is_visible() and "मेनू" in summary.inner_text() and "उपस्थिति" in summary.inner_text()
    entries = page.locator(".site-nav li a")
    assert not entries.first.is_visible()
    summary.click()
    assert entries.first.is_visible()
    for i in range(entries.count()):  # every entry on screen, none hidden off to the side
        box = entries.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44
    assert page.locator('.site-nav a[aria-current="page"]').count() == 1
    page.screenshot(path=str(artifacts_dir / "menu-open-phone-hi.png"))
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()


def test_desktop_shows_every_menu_entry_without_a_disclosure(live_server, browser, artifacts_dir):
    from tests.navigation.test_home import _needs_attention

    _needs_attention(make_journey(), n=3)
    make_user(Role.OFFICE, "officer")
    db.session.commit()
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="hi-IN")
    log_in_with_enter(page, live_server, "officer", DEFAULT_PASSWORD)
    assert not page.locator(".site-menu > summary").is_visible()
    entries = page.locator(".site-nav li a")
    assert entries.count() > 3
    for i in range(entries.count()):
        assert entries.nth(i).is_visible()
    # reachable by keyboard: Tab from the logout button lands on the first entry
    page.locator(".logout-form button").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.site-nav') !== null")
    assert page.get_by_role("navigation", name="मुख्य मेनू").get_by_role("link", name="बैठकें").is_visible()
    for panel in ("#panel-meetings-drafts", "#panel-reminders-failed", "#panel-reviews-overdue"):
        assert page.locator(panel).get_by_role("link").first.is_visible()
    page.screenshot(path=str(artifacts_dir / "home-office-desktop-hi.png"), full_page=True)
    page.close()
