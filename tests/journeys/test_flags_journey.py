"""Issue 19, red flags: the in-charge, on a phone in Hindi, sees on their home page that Rajgarh is flagged
(an action item overdue) and opens the district from there; the office, on a desktop, goes from its home page
to all red flags and sets the quiet period (the database is read after the submit); when the district's item
is done, the flag is gone from the in-charge's home page.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.journeys.district_world import NOW, make_district_world, read
from tests.journeys.helpers import ClickCounter, check_page, journey_page, login
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.flags.models import FlagSettings
from tracker.reviews.models import ActionItem, ItemStatus

pytestmark = pytest.mark.browser


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def flags_panel(page):
    return page.locator("section, article").filter(
        has=page.get_by_role("heading", name=hindi("Districts with red flags"))).last


def test_incharge_sees_the_flag_office_sets_the_period_and_the_flag_clears(browser, serve_app):
    world = make_district_world()
    item = ActionItem(title="बूथ समितियों की सूची भेजें", owner_person_id=world.president.id,
                      due_on=date(2025, 9, 15), district_unit_id=world.district.id)
    db.session.add(item)
    make_user(Role.OFFICE, "daftar", full_name="प्रदेश कार्यालय", locale="hi")
    db.session.commit()
    item_id, district_id = item.id, world.district.id
    served = serve_app(now=NOW)

    with journey_page(browser, "flags-incharge-failed", served=served, phone=True, locale="hi") as page:
        login(page, "prabhari", DEFAULT_PASSWORD, served.url)
        clicks = ClickCounter(page).start()
        panel = flags_panel(page)
        assert "1 कार्य बिंदु समय से पीछे" in panel.inner_text()
        check_page(page, "flags-01-incharge-home")
        clicks.click(panel.get_by_role("link", name="राजगढ़"))
        section = page.locator("section.district-flags")
        section.wait_for()
        assert "1 कार्य बिंदु समय से पीछे" in section.inner_text()
        assert page.url.endswith(f"/directory/units/{district_id}")
        check_page(page, "flags-02-incharge-district")
        assert clicks.count <= 1, clicks.trail

    with journey_page(browser, "flags-office-failed", served=served, locale="hi") as page:
        login(page, "daftar", DEFAULT_PASSWORD, served.url)
        clicks = ClickCounter(page).start()
        clicks.click(flags_panel(page).get_by_role("link", name=hindi("All red flags")))
        page.get_by_role("heading", level=1, name=hindi("Red flags")).wait_for()
        assert "राजगढ़" in page.locator("main table").inner_text()
        check_page(page, "flags-03-office-flags")
        clicks.click(page.get_by_role("link", name=hindi("Change the number of days")))
        field = page.get_by_label(hindi("Days without a programme report before a district is flagged"))
        field.fill("15")
        check_page(page, "flags-04-office-settings")
        clicks.click(page.get_by_role("button", name=hindi("Save")))
        page.get_by_role("heading", level=1, name=hindi("Red flags")).wait_for()
        assert read(served, lambda: db.session.scalars(sa.select(FlagSettings.quiet_days)).all()) == [15]
        assert "15" in page.locator("main p").first.inner_text()
        assert clicks.count <= 3, clicks.trail

    def done():
        db.session.get(ActionItem, item_id).status = ItemStatus.DONE

    read(served, done)
    with journey_page(browser, "flags-cleared-failed", served=served, phone=True, locale="hi") as page:
        login(page, "prabhari", DEFAULT_PASSWORD, served.url)
        assert flags_panel(page).count() == 0
        check_page(page, "flags-05-incharge-home-cleared")
