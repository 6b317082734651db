"""A real browser at phone size: log in, switch Hindi ⇄ English, keep a screenshot."""

import pytest

from tests.browser_support import new_phone_context
from tests.factories import DEFAULT_PASSWORD, make_user
from tracker.auth.models import Role

pytestmark = pytest.mark.browser


def _devanagari_glyph_width(page) -> float:
    """Width of a Devanagari string as rendered: a missing font gives equal-width boxes ("tofu")."""
    return page.evaluate(
        """() => {
            const c = document.createElement('canvas').getContext('2d');
            c.font = '20px "Noto Sans Devanagari"';
            return c.measureText('क्ष').width - c.measureText('कक').width;
        }"""
    )


def test_login_and_switch_languages_on_a_phone(live_server, browser, artifacts_dir):
    make_user(Role.OFFICE, "asha", full_name="Asha Verma")
    context = new_phone_context(browser, locale="hi-IN")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server + "/")
    assert page.url.endswith("/login")
    assert page.locator("html").get_attribute("lang") == "hi"
    page.get_by_label("उपयोगकर्ता नाम").fill("asha")
    page.get_by_label("पासवर्ड").fill(DEFAULT_PASSWORD)
    page.locator("form button[type=submit], form input[type=submit]").filter(has_text="लॉग इन").first.click()
    page.wait_for_url("**/home")
    assert "नमस्ते" in page.content()
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Devanagari\"', 'नमस्ते')")
    page.screenshot(path=str(artifacts_dir / "home-hi-phone.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Namaste" in page.content()
    page.screenshot(path=str(artifacts_dir / "home-en-phone.png"), full_page=True)

    page.get_by_role("button", name="हिन्दी").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "hi"
    assert [e for e in errors if "Content Security Policy" in e] == []
    # Conjuncts are shaped (a real Devanagari font), not drawn as boxes.
    assert _devanagari_glyph_width(page) != 0
    context.close()
