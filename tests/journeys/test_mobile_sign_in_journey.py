"""Issue 12, acceptance 1b: a district president, on a phone in Hindi, signs in with their mobile number:
the code comes through the SMS webhook (read here from the local receiver), is typed, and the agenda
opens. The database is read after each submit; every page gets check_page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.journeys.district_world import NOW, make_district_world, read
from tests.journeys.helpers import check_page, journey_page
from tracker.auth.models import SignInCode, User
from tracker.extensions import db

pytestmark = pytest.mark.browser


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def codes(user_id: int) -> list[tuple[str, int, bool]]:
    """(hash, tries, ended) of the login's sign-in codes."""
    return [(row.code_hash, row.tries, row.ended_at is not None) for row in db.session.execute(
        sa.select(SignInCode.code_hash, SignInCode.tries, SignInCode.ended_at).where(SignInCode.user_id == user_id))]


def test_district_president_signs_in_by_mobile_number_with_the_code_from_the_sms(browser, serve_app,
                                                                                 webhook_receiver):
    world = make_district_world()
    user_id, mobile = world.president_user.id, world.president.mobile
    db.session.commit()
    served = serve_app(now=NOW, webhook=webhook_receiver)

    with journey_page(browser, "mobile-sign-in-failed", served=served, phone=True, locale="hi") as page:
        page.goto(served.url + "/login")
        # On a phone the mobile number comes first.
        first = page.locator("main form").first
        assert first.locator("input[name=mobile]").count() == 1
        check_page(page, "mobile-sign-in-01-login")
        page.get_by_label(hindi("Mobile number")).fill("94250 00001")
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Send me a code")).click()
        page.get_by_role("heading", level=1, name=hindi("Enter the code")).wait_for()
        (stored,) = read(served, lambda: codes(user_id))
        assert stored[1:] == (0, False)

        (sms,) = webhook_receiver.wait_for(1)
        assert sms.json["to"] == mobile and sms.json["channel"] == "sms"
        assert hindi("Sign-in code") in sms.json["text"]
        code = re.search(r"@127\.0\.0\.1 #(\d{6})$", sms.json["text"]).group(1)
        assert code not in stored[0]  # only the hash is kept
        field = page.locator("main input[name=code]")
        assert field.evaluate("el => el.labels[0].textContent").strip().startswith(hindi("Code"))
        assert field.get_attribute("autocomplete") == "one-time-code"
        assert field.get_attribute("inputmode") == "numeric"
        check_page(page, "mobile-sign-in-02-code")

        field.fill(code)
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Sign in")).click()
        assert page.url.endswith("/agenda"), page.url
        page.get_by_role("heading", level=1, name=hindi("My agenda")).wait_for()
        assert page.locator("article.agenda-entry").filter(has_text="वन-टू-वन: राजगढ़").count() == 1
        check_page(page, "mobile-sign-in-03-agenda")
        assert read(served, lambda: codes(user_id))[0][1:] == (0, True)  # used
        assert read(served, lambda: db.session.get(User, user_id).last_login_at) is not None
        remember = [c for c in page.context.cookies() if c["name"] == "remember_token"]
        assert remember and remember[0]["expires"] > 0  # the sign-in lasts on this phone
