"""Long URLs against the app served by gunicorn (gunicorn.conf.py): up to 8190 bytes of request line
reach the app, which answers a URL over MAX_URL_LENGTH with its 414 problem (issue 17, finding 9);
only beyond 8190 bytes does gunicorn answer with its own page, as the document says."""

from __future__ import annotations

import pytest
import requests

from tracker.api import MAX_URL_LENGTH

pytestmark = pytest.mark.serial  # starts processes of its own


def test_a_long_url_gets_the_apis_problem_not_gunicorns_page(served_app):
    url = f"{served_app.url}/api/v1/people?q=" + "a" * (MAX_URL_LENGTH + 1000)  # ~5 KB: over gunicorn's default
    response = requests.get(url, headers={"Accept-Language": "en"}, timeout=10)
    assert response.status_code == 414
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 414

    beyond = requests.get(f"{served_app.url}/api/v1/people?q=" + "a" * 9000, timeout=10)
    assert beyond.status_code == 414  # gunicorn's own answer: documented in the OpenAPI description
