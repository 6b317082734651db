"""Issue 13: the service worker (/sw.js) and which attendance pages a phone may keep for use offline."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from tests.factories import make_session
from tracker.core.offline import HEADER
from tracker.timeutil import now_utc


def _config(text: str) -> dict:
    return json.loads(re.search(r"var CONFIG = (\{.*?\});", text).group(1))


def test_the_worker_is_served_by_the_app_with_its_versioned_files(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    # the browser lets it control only the attendance pages, or only the agenda: never the whole site
    assert response.headers["Service-Worker-Allowed"] == "/attendance/"
    for scope, allowed in (("attendance", "/attendance/"), ("agenda", "/agenda"), ("site", "/attendance/")):
        assert client.get(f"/sw.js?scope={scope}").headers["Service-Worker-Allowed"] == allowed, scope
    config = _config(response.get_data(as_text=True))
    assert "/attendance/sessions/" in config["prefixes"] and "/agenda" in config["prefixes"]
    assert not any("jsqr" in url.lower() for url in config["precache"])  # the scanner loads with the camera
    for url in config["precache"]:
        assert "?v=" in url, url
        assert client.get(url).status_code == 200, url
    again = client.get("/sw.js", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_todays_and_tomorrows_rosters_are_kept_until_the_end_of_their_day(client, auth, world, coordinator):
    auth.login("coord")
    tomorrow = make_session(world.session.meeting, starts_at=now_utc() + timedelta(days=1), minutes=60)
    for session in (world.session, tomorrow):
        response = client.get(f"/attendance/sessions/{session.id}")
        assert response.status_code == 200
        until = now_utc() + timedelta(seconds=int(response.headers[HEADER]))
        assert session.starts_at < until <= session.starts_at + timedelta(days=1)
        assert response.headers["Cache-Control"] == "private, no-cache"
        body = response.get_data(as_text=True)
        assert 'data-served="network"' in body and 'class="offline-note"' in body
        assert "data-keep-offline" in body
        assert f"/attendance/sessions/{tomorrow.id}" in body.split("data-keep-offline=")[1].split(">")[0]


def test_other_rosters_and_searches_are_not_kept(client, auth, world, coordinator):
    auth.login("coord")
    past = make_session(world.session.meeting, starts_at=now_utc() - timedelta(days=3), minutes=60)
    later = make_session(world.session.meeting, starts_at=now_utc() + timedelta(days=5), minutes=60)
    for url in (f"/attendance/sessions/{past.id}", f"/attendance/sessions/{later.id}",
                f"/attendance/sessions/{world.session.id}?q=President", "/attendance/", "/"):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        assert HEADER not in response.headers, url
        body = response.get_data(as_text=True)
        assert "data-served" not in body and "data-keep-offline" not in body, url


def test_a_signed_out_page_forgets_the_kept_pages(client, auth, world, coordinator):
    body = client.get("/login").get_data(as_text=True)
    assert 'data-forget-pages="tracker-pages"' in body and "data-service-worker" not in body
    auth.login("coord")
    body = client.get(f"/attendance/sessions/{world.session.id}").get_data(as_text=True)
    assert 'data-service-worker="/sw.js?scope=attendance"' in body and "data-forget-pages" not in body
    assert 'data-service-worker-scope="/attendance/"' in body


def test_pages_never_kept_register_no_worker(client, auth, world, coordinator):
    auth.login("coord")
    for url in ("/", "/attendance/", "/meetings/"):  # pages never kept register no worker
        body = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "data-service-worker" not in body, url
