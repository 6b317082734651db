"""Helpers for the journey tests: Playwright steps as a user takes them, with the checks every page gets.

    from tests.journeys.helpers import (ClickCounter, assert_no_required_on_hidden, journey_page, login,
                                        run_axe, shot)

    served = serve_app(now="2025-09-22T09:30:00+05:30")          # tests/harness
    with journey_page(browser, "coordinator-failed", served=served, phone=True) as page:  # Hindi, CSP bypassed
        login(page, "coord", DEFAULT_PASSWORD, served.url)        # types and clicks on /login
        clicks = ClickCounter(page)                               # counts from the home page
        clicks.click(page.get_by_role("link", name="उपस्थिति"))
        check_page(page, "coordinator-02-attendance")             # axe + required-on-hidden + screenshot
        assert clicks.count <= 3

Every helper fails the test with a readable list (axe violations: id, impact, target; required fields
that can be hidden: the field and why).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.browser_support import PHONE_VIEWPORT

TESTS = Path(__file__).resolve().parent.parent
ARTIFACTS = TESTS / "artifacts" / "journeys"
AXE_PATH = TESTS / "vendor" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA (axe has no wcag22a tag: 2.2's new A criteria carry wcag22aa
# or are not automatable).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
DESKTOP_VIEWPORT = {"width": 1280, "height": 800}


# --- browser context -----------------------------------------------------------------------------


def new_journey_context(browser, *, phone: bool = False, locale: str = "hi", **kwargs):
    """A context for a journey: Hindi (or English) Accept-Language, phone (390x844, touch) or desktop,
    and ``bypass_csp`` so that axe can be injected (the app's CSP forbids inline scripts)."""
    kwargs.setdefault("bypass_csp", True)
    kwargs.setdefault("locale", {"hi": "hi-IN", "en": "en-IN"}.get(locale, locale))
    if phone:
        kwargs.setdefault("viewport", PHONE_VIEWPORT)
        kwargs.setdefault("device_scale_factor", 2)
        kwargs.setdefault("is_mobile", True)
        kwargs.setdefault("has_touch", True)
    else:
        kwargs.setdefault("viewport", DESKTOP_VIEWPORT)
    return browser.new_context(**kwargs)


@contextmanager
def journey_page(browser, failure_shot: str, *, served=None, **context_kwargs) -> Iterator:
    """A page of a new journey context (``new_journey_context``'s arguments), closed when the block ends.

    When the journey fails, the page as it was is saved as the screenshot ``failure_shot`` and, given
    the ``served`` app, the tail of its log is printed: what the user saw and what the server did."""
    context = new_journey_context(browser, **context_kwargs)
    page = context.new_page()
    try:
        yield page
    except BaseException:
        shot(page, failure_shot)
        if served is not None:
            print(served.log_tail())
        raise
    finally:
        context.close()


# --- steps -----------------------------------------------------------------------------------------


def login(page, username: str, password: str, base_url: str | None = None) -> None:
    """Type the username and password on /login and click the form's submit button.

    The page goes to ``base_url``/login first, or to /login of the site it shows when it is not on
    the login page already. Fails the test if the browser is still on /login afterwards.
    """
    if base_url is not None:
        page.goto(base_url.rstrip("/") + "/login")
    elif not re.search(r"/login(\?|$)", page.url):
        match = re.match(r"https?://[^/]+", page.url)
        if match is None:
            raise ValueError("login(): give base_url, the page is on no site yet")
        page.goto(match.group(0) + "/login")
    form = page.locator("main form:has(input[name=password])")  # not the form for the mobile number
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()
    if re.search(r"/login(\?|$)", page.url):
        flashes = page.locator("#flashes").inner_text()
        pytest.fail(f"login as {username!r} failed: still on {page.url}: {flashes.strip()}")


class ClickCounter:
    """Counts the clicks a journey takes from the home page (acceptance: a roster in at most 3).

    ``start(base_url)`` opens the home page (as the user does after logging in) and sets the count to
    0; ``click(locator)`` clicks a visible link or button (Playwright's actionability checks: visible,
    enabled, not covered), waits for the page to settle and counts one. ``trail`` names each click.
    """

    def __init__(self, page):
        self.page = page
        self.count = 0
        self.trail: list[str] = []

    def start(self, base_url: str | None = None) -> ClickCounter:
        if base_url is not None:
            self.page.goto(base_url.rstrip("/") + "/")
        self.count = 0
        self.trail = []
        return self

    def click(self, locator, name: str | None = None) -> None:
        label = name or (locator.inner_text(timeout=5000) or "").strip() or str(locator)
        locator.click()
        self.page.wait_for_load_state()
        self.count += 1
        self.trail.append(label)

    def assert_at_most(self, clicks: int) -> None:
        assert self.count <= clicks, f"{self.count} clicks (at most {clicks}): {' → '.join(self.trail)}"


def shot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot of the step as tests/artifacts/journeys/<name>.png (returns the path)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- checks ----------------------------------------------------------------------------------------

_REQUIRED_ON_HIDDEN = r"""
() => {
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.getAttribute('name') ? `[name="${el.getAttribute('name')}"]` : '')
    + (el.type === 'checkbox' || el.type === 'radio' ? `[value="${el.value}"]` : '');
  const offenders = [];
  for (const el of document.querySelectorAll('input[required], select[required], textarea[required]')) {
    if (el.type === 'hidden' || el.disabled) continue;  // the browser never validates these
    const reasons = [];
    const details = el.closest('details');
    if (details && !(el.closest('summary'))) {
      reasons.push(details.open ? 'inside a <details> that the user can close' : 'inside a closed <details>');
    }
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none') { reasons.push('display:none on ' + describe(node)); break; }
    }
    const visibility = getComputedStyle(el).visibility;
    if (visibility === 'hidden' || visibility === 'collapse') reasons.push('visibility:' + visibility);
    if (el.type === 'checkbox' && el.name) {
      const scope = el.form || document;
      const group = scope.querySelectorAll(`input[type=checkbox][name="${CSS.escape(el.name)}"]`);
      if (group.length > 1) reasons.push(`a checkbox in a group of ${group.length} (required makes every box mandatory)`);
    }
    if (reasons.length) {
      offenders.push({field: describe(el), form: el.form ? (el.form.getAttribute('action') || '(this page)') : '',
                      reasons});
    }
  }
  return offenders;
}
"""


def find_required_on_hidden(page) -> list[dict]:
    """Inputs/selects/textareas with ``required`` that the user may not see or cannot satisfy one by one:
    inside a <details> (closed, or open and closable), under display:none, visibility:hidden, or a
    checkbox sharing its name with others. Each: {"field", "form", "reasons"}."""
    return page.evaluate(_REQUIRED_ON_HIDDEN)


def assert_no_required_on_hidden(page) -> None:
    offenders = find_required_on_hidden(page)
    if offenders:
        lines = [f"  {o['field']} (form {o['form']}): {'; '.join(o['reasons'])}" for o in offenders]
        pytest.fail(f"{page.url}: {len(offenders)} required field(s) that can be hidden:\n" + "\n".join(lines))


_AXE_SOURCE: str | None = None


def _inject_axe(page) -> None:
    global _AXE_SOURCE
    if page.evaluate("typeof window.axe !== 'undefined'"):
        return
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE_PATH.read_text(encoding="utf-8")
    try:
        page.add_script_tag(content=_AXE_SOURCE)
    except Exception as exc:  # CSP refused the inline script
        raise RuntimeError("axe could not be injected: create the context with bypass_csp=True "
                           "(new_journey_context does)") from exc
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        raise RuntimeError("axe did not load: create the context with bypass_csp=True (new_journey_context does)")


def format_violations(violations: list[dict], max_nodes: int = 5) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v.get('impact')}): {v.get('help')} [{', '.join(v.get('tags', []))}]")
        for node in v.get("nodes", [])[:max_nodes]:
            target = " ".join(str(t) for t in node.get("target", []))
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            lines.append(f"      {target}: {summary}")
        if len(v.get("nodes", [])) > max_nodes:
            lines.append(f"      … and {len(v['nodes']) - max_nodes} more")
    return "\n".join(lines)


def run_axe(page, *, fail: bool = True, tags=AXE_TAGS, exclude: list[str] | None = None) -> list[dict]:
    """Run axe-core (tests/vendor/axe.min.js) on the page for WCAG 2.2 A/AA; return the violations.

    With ``fail`` (the default) the test fails listing each violation's id, impact and targets.
    ``exclude``: CSS selectors axe should skip (e.g. a third-party widget), used sparingly.
    """
    _inject_axe(page)
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    result = page.evaluate(
        """async ([context, tags]) => await axe.run(context || document,
              {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        [context, list(tags)],
    )
    violations = result["violations"]
    if fail and violations:
        pytest.fail(f"axe: {len(violations)} WCAG violation(s) on {page.url}:\n{format_violations(violations)}")
    return violations


def check_page(page, name: str) -> Path:
    """The checks of every journey step: screenshot, no required field that can be hidden, axe clean."""
    path = shot(page, name)
    assert_no_required_on_hidden(page)
    run_axe(page)
    return path


def htmx_ready(page, selector: str) -> None:
    """Wait until htmx has processed ``selector`` (an element with hx- attributes, or the form around it).

    Content that htmx swaps in is processed as the swap settles; a tap or key in that moment acts
    without htmx (a plain form submit, or an input that triggers nothing)."""
    page.wait_for_function(
        "s => { const el = document.querySelector(s); if (!el) return false;"
        " const owner = [...el.attributes].some(a => a.name.startsWith('hx-')) ? el : el.closest('form');"
        " const data = owner && owner['htmx-internal-data']; return !!(data && data.initHash); }", arg=selector)
