"""A demonstration of the journey helpers (the real journeys come with issue 11's lead).

The office logs in in Hindi by typing on /login and clicking, then reaches the meetings list by
clicking the navigation, against gunicorn with the clock fixed on the reference meeting's first day.
Each page gets a screenshot (tests/artifacts/journeys/demo-*.png), the required-on-hidden check
and axe-core.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD, make_meeting, make_user
from tests.journeys.helpers import ClickCounter, check_page, journey_page, login
from tracker.auth.models import Role, User
from tracker.extensions import db

pytestmark = pytest.mark.browser

NOW = "2025-09-22T09:30:00+05:30"


def test_office_reaches_the_meetings_list_in_hindi_by_clicking(browser, serve_app):
    make_user(Role.OFFICE, "office", full_name="कार्यालय प्रभारी", locale="hi")
    make_meeting(status="published", title_en="District presidents' meeting", starts_on=date(2025, 9, 22),
                 ends_on=date(2025, 9, 24))
    served = serve_app(now=NOW)
    with force_locale("hi"):
        meetings = _("Meetings")

    with journey_page(browser, "demo-failed", locale="hi") as page:
        page.goto(served.url + "/login")
        assert page.locator("html").get_attribute("lang") == "hi"
        check_page(page, "demo-01-login")

        login(page, "office", DEFAULT_PASSWORD)  # types and clicks on the /login page it is on
        clicks = ClickCounter(page).start()  # the home page the login led to
        check_page(page, "demo-02-home")

        with force_locale("hi"):
            main_menu = _("Main menu")
        clicks.click(page.get_by_role("navigation", name=main_menu).get_by_role("link", name=meetings, exact=True))
        page.get_by_role("heading", level=1, name=meetings).wait_for()
        assert page.get_by_text("जिला अध्यक्षों की बैठक").first.is_visible()
        check_page(page, "demo-03-meetings")
        assert clicks.count == 1, clicks.trail

        # The served app recorded the login, at its fixed "now", in the database the test reads.
        served.sync()
        last_login = db.session.scalar(sa.select(User.last_login_at).where(User.username == "office"))
        assert last_login == datetime(2025, 9, 22, 4, 0, tzinfo=UTC)
