"""Acceptance 4 through a real gunicorn worker: a 300,000-character cell and a million-row XLSX are each
refused in under 5 seconds, and the same worker goes on serving."""

from __future__ import annotations

import re
import time

import pytest

from tests.directory.import_files import csv_with_cell, xlsx_of_rows
from tests.factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.serial  # starts processes of its own: run alone (scripts/run_tests.sh)


def test_hostile_imports_are_refused_and_the_worker_lives(served_app):
    make_user("office", "office_io", locale="en")
    http = served_app.login_session("office_io", DEFAULT_PASSWORD)
    page = http.get(served_app.url + "/directory/import", timeout=10)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    files = {
        "people.csv": (csv_with_cell(300_000), "Row 2: a cell holds more than 2,000 characters."),
        "people.xlsx": (xlsx_of_rows(1_000_000, compact=True), "Unpacked, this Excel file is larger than 24 MB."),
    }
    for name, (data, message) in files.items():
        started = time.monotonic()
        response = http.post(served_app.url + "/directory/import", data={"csrf_token": token},
                             files={"file": (name, data)}, timeout=30)
        elapsed = time.monotonic() - started
        assert response.status_code == 400 and elapsed < 5, (name, response.status_code, elapsed)
        assert message in response.text, name
        assert http.get(served_app.url + "/directory/import", timeout=10).status_code == 200
    log = served_app.log_tail(400)
    assert "WORKER TIMEOUT" not in log and "Traceback" not in log
    assert log.count("Booting worker") == 1  # the one worker, never replaced
