"""Issue 12: the office makes logins from posts for the district presidents of two divisions.

At phone size (issue 12, acceptance 1a), in Hindi, against gunicorn: log in, click from the home page to Logins, then to
"Logins from posts"; choose district presidents and two divisions, preview, confirm, read the
report. The database is checked after each submit (the preview creates nothing; the confirmation
creates a login for every current president of the two divisions who had none)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.journeys.helpers import check_page, journey_page, login
from tracker.auth.models import Role, User
from tracker.directory.models import Unit
from tracker.directory.queries import current_presidents
from tracker.extensions import db

pytestmark = pytest.mark.browser

NOW = "2025-10-01T10:00:00+05:30"
CHOSEN = ("bhopal_division", "narmadapuram_division")


def t(message: str) -> str:
    with force_locale("hi"):
        return gettext(message)


def _logins_by_person() -> dict[int, User]:
    return {u.person_id: u for u in db.session.scalars(sa.select(User).where(User.person_id.is_not(None)))}



def _submit_from_posts(page, button: str, heading: str, section: str) -> str:
    """Press a button of the "from posts" form; the text of the section the answer shows under ``heading``."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/logins/from-posts" in r.url) as answer:
        page.get_by_role("button", name=button, exact=True).click()
    assert answer.value.status == 200
    page.get_by_role("heading", level=2, name=heading).wait_for()
    return page.locator(section).inner_text()

def test_office_makes_logins_for_the_presidents_of_two_divisions(browser, serve_app):
    from tracker.demo import demo_logins, load_demo

    load_demo()
    make_user(Role.OFFICE, "office_hi", full_name="कार्यालय प्रभारी", locale="hi")
    divisions = {u.code: u for u in db.session.scalars(sa.select(Unit).where(Unit.code.in_(CHOSEN)))}
    names = [divisions[code].name_hi for code in CHOSEN]
    presidents = {person.id for _unit, person, _post in current_presidents([u.id for u in divisions.values()])}
    # The demo makes a login for every president (issue 12, acceptance 4): take back those of the two
    # divisions that are not named demo logins, so that the office has logins to make.
    named = {name for name, _description in demo_logins()}
    db.session.execute(sa.delete(User).where(User.person_id.in_(presidents), User.username.not_in(named)))
    db.session.commit()
    before = _logins_by_person()
    expected = {pid for pid in presidents if pid not in before}
    assert len(expected) >= 2
    db.session.rollback()
    served = serve_app(now=NOW)
    step = lambda name: f"logins-hi-{name}"  # noqa: E731

    with journey_page(browser, step("failed"), served=served, phone=True, locale="hi") as page:
        login(page, "office_hi", DEFAULT_PASSWORD, base_url=served.url)
        nav = page.get_by_role("navigation", name=t("Main menu"))
        link = nav.get_by_role("link", name=t("Logins"), exact=True)
        if not link.is_visible():
            nav.locator("details.site-menu > summary").click()  # the phone menu, then the entry
        link.click()
        page.get_by_role("heading", level=1, name=t("Logins")).wait_for()
        check_page(page, step("01-list"))
        page.get_by_role("button", name=t("Logins from posts"), exact=True).click()  # a link styled as a button
        page.get_by_role("heading", level=1, name=t("Logins from posts")).wait_for()
        page.get_by_label(t("Holders of"), exact=True).select_option("district_president")
        for name in names:
            page.get_by_label(name, exact=True).check()
        check_page(page, step("02-form"))

        # The preview: who gets a login, and nothing is created yet.
        preview = _submit_from_posts(page, t("Preview"), t("Preview"), "section.from-posts-preview")
        assert preview.count(t("Will be created")) == len(expected)
        served.sync()
        assert _logins_by_person().keys() == before.keys()
        db.session.rollback()
        check_page(page, step("03-preview"))

        # Confirm: the report, and a login for each of them in the database.
        report = _submit_from_posts(page, t("Create the logins"), t("Report"), "section.from-posts-report")
        assert report.count(t("Created")) >= len(expected)
        served.sync()
        after = _logins_by_person()
        assert set(after) - set(before) == expected
        for pid in expected:
            user = after[pid]
            assert user.role == Role.PRESIDENT and user.is_active
            assert re.fullmatch(r"[a-z0-9.]+", user.username), user.username
            assert user.username in report
        db.session.rollback()
        check_page(page, step("04-report"))
