"""cut_network/restore_network: a page's fetch and a service worker's own fetch fail during the cut.

The app has no service worker yet, so the worker is served by a tiny site of its own on 127.0.0.1
(service workers need a secure context: 127.0.0.1 is one).
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.harness.network import cut_network, restore_network

pytestmark = pytest.mark.browser

PAGE_FETCH = "path => fetch(path, {cache: 'no-store'}).then(r => r.status, () => 'failed')"
# The page asks its service worker to fetch by itself and to post back the outcome.
WORKER_FETCH = """n => new Promise(resolve => {
  navigator.serviceWorker.addEventListener('message', e => resolve(e.data), {once: true});
  navigator.serviceWorker.controller.postMessage(n);
})"""
SERVICE_WORKER = """
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', e => e.waitUntil(self.clients.claim()));
self.addEventListener('message', e => {
  fetch('/data?n=' + e.data, {cache: 'no-store'})
    .then(r => r.status, () => 'failed').then(outcome => e.source.postMessage(outcome));
});
self.addEventListener('fetch', e => {
  if (new URL(e.request.url).pathname === '/data') e.respondWith(fetch(e.request.url + '&via=worker'));
});
"""


@pytest.fixture
def worker_site(tmp_path):
    """A site whose page installs a service worker; ``hits`` lists the /data requests that arrived."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><title>sw</title><script>navigator.serviceWorker.register('/sw.js')</script>")
    (tmp_path / "sw.js").write_text(SERVICE_WORKER)
    hits: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path.startswith("/data"):
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()


def test_the_cut_fails_a_service_workers_own_requests(browser, worker_site):
    url, hits = worker_site
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "/")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        assert page.evaluate(WORKER_FETCH, 1) == 200
        assert page.evaluate(PAGE_FETCH, "/data?n=2") == 200
        assert hits == ["/data?n=1", "/data?n=2&via=worker"]  # both went through the worker

        cut_network(context)
        hits.clear()
        assert page.evaluate(WORKER_FETCH, 3) == "failed"
        assert page.evaluate(PAGE_FETCH, "/data?n=4") == "failed"
        assert hits == []  # nothing reached the server

        restore_network(context)
        assert page.evaluate(WORKER_FETCH, 5) == 200
        assert page.evaluate(PAGE_FETCH, "/data?n=6") == 200
        assert hits == ["/data?n=5", "/data?n=6&via=worker"]
    finally:
        context.close()


def test_a_page_of_the_served_app_loses_the_network_and_gets_it_back(browser, served_app):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served_app.url + "/login")
        assert page.evaluate(PAGE_FETCH, "/healthz") == 200

        cut_network(context)  # the browser's cut
        assert page.evaluate(PAGE_FETCH, "/healthz") == "failed"
        restore_network(context)
        assert page.evaluate(PAGE_FETCH, "/healthz") == 200

        served_app.kill()  # the server's cut
        assert page.evaluate(PAGE_FETCH, "/healthz") == "failed"
        served_app.restart()
        assert page.evaluate(PAGE_FETCH, "/healthz") == 200
    finally:
        context.close()
