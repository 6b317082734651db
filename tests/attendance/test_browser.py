"""A coordinator's phone: tap present, mark late, mark represented, reload: the marks are kept (acceptance 6);
a tap made while the connection is down waits in the phone's queue and is sent when it returns."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from tests.browser_support import new_phone_context
from tests.factories import DEFAULT_PASSWORD
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.extensions import db

pytestmark = pytest.mark.browser


def test_marks_on_a_phone_are_saved_and_kept_after_reload(world, coordinator, live_server, browser, artifacts_dir):
    a, b, c, d = (p.id for p in world.people[:4])
    session_id = world.session.id
    db.session.commit()  # reading the ids began a (write) transaction on SQLite: end it before the browser writes
    context = new_phone_context(browser, locale="en-IN")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server + "/login")
    page.get_by_label("Username").fill("coord")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url("**/home")

    page.goto(f"{live_server}/attendance/sessions/{session_id}")
    assert "Present 0 of 6" in page.content()

    # 1. one tap: present
    page.locator(f"#att-{a} button.att-present").tap()
    page.locator(f"#att-{a} .save-status.saved").wait_for()
    assert "Present 1 of 6" in page.locator("#roster-counts").inner_text()

    # 2. late, at a given time
    page.locator(f"#att-{b} .att-more").tap()
    page.locator(f"#late-{b}").fill("11:25")
    page.locator(f"#att-{b} button.att-late").tap()
    page.locator(f"#att-{b} .save-status.saved").wait_for()

    # 3. represented by someone (a typed name)
    page.locator(f"#att-{c} .att-more").tap()
    page.locator(f"#rep-name-{c}").fill("Ramesh Verma")
    page.locator(f"#att-{c} button.att-represented").tap()
    page.locator(f"#att-{c} .save-status.saved").wait_for()

    # 4. the connection drops: the tap waits in the phone's queue (issue 13), in view, and is sent when the
    # connection returns
    context.set_offline(True)
    page.locator(f"#att-{d} button.att-present").tap()
    page.locator(".att-queue.has-waiting").wait_for()
    assert page.evaluate("window.trackerQueue.count()") == 1
    context.set_offline(False)
    page.evaluate("window.trackerQueue.sync()")
    deadline = time.monotonic() + 15
    while page.evaluate("window.trackerQueue.count()") and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert page.evaluate("window.trackerQueue.count()") == 0

    page.reload()
    assert "is-present" in page.locator(f"#att-{d}").get_attribute("class")
    assert "is-present" in page.locator(f"#att-{a}").get_attribute("class")
    assert "is-late" in page.locator(f"#att-{b}").get_attribute("class")
    assert "11:25" in page.locator(f"#att-{b}").inner_text()
    assert "Ramesh Verma" in page.locator(f"#att-{c}").inner_text()
    assert "Present 3 of 6" in page.locator("#roster-counts").inner_text()
    page.screenshot(path=str(artifacts_dir / "attendance-roster-phone.png"), full_page=True)
    assert [e for e in errors if "Content Security Policy" in e] == []
    context.close()

    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(Attendance.person_id, Attendance.status)).all())
    assert statuses == {a: AttendanceStatus.PRESENT, b: AttendanceStatus.LATE, c: AttendanceStatus.REPRESENTED,
                        d: AttendanceStatus.PRESENT}
