"""Every page's <title> is "<page> · <app name>", the app's name translated (issue 15: the titles of
Home and Settings lacked it)."""

from __future__ import annotations

import re

import pytest

from tests.factories import make_user

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
APP_NAME = {"hi": "ट्रैकर", "en": "Tracker"}


def _title(html: str) -> str:
    found = TITLE.search(html)
    assert found, "no <title>"
    return " ".join(found.group(1).split())


def _pages(app) -> list[str]:
    """Every page without an id in its address that answers GET (the API and files aside)."""
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
            continue
        if rule.rule.startswith(("/api/", "/static/")) or rule.rule.endswith((".js", ".json", ".csv", ".xlsx")):
            continue
        out.append(rule.rule)
    return sorted(out)


@pytest.mark.parametrize("locale", ["hi", "en"])
def test_every_page_title_names_the_page_and_the_app(app, client, auth, locale):
    make_user("admin", "asha", locale=locale)
    auth.login("asha")
    app_name = APP_NAME[locale]
    checked = {}
    for url in _pages(app):
        response = client.get(url)
        if response.status_code != 200 or not response.mimetype == "text/html":
            continue
        title = _title(response.get_data(as_text=True))
        assert title.endswith(f" · {app_name}") and title.count(app_name) == 1, (url, title)
        assert title != app_name and not title.startswith(" ·"), (url, title)
        checked[url] = title
    assert checked["/home"] == {"hi": "मुख्य पृष्ठ · ट्रैकर", "en": "Home · Tracker"}[locale]
    assert checked["/settings"] == {"hi": "सेटिंग्स · ट्रैकर", "en": "Settings · Tracker"}[locale]
    assert len(checked) >= 15, checked


def test_the_sign_in_and_error_pages_too(client):
    assert _title(client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)) == "Log in · Tracker"
    missing = client.get("/no-such-page", headers={"Accept-Language": "hi"}).get_data(as_text=True)
    assert _title(missing).startswith("404 · ") and _title(missing).endswith(" · ट्रैकर")
