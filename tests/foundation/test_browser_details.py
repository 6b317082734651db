"""Small things checked in a real browser: no ellipsis that mis-shapes Devanagari."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories import DEFAULT_PASSWORD, make_user
from tests.journeys.helpers import login, new_journey_context, run_axe
from tracker.auth.models import Role

pytestmark = pytest.mark.browser

CSS = Path(__file__).resolve().parents[2] / "tracker" / "static" / "css"
LONG_HINDI_NAME = "उपस्थिति समन्वयक श्रीमती सुमित्रा देवी चौहान-विश्वकर्मा"


def test_no_stylesheet_of_the_app_cuts_text_with_an_ellipsis():
    """Chromium draws Devanagari wrongly under text-overflow: ellipsis ("उपस्थिति" → "उर्पास्थेति")."""
    for path in sorted(CSS.glob("*.css")):
        rules = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"text-overflow\s*:\s*ellipsis", rules), path.name


def test_a_long_hindi_name_in_the_user_bar_is_shown_whole(live_server, browser, artifacts_dir):
    make_user(Role.COORDINATOR, "sumitra", full_name=LONG_HINDI_NAME)
    context = new_journey_context(browser, phone=True)
    page = context.new_page()
    login(page, "sumitra", DEFAULT_PASSWORD, live_server)
    page.evaluate("document.fonts.ready")
    name = page.locator(".user-bar .user-name")
    assert name.inner_text() == LONG_HINDI_NAME
    shown = name.evaluate("""el => { const s = getComputedStyle(el);
        return {overflow: s.textOverflow, clipped: el.scrollWidth > el.clientWidth + 1,
                right: el.getBoundingClientRect().right, width: document.documentElement.clientWidth}; }""")
    assert shown["overflow"] != "ellipsis" and not shown["clipped"], shown
    assert shown["right"] <= shown["width"], shown  # wraps inside the phone's width
    cut = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => getComputedStyle(el).textOverflow === 'ellipsis').map(el => el.className || el.tagName)""")
    assert cut == []
    page.locator(".user-bar").screenshot(path=str(artifacts_dir / "user-bar-long-hindi-name-phone.png"))
    run_axe(page)
    context.close()
