"""Cutting the browser's network, service workers included.

What works in Chromium with Playwright (checked by ``tests/harness/test_network.py``):

* ``context.set_offline(True)`` is Playwright's wrapper of the CDP command
  ``Network.emulateNetworkConditions(offline=True)``, applied to every page of the context, present
  and future. On its own it does **not** cut the requests a service worker makes itself (a
  worker's ``fetch()`` still reaches the server: microsoft/playwright#2311).
* ``context.route('**/*', lambda r: r.abort())`` sees a service worker's own requests only when
  the Playwright driver was started with ``PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS=1`` (read
  once, when ``sync_playwright()`` starts its node driver); this module sets it on import, and
  ``tests/conftest.py`` imports the harness before any browser starts. Then routing works for
  Chromium service workers (the context must allow service workers, the default).
* Together they cut everything: :func:`cut_network` does both; :func:`restore_network` undoes both.

The other cut is the server's: ``served_app.stop()`` / ``served_app.kill()`` then
``served_app.restart()`` (:mod:`tests.harness.server`); requests then fail with a connection error
whatever the browser does.
"""

from __future__ import annotations

import os

os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

ERROR_CODE = "internetdisconnected"


def _abort(route) -> None:
    route.abort(ERROR_CODE)


def cut_network(context) -> None:
    """Every request of the context's pages and service workers fails until :func:`restore_network`."""
    if not os.environ.get("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS"):  # pragma: no cover
        raise RuntimeError("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS must be set before Playwright starts")
    context.route("**/*", _abort)
    context.set_offline(True)


def restore_network(context) -> None:
    context.set_offline(False)
    context.unroute("**/*", _abort)
