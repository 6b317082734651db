"""Issue 12 (RSVP), the office's side: on a desktop, in Hindi, the office goes from the home page to the
published two-day meeting, opens its replies, reads the counts (per session, per division, stays and
meals), presses "remind those who have not answered", reads the confirmation (how many, through which
channels), confirms, and only those who have not answered get a message (the outbox is read after the
submit); a second press sends nothing twice; the reply list downloads as CSV."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.journeys.district_world import read
from tests.journeys.helpers import check_page, journey_page, login, shot
from tests.meetings.conftest import START, World, group_data, new_meeting
from tracker.auth.models import Role
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings import replies
from tracker.meetings.models import Invitation, ReplyAnswer
from tracker.reminders.models import MessageKind, OutboxMessage

pytestmark = pytest.mark.browser

NOW = "2025-09-20T10:00:00+05:30"  # two days before the meeting


def hindi(text: str, **kwargs) -> str:
    with force_locale("hi"):
        return _(text, **kwargs)


def hindi_plural(singular: str, plural: str, num: int) -> str:
    with force_locale("hi"):
        return ngettext(singular, plural, num)


def _invitation(session, person) -> Invitation:
    return db.session.scalar(sa.select(Invitation).where(Invitation.session_id == session.id,
                                                         Invitation.person_id == person.id))


def _world():
    """Division A (two presidents) on both days, division B (one) on day 2; the chair has no number. Praveen
    comes on both days, Anil cannot come on day 1 and has not answered for day 2; nobody else answered."""
    world = World()
    world.si.mobile = None
    meeting = new_meeting("District presidents' meeting", days=2)
    meeting.title_hi = "जिला अध्यक्षों की बैठक"
    day1 = ops.add_session(meeting, group_data(world, title_hi="पहला दिन"))
    day2 = ops.add_session(meeting, group_data(world, day=START + timedelta(days=1), units=[world.div_a, world.div_b],
                                               title_hi="दूसरा दिन"))
    ops.publish_meeting(meeting)
    replies.record_reply(_invitation(day1, world.pa1), ReplyAnswer.ATTENDING)
    replies.record_reply(_invitation(day2, world.pa1), ReplyAnswer.ATTENDING)
    replies.record_reply(_invitation(day1, world.pa2), ReplyAnswer.NOT_ATTENDING, reason="परिवार में विवाह")
    make_user(Role.OFFICE, "karyalay", locale="hi")
    db.session.commit()
    return world, meeting, (day1, day2)


def _reply_requests() -> list[int]:
    return sorted(db.session.scalars(sa.select(OutboxMessage.recipient_person_id)
                                     .where(OutboxMessage.kind == MessageKind.REPLY_REQUEST)))


def test_office_reminds_only_those_who_have_not_answered(browser, serve_app, fixed_now):
    fixed_now(NOW)
    world, meeting, (day1, day2) = _world()
    meeting_id = meeting.id
    silent = sorted([world.pa2.id, world.pb1.id, world.ci.id, world.org.id])  # the chair cannot be reached
    served = serve_app(now=NOW)

    with journey_page(browser, "office-replies-journey-failed", served=served, locale="hi") as page:
        login(page, "karyalay", DEFAULT_PASSWORD, served.url)
        page.locator("nav.site-nav").get_by_role("link", name=hindi("Meetings")).click()
        page.get_by_role("link", name="जिला अध्यक्षों की बैठक").first.click()
        page.get_by_role("navigation", name=hindi("Meeting pages")).get_by_role(
            "link", name=hindi("Replies")).click()
        page.get_by_role("heading", level=2, name=hindi("Expected counts")).wait_for()
        day1_row = page.locator(f'tr[data-session="{day1.id}"]')
        assert day1_row.locator('td[data-answer="attending"]').inner_text() == "1"
        assert day1_row.locator('td[data-answer="not_attending"]').inner_text() == "1"
        stays = page.locator("#stays")
        assert stays.locator(f'tr[data-day="{START.isoformat()}"] td[data-kind="night"]').inner_text() == "1"
        assert page.locator("#unanswered h2").inner_text().endswith("(5)")
        check_page(page, "office-replies-journey-01-counts")
        assert page.get_by_role("button", name=hindi("Print the reply list")).is_visible()
        page.emulate_media(media="print")  # the printed list: no buttons, no reminder section, every row
        assert not page.locator("#unanswered").is_visible() and not page.locator("nav.site-nav").is_visible()
        assert page.locator("#reply-list tbody tr").count() == 6
        shot(page, "office-replies-journey-01-print")
        page.emulate_media(media="screen")

        page.get_by_role("button", name=hindi("Remind those who have not answered")).click()
        confirm = page.locator("article.confirm")
        confirm.wait_for()
        assert hindi_plural("%(num)s person has not answered yet. Each gets one message asking for their reply, "
                            "with their personal link.", "%(num)s people have not answered yet. Each gets one "
                            "message asking for their reply, with their personal link.", 5).replace(
            "%(num)s", "5") in confirm.inner_text()
        assert confirm.locator('li[data-channel="console"]').inner_text().endswith("4")
        assert confirm.locator('li[data-channel="none"]').inner_text().endswith("1")
        check_page(page, "office-replies-journey-02-confirm")
        assert read(served, _reply_requests) == []

        page.get_by_role("button", name=hindi("Send the reminders")).click()
        page.locator("#flashes").filter(has_text="4").wait_for()
        assert read(served, _reply_requests) == silent
        check_page(page, "office-replies-journey-03-sent")

        # A second press a moment later sends nothing twice.
        page.get_by_role("button", name=hindi("Remind those who have not answered")).click()
        page.get_by_role("button", name=hindi("Send the reminders")).click()
        page.locator("#flashes").filter(has_text=hindi(
            "Nobody was reminded: those who have not answered were reminded a short while ago, or cannot be "
            "reached.")).wait_for()
        assert read(served, _reply_requests) == silent

        with page.expect_download() as download:
            page.get_by_role("button", name=hindi("Download %(format)s", format="CSV")).click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert download.value.suggested_filename == f"replies-{meeting_id}-{START.isoformat()}.csv"
        assert text.splitlines()[0].startswith(",".join(hindi(h) for h in ("Name", "Mobile", "District",
                                                                              "Division")))
        assert "परिवार में विवाह" in text and "प्रवीण सक्सेना" in text
