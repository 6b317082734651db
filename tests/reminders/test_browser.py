"""The outbox page on a phone, in Hindi: pause all sending, open a message; screenshots kept."""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD, make_user
from tracker.extensions import db
from tracker.meetings import signals
from tracker.reminders import operations as ops

pytestmark = pytest.mark.browser


def test_office_pauses_sending_and_reads_a_message_on_a_phone(live_server, browser, artifacts_dir, world, clock):
    from tests.browser_support import new_phone_context

    signals.meeting_published.send(world.meeting)
    make_user("office", "asha", locale="hi")
    db.session.commit()

    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server + "/login")
    page.get_by_label("उपयोगकर्ता नाम").fill("asha")
    page.get_by_label("पासवर्ड").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="लॉग इन").click()
    page.wait_for_url("**/home")

    page.goto(live_server + "/outbox/")
    assert "आउटबॉक्स" in page.content()
    page.screenshot(path=str(artifacts_dir / "outbox-hi-phone.png"), full_page=True)

    page.get_by_role("button", name="सभी संदेशों का भेजना रोकें").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="भेजना फिर शुरू करें").is_visible()
    db.session.expire_all()
    assert ops.sending_paused()

    page.get_by_role("link", name="निमंत्रण: जिला अध्यक्षों की बैठक").first.click()
    page.wait_for_load_state()
    assert "22 सितंबर 2025" in page.content()
    page.screenshot(path=str(artifacts_dir / "outbox-message-hi-phone.png"), full_page=True)
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()
