"""The API answers in the documented order (issue 17, finding 9): 401 (no or a bad token), 403
(not allowed), 404 (missing, or hidden from the caller), then 400/422 (the request by itself), then
412 (If-Match) and the rules that depend on stored records. Authorisation comes before the query or
the body is read (tracker/api/framework.py guard)."""

from __future__ import annotations

import pytest

from tracker.api.framework import RESOURCE_BLUEPRINTS

BAD_PERSON = {"name_en": 5, "preferred_channel": "pigeon"}


def test_without_a_token_an_invalid_request_is_401(client, world):
    response = client.post("/api/v1/people", json=BAD_PERSON)
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/api/v1/people", BAD_PERSON),
    ("post", "/api/v1/units", {"code": "Not A Code", "level": "galaxy"}),
    ("post", "/api/v1/posts", {"person_id": "x"}),
    ("get", "/api/v1/units?per_page=1000&level=galaxy", None),
    ("get", "/api/v1/review-notes?from=not-a-date", None),
])
def test_a_president_is_refused_before_the_request_is_read(client, world, method, path, body):
    response = getattr(client, method)(path, headers=world.headers("president"), json=body)
    assert response.status_code == 403, response.get_data(as_text=True)


def test_a_president_patching_a_person_is_refused_before_the_record_is_looked_up(client, world):
    response = client.patch("/api/v1/people/999999", headers=world.headers("president"), json=BAD_PERSON)
    assert response.status_code == 403


def test_a_missing_record_is_404_before_the_body_is_read(client, world):
    for path in ("/api/v1/people/999999", "/api/v1/units/999999", "/api/v1/posts/999999",
                 "/api/v1/action-items/999999"):
        response = client.patch(path, headers=world.headers("admin"), json={"note": 5, "status": "x"})
        assert response.status_code == 404, path


def test_marking_is_refused_before_the_body_is_read(client, world):
    # The president sees the session (they are invited) but may not mark: 403, whatever the body.
    path = f"/api/v1/sessions/{world.session.id}/attendance/{world.president_a.id}"
    response = client.put(path, headers=world.headers("president"), json={"status": "flying"})
    assert response.status_code == 403
    missing = client.put(f"/api/v1/sessions/999999/attendance/{world.president_a.id}",
                         headers=world.headers("coordinator"), json={"status": "flying"})
    assert missing.status_code == 404


def test_an_invalid_body_is_422_whatever_the_if_match(client, world):
    path = f"/api/v1/people/{world.president_a.id}"
    for if_match in ('"stale"', "", "not an etag"):
        response = client.patch(path, headers=world.headers("admin", **{"If-Match": if_match}), json=BAD_PERSON)
        assert response.status_code == 422, (if_match, response.get_data(as_text=True))


def test_a_valid_body_with_a_stale_or_malformed_if_match(client, world):
    path = f"/api/v1/people/{world.president_a.id}"
    stale = client.patch(path, headers=world.headers("admin", **{"If-Match": '"stale"'}), json={"note": "x"})
    assert stale.status_code == 412
    for malformed in ("", "not an etag", '"a""b"'):
        response = client.patch(path, headers=world.headers("admin", **{"If-Match": malformed}), json={"note": "x"})
        assert response.status_code == 400, malformed
    etag = client.get(path, headers=world.headers("admin")).headers["ETag"]
    fresh = client.patch(path, headers=world.headers("admin", **{"If-Match": etag}), json={"note": "x"})
    assert fresh.status_code == 200


def test_every_operation_that_reads_a_request_of_a_restricted_resource_has_a_guard(app):
    """An operation with arguments whose view checks the policy must do so in its guard."""
    import inspect

    unguarded = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        if view_class is None or rule.endpoint.split(".")[0] not in {bp.name for bp in RESOURCE_BLUEPRINTS}:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            func = getattr(view_class, method.lower())
            reads_request = "arguments" in str(getattr(func, "_apidoc", {})) or "data" in inspect.signature(func).parameters
            checks_inline = any(word in inspect.getsource(func) for word in ("require(", "ApiError(403"))
            if reads_request and checks_inline and not hasattr(func, "_api_guard"):
                unguarded.append(f"{method} {rule.rule}")
    assert not unguarded


def test_a_url_over_the_limit_is_a_414_problem(client, world):
    from tracker.api import MAX_URL_LENGTH

    path = "/api/v1/people?q="
    ok = client.get(path + "a" * 50, headers=world.headers("admin"))
    assert ok.status_code == 200
    response = client.get(path + "a" * MAX_URL_LENGTH, headers=world.headers("admin", **{"Accept-Language": "en"}))
    assert response.status_code == 414 and response.mimetype == "application/problem+json"
    assert response.get_json()["title"] == "Address too long"


def test_the_document_states_the_order_and_the_limits(client):
    document = client.get("/api/v1/openapi.json").get_json()
    description = document["info"]["description"]
    assert "401" in description and "403" in description and "412" in description and "8190" in description
    patch = document["paths"]["/api/v1/people/{person_id}"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "412", "414", "422"} <= set(patch)
