"""Issue 17, walked in a browser: a district president on a phone, in Hindi, mistypes the password again
and again from the home page; the page says, in Hindi, how long to wait (no lock, no 500), and the database
holds the account's throttle row, not the username. The database is read after each submit; every page gets
check_page."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.journeys.district_world import NOW, make_district_world, read
from tests.journeys.helpers import check_page, journey_page
from tracker.auth.models import LoginThrottle
from tracker.extensions import db

pytestmark = pytest.mark.browser


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def throttles() -> list[tuple[str, int]]:
    return [(row.key, row.failures) for row in db.session.scalars(sa.select(LoginThrottle))]


def test_a_president_who_keeps_mistyping_is_told_in_hindi_how_long_to_wait(browser, serve_app):
    make_district_world()
    db.session.commit()
    served = serve_app(now=NOW)

    with journey_page(browser, "hostile-sign-in-failed", served=served, phone=True, locale="hi") as page:
        page.goto(served.url + "/")  # the home page sends a visitor to sign in
        form = page.locator("main form:has(input[name=password])")
        form.wait_for()
        check_page(page, "hostile-sign-in-01-login")
        for attempt in range(1, 7):
            form.locator("input[name=username]").fill("adhyaksh")
            form.locator("input[name=password]").fill(f"galat-{attempt}")
            with page.expect_navigation():
                form.locator("[type=submit]").click()
            rows = read(served, throttles)
            assert rows and all("adhyaksh" not in key for key, _n in rows)  # no username is kept
            # Five free failures; the sixth comes within the wait, is refused unchecked and is not counted.
            assert max(n for _k, n in rows) == min(attempt, 5)
        text = page.locator("body").inner_text()
        assert "रुकें" in text and hindi("Log in") in text  # "please wait …", and the form is still there
        check_page(page, "hostile-sign-in-02-wait")
