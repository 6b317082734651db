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
    assert body["title"] == "प्रमाणीकरण आवश्यक"
    assert response.headers["Content-Language"] == "hi"


def test_unknown_api_paths_and_methods_are_problems_in_english(client, world):
    missing = client.get("/api/v1/nothing-here", headers={"Accept-Language": "en-IN,en;q=0.9"})
    assert missing.status_code == 404 and missing.mimetype == PROBLEM_MIMETYPE
    assert missing.get_json()["title"] == "Not found"
    wrong_method = client.delete("/api/v1/units", headers=world.headers("admin"))
    assert wrong_method.status_code == 405 and wrong_method.mimetype == PROBLEM_MIMETYPE
    assert "GET" in wrong_method.headers["Allow"]


def test_pages_keep_their_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_field_errors_are_translated(client, world):
    response = client.get("/api/v1/units?per_page=500", headers=world.headers("admin", **{"Accept-Language": "hi"}))
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"per_page": ["मान अनुमत सीमा से बाहर है।"]}


def test_server_errors_are_problems(app, client, world, monkeypatch):
    from tracker.api.resources import directory

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(directory, "paginate", boom)
    response = client.get("/api/v1/units", headers=world.headers("admin"))
    assert response.status_code == 500 and response.mimetype == PROBLEM_MIMETYPE


def test_openapi_document_is_3_1_with_bearer_security(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
    assert "/api/v1/me/agenda" in document["paths"]
    problem = document["components"]["responses"]["NOT_FOUND"]["content"]
    assert list(problem) == ["application/problem+json"]


def test_docs_page_loads_vendored_assets_only(client):
    html = client.get("/api/v1/docs").get_data(as_text=True)
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html and "js/api-docs.js" in html
    assert "<script>" not in html and "http" not in html.replace("http-equiv", "")


def test_dates_far_out_are_field_errors_not_server_errors(client, world):
    headers = world.headers("admin")
    for url in ("/api/v1/sessions?from=0001-01-01", "/api/v1/attendance?to=9999-12-31", "/api/v1/meetings?from=0001-01-01"):
        response = client.get(url, headers=headers)
        assert response.status_code == 422, url
    late = client.put(f"/api/v1/sessions/{world.session.id}/attendance/{world.president_a.id}", headers=headers,
                      json={"status": "late", "late_at": "0001-01-01T00:00:00+05:30"})
    assert late.status_code == 422 and "late_at" in late.get_json()["errors"]
