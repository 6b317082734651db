"""My agenda in a real browser: reads on a phone without sideways scrolling, prints on one page."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import new_phone_context
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.meetings.conftest import group_data, new_meeting
from tracker.meetings import operations as ops

pytestmark = pytest.mark.browser


def test_agenda_on_a_phone_and_on_paper(world, clock, live_server, browser, artifacts_dir):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world, title_hi="अल्फ़ा संभाग के जिला अध्यक्ष",
                                                  what_to_bring_hi="जिले की संगठन सूची और बूथ समितियों की स्थिति"))
    for title in ("स्वागत और परिचय", "संगठन सृजन अभियान: उद्देश्य और गतिविधियाँ", "प्रशिक्षण की प्रक्रिया"):
        ops.add_agenda_item(session, {"title_hi": title, "minutes": 30})
    ops.add_session(meeting, {"kind": "one_to_one", "day": meeting.starts_on, "start": group_data(world)["end"],
                              "end": group_data(world, start=(13, 15))["start"], "district_unit_id": world.a1.id,
                              "reviewer_person_ids": [world.ci.id], "room": "कक्ष 1"})
    ops.publish_meeting(meeting)
    make_user("president", "praveen_b", person=world.pa1, locale="hi")

    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("उपयोगकर्ता नाम").fill("praveen_b")
    page.get_by_label("पासवर्ड").fill(DEFAULT_PASSWORD)
    page.get_by_label("पासवर्ड").press("Enter")
    page.wait_for_url("**/agenda")  # a district president's home is their agenda
    page.goto(live_server + "/agenda")
    assert "22 सितंबर 2025" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(artifacts_dir / "agenda-hi-phone.png"), full_page=True)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(artifacts_dir / "agenda-hi-print.png"), full_page=True)
    pdf = page.pdf(format="A4")
    (artifacts_dir / "agenda-hi.pdf").write_bytes(pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    context.close()
