"""Issue 13: every mark goes first into the phone's queue, the person's panel's too (late with its
arrival time, excused, absent, represented), and the panel opens without network.

A phone in Hindi opens today's roster from the home page by clicking; the network is cut
(:func:`tests.harness.network.cut_network`: the page's and the service worker's requests fail). "More"
then builds the person's panel on the phone (the roster's ``<template>``; the directory search replaced
by a note, the typed name kept): one person is marked excused, one late at a typed time, one represented
by a typed name, one absent. The page shows 4 waiting and the server has nothing. Back online, the queue
is sent: 0 waiting, and each record has its state, the typed arrival time (on the session's day, local),
the typed representative, and one history entry.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from playwright.sync_api import expect

from tests.attendance.test_browser_offline_queue import DAY, NOW, _seed
from tests.factories import DEFAULT_PASSWORD
from tests.harness.network import cut_network, restore_network
from tests.journeys.helpers import check_page, journey_page, login, shot
from tracker.attendance.models import Attendance, AttendanceStatus
from tracker.audit.models import AuditEntry
from tracker.extensions import db
from tracker.timeutil import local_to_utc

pytestmark = [pytest.mark.browser, pytest.mark.serial]

LATE_AT = "11:20"
REPRESENTATIVE = "रामलाल वर्मा"


def _records(session_id: int) -> dict:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Attendance).where(Attendance.session_id == session_id)).all()
    records = {row.person_id: row for row in rows}
    entries = dict(db.session.execute(sa.select(AuditEntry.entity_id, sa.func.count()).where(
        AuditEntry.entity_type == "attendance").group_by(AuditEntry.entity_id)).all())
    db.session.commit()  # end the read: an open SQLite transaction would keep the server from writing
    return {"records": records, "entries": entries}


def _open_panel(page, pid: int, name: str):
    """Tap the row's "More" with no network: the panel is built on the phone."""
    with force_locale("hi"):
        more = _("More")
    page.locator(f"#att-{pid}").get_by_role("button", name=f"{more} — {name}").tap()
    panel = page.locator(f"#panel-{pid}")
    expect(panel.locator(".att-panel-body")).to_be_visible()
    return panel


def test_the_panels_states_wait_offline_and_reach_the_server(browser, serve_app):
    seed = _seed()
    served = serve_app(now=NOW)
    (excused, late, represented, absent), names = seed["people"][:4], seed["names"][:4]
    with force_locale("hi"):
        waiting = _("%(count)s waiting to be sent", count=4)
        none_waiting = _("%(count)s waiting to be sent", count=0)
        offline_note = _("The directory search needs the network: type the representative's name.")
        excused_label, absent_label = _("Excused (informed)"), _("Absent")
        late_label, represented_label = _("Late"), _("Mark as represented")
        pending = _("Waiting to be sent")
    with journey_page(browser, "offline-panel-failed", served=served, phone=True, locale="hi") as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, "coord", DEFAULT_PASSWORD, served.url)
        page.locator("main a.session-line").filter(has_text="हाज़िरी सत्र").click()
        page.wait_for_url(f"**/attendance/sessions/{seed['session']}")
        page.locator("[data-queue-count]").wait_for()
        cut_network(page.context)

        panel = _open_panel(page, excused, names[0])
        # the same forms as online, the person's name in each button's name; no directory search offline
        expect(panel.get_by_text(offline_note)).to_be_visible()
        assert panel.locator("[data-rep-search]").count() == 0
        expect(panel.get_by_role("button", name=f"{late_label} — {names[0]}")).to_be_visible()
        panel.locator(".att-represented-form").scroll_into_view_if_needed()
        check_page(page, "offline-panel-01-built-on-the-phone")
        shot(page, "offline-panel-01b-viewport", full_page=False)
        panel.get_by_role("button", name=f"{excused_label} — {names[0]}").tap()
        expect(page.locator(f"#att-{excused} .save-status.pending")).to_have_text(pending)
        expect(panel.locator(".att-panel-body")).to_have_count(0)  # closed after the mark, as online

        panel = _open_panel(page, late, names[1])
        # the arrival time offered is the office's clock now (the zone the server reads it in), not the
        # phone's zone (this browser's is UTC)
        offered = panel.get_by_label(_label("Arrived at")).input_value()
        office_now = datetime.now(ZoneInfo(served_zone()))
        assert offered in {(office_now + timedelta(minutes=m)).strftime("%H:%M") for m in (-1, 0, 1)}, offered
        panel.get_by_label(_label("Arrived at")).fill(LATE_AT)
        panel.get_by_role("button", name=f"{late_label} — {names[1]}").tap()

        panel = _open_panel(page, represented, names[2])
        panel.get_by_label(_label("Representative's name")).fill(REPRESENTATIVE)
        panel.locator(".att-represented-form").scroll_into_view_if_needed()
        shot(page, "offline-panel-02-typed-representative", full_page=False)
        panel.get_by_role("button", name=f"{represented_label} — {names[2]}").tap()

        panel = _open_panel(page, absent, names[3])
        panel.get_by_role("button", name=f"{absent_label} — {names[3]}").tap()

        expect(page.locator("[data-queue-count]")).to_have_text(waiting)
        assert page.evaluate("() => window.trackerQueue.count()") == 4
        for pid in (excused, late, represented, absent):
            expect(page.locator(f"#att-{pid} .save-status.pending")).to_have_text(pending)
        queued = {item["person_id"]: item for item in page.evaluate("() => window.trackerQueue.items()")}
        assert {pid: item["status"] for pid, item in queued.items()} == {
            excused: "excused", late: "late", represented: "represented", absent: "absent"}
        assert queued[late]["late_time"] == LATE_AT and queued[represented]["represented_by_name"] == REPRESENTATIVE
        # the queue's list names each person with the state waiting to be sent
        with force_locale("hi"):
            excused_title = str(AttendanceStatus.EXCUSED.title)
        expect(page.locator(".att-queue-item.is-waiting").first).to_have_text(f"{names[0]} · {excused_title}{pending}")
        expect(page.locator(".att-queue-list")).to_contain_text(names[3])
        page.evaluate("() => window.scrollTo(0, 0)")
        shot(page, "offline-panel-03-four-waiting", full_page=False)
        assert _records(seed["session"])["records"] == {}  # nothing reached the server

        restore_network(page.context)
        page.evaluate("() => window.trackerQueue.sync()")
        expect(page.locator("[data-queue-count]")).to_have_text(none_waiting, timeout=20000)
        written = _records(seed["session"])
        records = written["records"]
        assert set(records) == {excused, late, represented, absent}
        assert {pid: r.status for pid, r in records.items()} == {
            excused: AttendanceStatus.EXCUSED, late: AttendanceStatus.LATE,
            represented: AttendanceStatus.REPRESENTED, absent: AttendanceStatus.ABSENT}
        assert records[late].late_at == local_to_utc(DAY, time(11, 20))  # the typed time, on the session's day
        assert (records[represented].represented_by_name, records[represented].represented_by_person_id) == (
            REPRESENTATIVE, None)
        assert all(written["entries"].get(r.id) == 1 for r in records.values()), written["entries"]
        assert page.evaluate("() => window.trackerQueue.count()") == 0
        expect(page.locator(f"#att-{represented} .att-state")).to_contain_text(REPRESENTATIVE)
        page.locator(f"#att-{represented}").scroll_into_view_if_needed()
        shot(page, "offline-panel-04b-rows-saved", full_page=False)
        page.evaluate("() => window.scrollTo(0, 0)")
        check_page(page, "offline-panel-04-all-sent")
        assert errors == []


def served_zone() -> str:
    from tracker.timeutil import local_zone

    return local_zone().key


def _label(msgid: str) -> str:
    with force_locale("hi"):
        return _(msgid)
