"""The journey helpers catch what they must: axe violations, required fields that can be hidden, clicks."""

from __future__ import annotations

import pytest

from tests.journeys.helpers import (
    ClickCounter,
    assert_no_required_on_hidden,
    find_required_on_hidden,
    new_journey_context,
    run_axe,
    shot,
)

pytestmark = pytest.mark.browser

BAD_PAGE = """<!doctype html><html lang="en"><head><title>bad</title></head><body><main>
<h1>Bad page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">faint text</p>
<form action="/plan" method="post">
  <label>Title <input name="title" required></label>
  <input name="nameless">
  <details><summary>More</summary><label>Venue <input name="venue" required></label></details>
  <details open><summary>Pins</summary><label>Pin <input name="pin" required></label></details>
  <div style="display:none"><label>Secret <input name="secret" required></label></div>
  <label>Ghost <input name="ghost" required style="visibility:hidden"></label>
  <fieldset><legend>Divisions</legend>
    <label><input type="checkbox" name="divisions" value="1" required> One</label>
    <label><input type="checkbox" name="divisions" value="2" required> Two</label>
  </fieldset>
  <label><input type="checkbox" name="agree" required> I agree</label>
  <input type="hidden" name="token" required>
  <button>Save</button>
</form></main></body></html>"""


@pytest.fixture
def page(browser):
    context = new_journey_context(browser, locale="en")
    try:
        yield context.new_page()
    finally:
        context.close()


def test_axe_finds_and_reports_violations(page):
    page.set_content(BAD_PAGE)
    ids = {v["id"] for v in run_axe(page, fail=False)}
    assert {"image-alt", "label", "color-contrast"} <= ids
    with pytest.raises(pytest.fail.Exception) as failure:
        run_axe(page)
    report = str(failure.value)
    assert "image-alt (critical)" in report and "img" in report and "color-contrast (serious)" in report


def test_axe_passes_a_clean_page(page):
    page.set_content('<!doctype html><html lang="en"><head><title>ok</title></head>'
                     '<body><main><h1>Fine</h1><label>Name <input name="n"></label></main></body></html>')
    assert run_axe(page) == []


def test_axe_needs_the_csp_bypass(browser, served_app):
    context = browser.new_context()  # without bypass_csp the app's CSP refuses the inline script
    try:
        page = context.new_page()
        page.goto(served_app.url + "/login")
        with pytest.raises(RuntimeError, match="bypass_csp"):
            run_axe(page)
    finally:
        context.close()


def test_required_fields_that_can_be_hidden_are_found(page):
    page.set_content(BAD_PAGE)
    found = {o["field"]: o["reasons"] for o in find_required_on_hidden(page)}
    assert set(found) == {'input[name="venue"]', 'input[name="pin"]', 'input[name="secret"]',
                          'input[name="ghost"]', 'input[name="divisions"][value="1"]',
                          'input[name="divisions"][value="2"]'}
    assert found['input[name="venue"]'] == ["inside a closed <details>"]
    assert found['input[name="pin"]'] == ["inside a <details> that the user can close"]
    assert found['input[name="secret"]'][0].startswith("display:none on div")
    assert found['input[name="ghost"]'] == ["visibility:hidden"]
    assert "a checkbox in a group of 2" in found['input[name="divisions"][value="1"]'][0]
    with pytest.raises(pytest.fail.Exception, match="6 required field"):
        assert_no_required_on_hidden(page)


def test_clicks_are_counted_and_screenshots_saved(page):
    page.set_content('<!doctype html><html lang="en"><title>home</title><main>'
                     '<a href="#two" id="a">Two</a> <button id="b">Three</button></main></html>')
    clicks = ClickCounter(page).start()
    clicks.click(page.locator("#a"))
    clicks.click(page.locator("#b"), name="the button")
    assert clicks.count == 2 and clicks.trail == ["Two", "the button"]
    clicks.assert_at_most(2)
    with pytest.raises(AssertionError, match="Two → the button"):
        clicks.assert_at_most(1)
    path = shot(page, "helpers-selftest")
    assert path.stat().st_size > 1000 and path.name == "helpers-selftest.png"
