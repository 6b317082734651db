"""Issue 19, acceptance 2, the presidents' part in a browser at phone size, in Hindi: the circular's SMS and
WhatsApp messages are read from the local webhook receiver; two presidents acknowledge it from the personal
link in their message, a third signs in and answers with a number from their home page. The database is
read after each submit."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from tests.circulars.conftest import NOW, TODAY
from tests.factories import DEFAULT_PASSWORD
from tests.harness.server import TEST_SECRET_KEY
from tests.journeys.district_world import read
from tests.journeys.helpers import check_page, journey_page, login
from tracker.circulars import operations as ops
from tracker.circulars.models import AnswerKind, CircularRecipient, RecipientScope
from tracker.extensions import db
from tracker.timeutil import now_utc

pytestmark = pytest.mark.browser

TITLE = "बूथ समितियाँ"


def hindi(text: str) -> str:
    with force_locale("hi"):
        return _(text)


def hindi_n(singular: str, plural: str, num: int) -> str:
    with force_locale("hi"):
        return ngettext(singular, plural, num)


def reminded_counts() -> dict:
    from tracker.directory.models import Unit

    rows = db.session.execute(sa.select(Unit.code, CircularRecipient.remind_count)
                              .join(CircularRecipient, CircularRecipient.district_unit_id == Unit.id, isouter=True)
                              .where(Unit.code.in_(["bhopal_city", "raisen", "rajgarh", "sehore", "vidisha",
                                                    "indore_city"])))
    return dict(rows.all())


def state_of(code: str) -> tuple:
    from tracker.directory.models import Unit

    row = db.session.execute(
        sa.select(CircularRecipient.read_at, CircularRecipient.acknowledged_at, CircularRecipient.answered_at,
                  CircularRecipient.answer_number)
        .join(Unit, Unit.id == CircularRecipient.district_unit_id).where(Unit.code == code)).one()
    return tuple(row)


def test_presidents_acknowledge_and_answer_a_circular_on_their_phones(app, browser, serve_app, webhook_receiver,
                                                                      world, monkeypatch):
    served = serve_app(now=NOW, webhook=webhook_receiver)
    webhook_receiver.configure(app, monkeypatch)
    monkeypatch.setitem(app.config, "SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setitem(app.config, "PUBLIC_URL", served.url)
    draft = ops.Draft(title=TITLE, body="कितनी बूथ समितियाँ बनीं?", answer_kind=AnswerKind.NUMBER,
                      due_on=date(2026, 12, 10), scope=RecipientScope.DIVISION,
                      division_id=world.region.divisions[0].id)
    circular = ops.send_circular(world.office, draft, now_utc(), TODAY)
    db.session.commit()
    served.cli("outbox", "deliver")
    messages = {m.json["to"]: m.json for m in webhook_receiver.wait_for(4)}
    links = {number: payload["text"].rstrip("\n").splitlines()[-1] for number, payload in messages.items()}
    assert all(link.startswith(served.url + "/p/") for link in links.values())

    for number, code in (("+919800000001", "bhopal_city"), ("+919800000002", "raisen")):
        with journey_page(browser, f"circular-ack-{code}-failed", served=served, phone=True, locale="hi") as page:
            page.goto(links[number])
            check_page(page, f"circulars-01-{code}-personal-page")
            page.get_by_role("link", name=TITLE).click()
            page.get_by_role("heading", level=1, name=TITLE).wait_for()
            check_page(page, f"circulars-02-{code}-circular")
            assert read(served, lambda code=code: state_of(code))[0] is None  # opening the link changes nothing
            with page.expect_navigation():
                page.get_by_role("button", name=hindi("Acknowledge")).click()
            page.locator("#flashes").filter(
                has_text=hindi("Thank you: the state office sees that you acknowledged it.")).wait_for()
            check_page(page, f"circulars-03-{code}-acknowledged")
            read_at, acknowledged_at, answered_at, _number = read(served, lambda code=code: state_of(code))
            assert read_at and acknowledged_at and answered_at is None

    with journey_page(browser, "circular-answer-failed", served=served, phone=True, locale="hi") as page:
        login(page, "pres2", DEFAULT_PASSWORD, served.url)  # Rajgarh's president, signed in
        check_page(page, "circulars-04-rajgarh-home")
        page.get_by_role("link", name=TITLE).click()
        page.get_by_role("heading", level=1, name=TITLE).wait_for()
        check_page(page, "circulars-05-rajgarh-circular")
        assert read(served, lambda: state_of("rajgarh"))[0] is not None  # opened signed in: read
        page.get_by_label(hindi("Your answer (a number)")).fill("42")
        with page.expect_navigation():
            page.get_by_role("button", name=hindi("Send the answer")).click()
        page.locator("#flashes").filter(has_text=hindi("Thank you: your answer was sent to the state office.")).wait_for()
        assert read(served, lambda: state_of("rajgarh"))[3] == 42
        assert page.locator("main").get_by_text("42").count() >= 1
        check_page(page, "circulars-06-rajgarh-answered")

    assert read(served, lambda: state_of("sehore"))[:3] == (None, None, None)

    # The office opens the circular's table from the circulars list and reminds those who have not: the button
    # and its confirmation say whom (Sehore and Vidisha: neither acknowledged nor answered); only Sehore's president
    # gets a message (Vidisha's post is vacant), not the two who acknowledged without answering yet.
    webhook_receiver.clear()
    with journey_page(browser, "circular-remind-failed", served=served, locale="hi") as page:
        login(page, "karyalay", DEFAULT_PASSWORD, served.url)
        page.goto(served.url + "/circulars/")
        page.get_by_role("link", name=TITLE).click()
        page.get_by_role("heading", level=1, name=TITLE).wait_for()
        check_page(page, "circulars-07-office-status")
        button = page.locator("button[data-remind]")
        assert button.inner_text() == hindi_n("Remind the %(num)d district that has neither acknowledged nor answered",
                                              "Remind the %(num)d districts that have neither acknowledged nor answered",
                                              2)
        dialogs = []
        page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        with page.expect_navigation():
            button.click()
        assert dialogs and dialogs[0].startswith("जिन 2 जिलों ने न प्राप्ति स्वीकार की है")
        page.locator("#flashes").filter(has_text="जिस 1 जिले ने न प्राप्ति स्वीकार की थी").wait_for()
        check_page(page, "circulars-08-office-reminded")
    served.cli("outbox", "deliver")
    reminders = webhook_receiver.wait_for(1)
    assert [m.json["to"] for m in reminders] == ["+919800000004"]
    assert read(served, lambda: reminded_counts()) == {"bhopal_city": 0, "raisen": 0, "rajgarh": 0, "sehore": 1,
                                                        "vidisha": 0, "indore_city": None}
    assert circular.id
