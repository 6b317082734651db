"""Shared helpers for the Playwright browser tests.

The tests drive Debian's Chromium (installed by ``scripts/ensure_browser.sh``);
``playwright install`` is never used because these machines cannot download
browser builds. The network is closed, so every Chromium feature that would
phone home is switched off.

Usage::

    from playwright.sync_api import sync_playwright
    from browser_support import PHONE_VIEWPORT, launch_browser

    with sync_playwright() as pw:
        browser = launch_browser(pw)
        page = browser.new_page(viewport=PHONE_VIEWPORT)
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM_PATH = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")

CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# A common phone (iPhone 12-15 class) in CSS pixels.
PHONE_VIEWPORT = {"width": 390, "height": 844}


def chromium_available() -> bool:
    """True when the Chromium binary exists (for ``pytest.mark.skipif``)."""
    return Path(CHROMIUM_PATH).is_file() and os.access(CHROMIUM_PATH, os.X_OK)


def launch_browser(playwright, **kwargs):
    """Launch headless Debian Chromium through Playwright.

    ``playwright`` is the object from ``sync_playwright()`` (or the async one);
    extra keyword arguments go to ``chromium.launch``.
    """
    args = list(CHROMIUM_ARGS) + list(kwargs.pop("args", []))
    kwargs.setdefault("headless", True)
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=args, **kwargs)


def new_phone_context(browser, **kwargs):
    """A browser context sized and behaving like a phone (touch, mobile viewport)."""
    kwargs.setdefault("viewport", PHONE_VIEWPORT)
    kwargs.setdefault("device_scale_factor", 2)
    kwargs.setdefault("is_mobile", True)
    kwargs.setdefault("has_touch", True)
    return browser.new_context(**kwargs)


def log_in_with_enter(page, base_url: str, username: str, password: str, lands_on: str = "**/home") -> None:
    """Type the username and password on /login and press Enter in the password field (no mouse), then
    wait for the page the login leads to (``lands_on``, a glob of its URL)."""
    page.goto(base_url + "/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lands_on)
