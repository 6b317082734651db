"""Journey 3 (issue 11): a district president, on a phone in Hindi, from the home page opens the agenda,
the one-to-one slot, the pass, downloads the .ics and makes the calendar link.

Logged in by typing; everything after is clicks from the home page (which is the agenda). The database
is read after each submit; every page gets check_page (screenshot, required-on-hidden, axe-core).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar

from tests.factories import DEFAULT_PASSWORD
from tests.journeys.district_world import NOW, make_district_world, read
from tests.journeys.helpers import ClickCounter, check_page, journey_page, login
from tracker.attendance.models import PassCode
from tracker.extensions import db
from tracker.meetings.models import CalendarFeed

pytestmark = pytest.mark.browser


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def feeds(person_id: int) -> list[tuple[int, datetime | None]]:
    """(id, revoked_at) of the person's calendar links, oldest first."""
    return [tuple(row) for row in db.session.execute(
        sa.select(CalendarFeed.id, CalendarFeed.revoked_at).where(CalendarFeed.person_id == person_id)
        .order_by(CalendarFeed.id))]


def test_district_president_agenda_slot_pass_ics_and_calendar_link(browser, serve_app, tmp_path):
    world = make_district_world()
    president_id, invitation_id = world.president.id, world.slot_invitation.id
    slot_times = (world.slot.starts_at, world.slot.ends_at)
    db.session.commit()  # no transaction of the test stays open while the server writes
    served = serve_app(now=NOW)

    with journey_page(browser, "president-failed", served=served, phone=True, locale="hi",
                      accept_downloads=True) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        login(page, "adhyaksh", DEFAULT_PASSWORD, served.url)
        clicks = ClickCounter(page).start()
        # --- home is the agenda ---------------------------------------------------------------------
        assert page.url.endswith("/agenda"), page.url
        page.get_by_role("heading", level=1, name=hindi("My agenda")).wait_for()
        check_page(page, "president-01-agenda")
        slot_entry = page.locator("article.agenda-entry").filter(has_text="वन-टू-वन: राजगढ़")
        assert slot_entry.count() == 1
        assert "15:00–15:15" in slot_entry.inner_text()

        # --- the one-to-one slot ---------------------------------------------------------------------
        clicks.click(slot_entry.get_by_role("link", name=re.compile("वन-टू-वन: राजगढ़")))
        page.get_by_role("heading", level=1, name=re.compile("वन-टू-वन: राजगढ़")).wait_for()
        assert "15:00–15:15" in page.locator("main").inner_text()
        assert "संजय दत्त" in page.locator("main").inner_text()  # the in-charge who reviews
        assert page.get_by_role("img", name=hindi("Your QR pass for this session")).is_visible()
        slot_code = page.locator(".att-short-code").inner_text()
        check_page(page, "president-02-slot")

        # --- the .ics of the slot --------------------------------------------------------------------
        with page.expect_download() as download_info:
            page.get_by_role("link", name=hindi("Add to calendar (.ics)")).first.click()
        clicks.count += 1
        clicks.trail.append(".ics")
        path = tmp_path / "slot.ics"
        download_info.value.save_as(path)
        events = [c for c in Calendar.from_ical(path.read_bytes()).walk("VEVENT")]
        assert len(events) == 1
        event = events[0]
        assert event.decoded("dtstart").astimezone(UTC) == slot_times[0]
        assert event.decoded("dtend").astimezone(UTC) == slot_times[1]
        assert "राजगढ़" in str(event.get("summary"))

        # --- the pass: QR and the short code that the database holds --------------------------------
        clicks.click(page.get_by_role("link", name=hindi("Printable pass")))
        page.get_by_role("heading", level=1, name=hindi("Pass of %(name)s", name="प्रियव्रत सिंह")).wait_for()
        qr = page.get_by_role("img", name=hindi("QR code of the pass of %(name)s", name="प्रियव्रत सिंह"))
        assert qr.is_visible()
        shown = page.locator(".att-short-code").inner_text()
        code = read(served, lambda: db.session.scalar(
            sa.select(PassCode.code).where(PassCode.invitation_id == invitation_id)))
        assert code is not None and len(code) == 6
        assert shown.replace(" ", "") == code == slot_code.replace(" ", "")
        check_page(page, "president-03-pass")

        # --- the calendar link: made once (no "old link" text), then again (the old one stops) -------
        menu = page.get_by_role("navigation", name=hindi("Main menu"))
        clicks.click(menu.locator("summary"), "menu")  # on a phone the menu folds
        clicks.click(menu.get_by_role("link", name=hindi("My agenda")))
        page.get_by_role("heading", level=1, name=hindi("My agenda")).wait_for()
        section = page.locator("#calendar")
        old_link_texts = [hindi("A new calendar link was made; the old one no longer works."),
                          hindi("The old link will stop working. Make a new one?")]
        assert read(served, lambda: feeds(president_id)) == []
        shown = page.locator("body").inner_text()
        assert not any(text in shown for text in old_link_texts), "speaks of an old link before there is one"
        clicks.click(section.get_by_role("button", name=hindi("Make a calendar link")))
        made = read(served, lambda: feeds(president_id))
        assert len(made) == 1 and made[0][1] is None
        webcal = page.locator("#calendar a.webcal-link")
        assert webcal.get_attribute("href").startswith("webcal://")
        assert page.locator("#calendar-feed-url").input_value().startswith(served.url + "/calendar/")
        assert page.get_by_role("button", name=hindi("Copy the link")).is_visible()
        shown = page.locator("body").inner_text()
        assert not any(text in shown for text in old_link_texts), "says the old link stops on the first one"
        assert hindi("Your calendar link was made: add it to your phone calendar.") in page.locator(
            "#flashes").inner_text()
        check_page(page, "president-04-calendar-link")
        first_url = page.locator("#calendar-feed-url").input_value()
        clicks.click(page.get_by_role("button", name=hindi("Copy the link")), "copy")
        page.locator("#calendar .copy-status").filter(has_text=hindi("Copied.")).wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == first_url

        dialogs = []
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        clicks.click(page.locator("#calendar").get_by_role("button", name=hindi("Revoke and make a new link")))
        assert dialogs == [old_link_texts[1]]
        assert old_link_texts[0] in page.locator("#flashes").inner_text()
        made = read(served, lambda: feeds(president_id))
        assert len(made) == 2 and made[0][1] is not None and made[1][1] is None
        second_url = page.locator("#calendar-feed-url").input_value()
        assert second_url != first_url
        check_page(page, "president-05-calendar-link-again")
        assert served.get(first_url.split(served.url, 1)[1])[0] == 404  # the old link stopped working
        status, feed = served.get(second_url.split(served.url, 1)[1])
        assert status == 200 and "वन-टू-वन: राजगढ़" in feed
        assert clicks.count <= 9, clicks.trail
