"""Pages kept on the phone for a hall without network: the service worker and the pages it may keep.

The service worker (``tracker/core/service_worker.js``, written by hand, no library) is served by the
app at ``/sw.js?scope=<name>`` and registered twice, scoped to the pages it may keep (``SCOPES``): from an
attendance page with the scope ``/attendance/``, from the agenda with the scope ``/agenda``. The answer's
``Service-Worker-Allowed`` header is that scope, so the browser refuses any wider one: the rest of the
site (the home page, review notes, meetings …) is never controlled by a worker. The two registrations
share the origin's caches (the kept pages, the static files). Within its scope a worker handles only the
page paths in ``PAGE_PREFIXES`` (and the static files the controlled pages load):

* pages: network first; a page is kept on the phone only when its view called :func:`keep_offline`
  (the response then carries ``X-Tracker-Offline: <seconds>``, how long the copy may be kept: the
  worker drops it after that many seconds of the phone's clock), only for a signed-in user, only GET and 200. Without network the kept copy is shown with
  the note "offline copy from <time>" (``base.html``). A page the server answers without the header
  (say a session no longer today's) is dropped from the phone. Nothing else is ever kept: review
  notes, lists of people, settings … are never stored.
* static files with their content hash in the URL (``?v=…``, :mod:`tracker.assets`): cache first; the
  page's own files are fetched when the worker installs.
* signing out (``offline.js``: it also unregisters both workers), the sign-in page and a page answered by a redirect to the sign-in page
  delete the kept pages (a shared phone shows nothing of the last user). The phone's queue of marks
  (IndexedDB, ``attendance.js``) is not touched by any of this.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, time, timedelta
from pathlib import Path

from flask import Flask, Response, current_app, g, request, url_for
from flask_login import current_user

from tracker.i18n import fmt_datetime
from tracker.timeutil import local_to_utc, now_utc, today_local

HEADER = "X-Tracker-Offline"
# The worker's registrations: ?scope=<name> -> the scope (the path prefix of the pages it controls).
SCOPES = {"attendance": "/attendance/", "agenda": "/agenda"}
DEFAULT_SCOPE = "attendance"
# Paths whose pages the worker handles (network first, kept copy offline); any other page is not touched.
PAGE_PREFIXES = ("/attendance/sessions/", "/attendance/invitations/", "/agenda")
# Fetched when the worker installs: what a roster, an agenda and a pass need.
PRECACHE = (
    "css/fonts.css", "vendor/pico/pico.trimmed.css", "css/app.css", "css/attendance.css", "css/meetings.css",
    "js/app.js", "js/offline.js", "js/attendance.js", "vendor/htmx/htmx.min.js", "vendor/idb-keyval/idb-keyval.js",
    "img/favicon.svg",
    "vendor/fonts/noto-sans-devanagari/noto-sans-devanagari-devanagari-400-subset.woff2",
    "vendor/fonts/noto-sans-devanagari/noto-sans-devanagari-devanagari-700-subset.woff2",
    "vendor/fonts/noto-sans-devanagari/noto-sans-devanagari-latin-400-subset.woff2",
)
PAGES_CACHE = "tracker-pages"
SOURCE = Path(__file__).with_name("service_worker.js")


def keep_offline(until: datetime) -> None:
    """Let the phone keep this page (of the signed-in user) until ``until`` (aware), for use offline."""
    g.offline_until = until


def kept_until_end_of(day) -> datetime:
    """The end of ``day`` (local), as an instant."""
    return local_to_utc(day + timedelta(days=1), time(0))


def today_or_tomorrow(day) -> bool:
    """Whether ``day`` (local) is today or tomorrow: the sessions whose pages a phone keeps."""
    today = today_local()
    return today <= day <= today + timedelta(days=1)


def offline_page() -> bool:
    """Whether the page being rendered may be kept (``base.html`` then adds the offline note)."""
    return g.get("offline_until") is not None


def worker_scope() -> str | None:
    """The name of the worker's scope the current page is in (``SCOPES``), or None outside them."""
    for name, prefix in SCOPES.items():
        if request.path.startswith(prefix):
            return name
    return None


def offline_copy_time() -> str:
    """When the page is made (the time its kept copy shows in its offline note)."""
    return fmt_datetime(now_utc())


def _mark_response(response: Response) -> Response:
    until = g.get("offline_until")
    if until is None:
        return response
    if (request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html"
            and current_user.is_authenticated):
        # seconds, not an instant: the phone's clock may differ from the server's (the worker adds them to its own)
        response.headers[HEADER] = str(max(0, int((until - now_utc()).total_seconds())))
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def _worker_source() -> tuple[str, str]:
    """The worker's text with its settings, and its version (a hash of both): a new static file, a new
    worker, so the phone fetches the new files."""
    config = {
        "precache": [url_for("static", filename=name) for name in PRECACHE],
        "prefixes": list(PAGE_PREFIXES), "staticPrefix": current_app.static_url_path + "/",
        "loginPath": url_for("auth.login"), "pagesCache": PAGES_CACHE, "header": HEADER,
    }
    text = SOURCE.read_text(encoding="utf-8")
    version = hashlib.sha256((text + json.dumps(config, sort_keys=True)).encode()).hexdigest()[:10]
    config["version"] = version
    return text.replace("/*CONFIG*/{}", json.dumps(config, sort_keys=True)), version


def service_worker() -> Response:
    """``/sw.js?scope=attendance|agenda``: always revalidated (a phone checks for a new worker on each page
    it opens); the browser lets it control only the pages of that scope (``Service-Worker-Allowed``)."""
    text, version = _worker_source()
    response = Response(text, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = SCOPES.get(request.args.get("scope", ""), SCOPES[DEFAULT_SCOPE])
    response.set_etag(version)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.add_url_rule("/sw.js", "service_worker", service_worker)
    app.after_request(_mark_response)
    app.jinja_env.globals["offline_page"] = offline_page
    app.jinja_env.globals["offline_pages_cache"] = PAGES_CACHE
    app.jinja_env.globals["offline_copy_time"] = offline_copy_time
    app.jinja_env.globals["offline_worker_scope"] = worker_scope
    app.jinja_env.globals["offline_scopes"] = SCOPES
