"""Static files with content-hashed URLs and a year-long cache, compressed responses, htmx only where used."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from tests.factories import make_user
from tracker.assets import LONG_CACHE, SHORT_CACHE
from tracker.auth.models import Role

STATIC = re.compile(r'(?:href|src|data-jsqr-src)="(/static/[^"]+)"')


def _static_urls(html: str) -> list[str]:
    return STATIC.findall(html)


def test_every_static_url_on_a_page_is_versioned_and_cached_for_a_year(client):
    urls = _static_urls(client.get("/login").get_data(as_text=True))
    assert urls and all(re.search(r"\?v=[0-9a-f]{10}$", url) for url in urls), urls
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == LONG_CACHE, url


def test_unversioned_or_stale_requests_get_a_short_cache(client):
    assert client.get("/static/css/app.css").headers["Cache-Control"] == SHORT_CACHE
    assert client.get("/static/css/app.css?v=0123456789").headers["Cache-Control"] == SHORT_CACHE


@pytest.mark.parametrize(("accept", "encoding", "decode"), [
    ("gzip, deflate, br", "br", brotli.decompress),
    ("gzip, deflate", "gzip", gzip.decompress),
    ("", None, lambda body: body),
])
def test_text_files_are_compressed_as_the_browser_accepts(client, accept, encoding, decode):
    plain = client.get("/static/vendor/pico/pico.trimmed.css").data
    response = client.get("/static/vendor/pico/pico.trimmed.css", headers={"Accept-Encoding": accept})
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert decode(response.data) == plain
    if encoding:
        assert len(response.data) < len(plain) / 4


def test_fonts_are_sent_as_they_are(client):
    css = client.get("/static/css/fonts.css").get_data(as_text=True)
    fonts = re.findall(r'url\("\.\./(vendor/fonts/[^"?]+\.woff2)\?v=([0-9a-f]{10})"\)', css)
    assert len(fonts) == 3  # Devanagari 400 and 700, Latin 400; the CSS names each font with its hash, so fonts are cached for a year too
    path, version = fonts[0]
    response = client.get(f"/static/{path}?v={version}", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200 and "Content-Encoding" not in response.headers
    assert response.headers["Cache-Control"] == LONG_CACHE
    assert response.mimetype == "font/woff2"


def test_revalidation_answers_not_modified(client):
    first = client.get("/static/js/app.js", headers={"Accept-Encoding": "br"})
    again = client.get("/static/js/app.js", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_nothing_outside_the_static_folder(client):
    assert client.get("/static/../config.py").status_code == 404
    assert client.get("/static/%2e%2e/tracker/config.py").status_code == 404
    assert client.get("/static/css/missing.css").status_code == 404


def test_pages_and_json_are_compressed(client, auth):
    make_user(Role.ADMIN, "assets_admin")
    auth.login("assets_admin")
    page = client.get("/home", headers={"Accept-Encoding": "gzip, br"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "br"
    assert b"<!doctype html>" in brotli.decompress(page.data)
    api = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert api.headers["Content-Encoding"] == "gzip" and gzip.decompress(api.data).startswith(b"{")


def test_htmx_only_on_pages_that_use_it(client, auth):
    from tests.attendance.conftest import build_world
    from tracker.extensions import db

    world = build_world(n_people=2)
    session_id = world.session.id
    db.session.commit()
    make_user(Role.ADMIN, "htmx_admin")
    auth.login("htmx_admin")
    login_free = client.get("/home").get_data(as_text=True)
    assert "htmx.min.js" not in login_free and "htmx-config" not in login_free
    roster = client.get(f"/attendance/sessions/{session_id}").get_data(as_text=True)
    assert "hx-post" in roster or "hx-get" in roster
    assert "htmx.min.js" in roster and "htmx-config" in roster
    assert roster.count("<main") == 1 and roster.count('id="roster-counts"') == 1  # the body is rendered once
