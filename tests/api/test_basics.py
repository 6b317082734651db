from tracker.api.problems import PROBLEM_MIMETYPE


def test_unit_list_and_etag(client, world):
    response = client.get("/api/v1/units?per_page=2", headers=world.headers("admin"))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["total"] == 4 and len(body["items"]) == 2 and body["pages"] == 2
    assert body["links"]["next"].endswith("page=2") and body["links"]["prev"] is None
    one = client.get(f"/api/v1/units/{world.district_a.id}", headers=world.headers("admin"))
    assert one.headers["ETag"] and one.get_json()["updated_at"]


def test_missing_token_is_a_401_problem_in_hindi(client, world):
    response = client.get("/api/v1/units", headers={"Accept-Language": "hi"})
    assert response.status_code == 401
    assert response.mimetype == PROBLEM_MIMETYPE
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    body = response.get_json()
    assert body["status"] == 401 and {"type", "title", "detail"} <= set(body)
