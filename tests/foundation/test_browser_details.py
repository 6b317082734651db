"""Small things checked in a real browser: no ellipsis that mis-shapes Devanagari, a focus ring of at
least 3:1 on every <summary>, and one highlighted menu entry on the meetings pages."""

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


def _contrast(one: tuple[float, ...], two: tuple[float, ...]) -> float:
    def luminance(rgb):
        def channel(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (channel(c) for c in rgb[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_RING = """el => {
  const rgba = text => (text.match(/[\\d.]+/g) || []).map(Number);
  const style = getComputedStyle(el);
  let back = [255, 255, 255];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c.length >= 3 && (c.length === 3 || c[3] > 0)) { back = c.slice(0, 3); break; }
  }
  const ring = rgba(style.outlineColor);
  const alpha = ring.length > 3 ? ring[3] : 1;  // a half-transparent ring is seen blended with the page
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), back,
          ring: ring.slice(0, 3).map((c, i) => alpha * c + (1 - alpha) * back[i])};
}"""


def _tab_to(page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement && document.activeElement.matches(sel)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def _assert_visible_ring(page, selector: str) -> None:
    ring = page.locator(selector).evaluate(_RING)
    assert ring["style"] != "none" and ring["width"] >= 2, ring
    assert _contrast(ring["ring"], ring["back"]) >= 3, ring


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_every_summary_has_a_focus_ring_of_at_least_3_to_1(live_server, browser, artifacts_dir, phone):
    """On the planner: its "What to plan" disclosure and, on a phone, the menu's summary."""
    make_user(Role.OFFICE, "asha")
    context = new_journey_context(browser, phone=phone)
    page = context.new_page()
    login(page, "asha", DEFAULT_PASSWORD, live_server)
    page.goto(live_server + "/meetings/plan")
    if phone:
        _tab_to(page, ".site-menu > summary")
        _assert_visible_ring(page, ".site-menu > summary")
    _tab_to(page, "main summary")
    _assert_visible_ring(page, "main summary")
    page.screenshot(path=str(artifacts_dir / f"summary-focus-{'phone' if phone else 'desktop'}.png"))
    run_axe(page)
    context.close()


def test_the_meetings_pages_highlight_one_menu_entry(live_server, browser, artifacts_dir):
    make_user(Role.OFFICE, "asha")
    context = new_journey_context(browser)
    page = context.new_page()
    login(page, "asha", DEFAULT_PASSWORD, live_server)
    for path, expected in (("/meetings/", "/meetings/"), ("/meetings/plan", "/meetings/plan")):
        page.goto(live_server + path)
        current = page.locator('[aria-current="page"]')
        assert current.count() == 1, path
        assert current.get_attribute("href") == expected
        highlighted = page.evaluate("""() => [...document.querySelectorAll('.site-nav a')]
            .filter(a => getComputedStyle(a).backgroundColor !== getComputedStyle(a.parentElement).backgroundColor
                         && getComputedStyle(a).backgroundColor !== 'rgba(0, 0, 0, 0)')
            .map(a => a.getAttribute('href'))""")
        assert highlighted == [expected], path
        page.locator(".site-nav").screenshot(
            path=str(artifacts_dir / f"nav-{path.strip('/').replace('/', '-')}-desktop.png"))
    context.close()
