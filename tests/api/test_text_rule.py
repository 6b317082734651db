"""The API reads names and notes by the shared text rule (issue 17, finding 6)."""

from __future__ import annotations

import pytest

from tracker.directory.models import Person
from tracker.extensions import db


@pytest.mark.parametrize("name", ["Ram\u202eKumar", "Ram\u0085", "Ram\u009b", "Ram\u2066x\u2069", "Ram\x00", "\u200fRam"])
def test_control_and_direction_characters_in_a_name_are_refused(client, world, name):
    response = client.post("/api/v1/people", headers=world.headers("admin", **{"Accept-Language": "en"}),
                           json={"name_en": name, "preferred_channel": "none"})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert "invisible control or direction character" in response.get_data(as_text=True)


def test_zwj_and_zwnj_are_kept_and_names_are_nfc(client, world):
    response = client.post("/api/v1/people", headers=world.headers("admin"),
                           json={"name_hi": "क्\u200dष\u200cत्र", "name_en": "Jose\u0301", "preferred_channel": "none"})
    assert response.status_code == 201, response.get_data(as_text=True)
    person = db.session.get(Person, response.get_json()["id"])
    assert person.name_hi == "क्\u200dष\u200cत्र"
    assert person.name_en == "Jos\u00e9"


def test_a_note_keeps_line_breaks_but_not_nul(client, world):
    headers = world.headers("admin")
    ok = client.post("/api/v1/people", headers=headers,
                     json={"name_en": "Asha", "note": "line 1\nline 2\tend", "preferred_channel": "none"})
    assert ok.status_code == 201
    refused = client.post("/api/v1/people", headers=headers,
                          json={"name_en": "Asha B", "note": "nul\x00here", "preferred_channel": "none"})
    assert refused.status_code == 422
