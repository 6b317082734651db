"""Issue 12, acceptance 1c: a personal link taken from a captured SMS invitation opens, on a phone in
Hindi and without signing in, the president's agenda and nothing of anyone else; opening it changes
nothing; the office revokes it from the person's page; opening it again is refused. The database is
read after each step."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.harness.server import TEST_SECRET_KEY
from tests.journeys.district_world import NOW, make_district_world, read
from tests.journeys.helpers import check_page, journey_page, login
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.reminders import operations as ops
from tracker.reminders.models import MessageKind, PersonalLink
from tracker.timeutil import parse_instant

pytestmark = pytest.mark.browser


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def links_of(person_id: int) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        sa.select(PersonalLink.expires_at, PersonalLink.revoked_at, PersonalLink.revoked_by)
        .where(PersonalLink.person_id == person_id))]


def test_a_personal_link_from_an_sms_opens_the_agenda_until_the_office_revokes_it(
        app, browser, serve_app, webhook_receiver, monkeypatch):
    world = make_district_world()
    person_id = world.president.id
    make_user(Role.OFFICE, "karyalay", locale="hi")
    db.session.commit()
    served = serve_app(now=NOW, webhook=webhook_receiver)
    # Queue the invitation as the served app would (its secret key, its address, the SMS channel).
    webhook_receiver.configure(app, monkeypatch)
    monkeypatch.setitem(app.config, "SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setitem(app.config, "PUBLIC_URL", served.url)
    message = ops.queue_invitation(world.meeting, world.president, parse_instant(NOW))
    assert message.kind == MessageKind.INVITATION and message.channel.value == "sms"
    db.session.commit()
    served.cli("outbox", "deliver")

    (sms,) = webhook_receiver.wait_for(1)
    text = sms.json["text"]
    link = text.rstrip("\n").splitlines()[-1]
    assert link.startswith(served.url + "/p/") and "[[" not in link, text
    assert "संलग्न" not in text and "attached" not in text
    # The registered Hindi invitation template, filled in; the link is its last variable.
    template = sms.json["template"]
    assert (template["name"], template["language"]) == ("invitation", "hi") and template["variables"][-1] == link
    assert text == hindi("Invitation: %(meeting)s, %(when)s. Agenda and pass:\n%(link)s",
                         meeting="जिला अध्यक्षों की बैठक", when=template["variables"][1], link=link)

    with journey_page(browser, "personal-link-failed", served=served, phone=True, locale="hi") as page:
        before = read(served, counts)
        response = page.goto(link)
        assert response.status == 200
        page.get_by_role("heading", level=1, name=hindi("Agenda of %(name)s", name="प्रियव्रत सिंह")).wait_for()
        main = page.locator("main").inner_text()
        assert "भोपाल संभाग का सामूहिक सत्र" in main and "वन-टू-वन: राजगढ़" in main
        assert "संजय दत्त" not in main  # the in-charge (another person) is not shown
        assert "/login" not in page.url
        assert page.locator("main img.att-qr").count() == 2  # the passes of both sessions
        check_page(page, "personal-link-01-agenda")
        assert read(served, counts) == before  # opening the link changed nothing
        (stored,) = read(served, lambda: links_of(person_id))
        assert stored[1] is None

    with journey_page(browser, "personal-link-office-failed", served=served, phone=True, locale="hi") as page:
        login(page, "karyalay", DEFAULT_PASSWORD, served.url)
        page.goto(f"{served.url}/directory/people/{person_id}")
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Revoke personal links")).click()
        with force_locale("hi"):
            done = ngettext("%(num)d personal link revoked.", "%(num)d personal links revoked.", 1)
        page.locator("#flashes").filter(has_text=done).wait_for()
        check_page(page, "personal-link-02-revoked")
        (stored,) = read(served, lambda: links_of(person_id))
        assert stored[1] is not None and stored[2] == "office"

    with journey_page(browser, "personal-link-refused-failed", served=served, phone=True, locale="hi") as page:
        response = page.goto(link)
        assert response.status == 410
        assert hindi("This link has expired or has been revoked. Sign in with your mobile number to see your "
                     "agenda.") in page.locator("main").inner_text()
        assert "भोपाल संभाग का सामूहिक सत्र" not in page.locator("main").inner_text()
        check_page(page, "personal-link-03-refused")
