"""Cutting the browser's network, service workers included.

What was found (Playwright 1.65, Debian Chromium 156; ``tests/harness/test_network.py`` checks it):

* ``context.set_offline(True)`` is Playwright's wrapper of the CDP command
  ``Network.emulateNetworkConditions(offline=True)``, applied to every page of the context, present
  and future. With these versions it also fails a service worker's own ``fetch()``; with older
  ones it did not (microsoft/playwright#2311: the worker kept reaching the server).
* ``context.route('**/*', ...)`` sees a service worker's requests (``request.service_worker`` is
  set) with these versions; older ones needed ``PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS=1``
  in the environment when ``sync_playwright()`` starts its driver (microsoft/playwright#15684), which
  this module sets on import (``tests/conftest.py`` loads it before any browser starts). The
  context must allow service workers (the default, ``service_workers="allow"``).
* :func:`cut_network` does both, so the cut holds whichever of the two a future version weakens;
  :func:`restore_network` undoes both. A page's ``fetch`` and a worker's own ``fetch`` then fail
  with ``net::ERR_INTERNET_DISCONNECTED`` and nothing reaches the server.

The other cut is the server's: ``served_app.stop()`` / ``served_app.kill()`` then
``served_app.restart()`` (:mod:`tests.harness.server`): requests then fail with a refused
connection whatever the browser does, and the same database is there when it comes back.
"""

from __future__ import annotations

import os

os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

ERROR_CODE = "internetdisconnected"


def _abort(route) -> None:
    route.abort(ERROR_CODE)


def cut_network(context) -> None:
    """Every request of the context's pages and service workers fails until :func:`restore_network`."""
    context.route("**/*", _abort)
    context.set_offline(True)


def restore_network(context) -> None:
    context.set_offline(False)
    context.unroute("**/*", _abort)
