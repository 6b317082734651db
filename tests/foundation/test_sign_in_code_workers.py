"""Issue 12, acceptance 2: the limits on sign-in codes hold across two gunicorn workers (the counts are
in the database, one atomic statement per key), and the owner waits no longer than the delay says."""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests

from tests.factories import make_person, make_user
from tracker.auth.models import Role

pytestmark = pytest.mark.serial  # starts processes of its own: run alone (scripts/run_tests.sh)

NOW = "2025-09-22T09:30:00+05:30"
NUMBER = "+919812345670"


def _ask(base_url: str, barrier: threading.Barrier, statuses: list[int]) -> None:
    with requests.Session() as http:  # a connection of its own: either worker may take it
        page = http.get(f"{base_url}/login", timeout=30)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
        barrier.wait()
        response = http.post(f"{base_url}/login/mobile", allow_redirects=False, timeout=60,
                             data={"csrf_token": token.group(1) if token else "", "mobile": NUMBER})
        statuses.append(response.status_code)


def test_ten_parallel_requests_on_two_workers_send_exactly_the_free_codes(app, serve_app, webhook_receiver):
    make_user(Role.PRESIDENT, "ravi", person=make_person("Ravi", mobile=NUMBER))
    served = serve_app(now=NOW, webhook=webhook_receiver, workers=2)
    barrier, statuses = threading.Barrier(10), []
    threads = [threading.Thread(target=_ask, args=(served.url, barrier, statuses)) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    free = app.config["SIGN_IN_CODE_FREE_REQUESTS"]
    assert sorted(statuses) == [302] * free + [429] * (10 - free)
    assert len(webhook_receiver.wait_for(free)) == free
    time.sleep(0.5)
    assert len(webhook_receiver.requests) == free  # no more messages than answers said
