"""Denials that hold for every page of the app, whatever the domain: found by walking the URL map."""

import re

import pytest

# Endpoints an anonymous visitor may reach.
# The service worker (/sw.js) is public: code and file names only, and its updates must not need a sign-in.
PUBLIC_ENDPOINTS = {"static", "auth.login", "core.index", "core.healthz", "core.set_locale", "service_worker"}
# Token-authenticated endpoints (calendar feeds, the API) answer for themselves.
TOKEN_PREFIXES = ("/api/", "/p/", "/public/")  # the API, the personal links of messages, the signed public agenda
TOKEN_ENDPOINT_PATTERN = re.compile(r"(feed|ics|calendar|openapi|docs)")


def _url_for_rule(rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        if arg not in rule._converters:  # given by the rule's defaults
            continue
        converter = rule._converters[arg]
        kind = converter.__class__.__name__
        if kind == "AnyConverter":
            value = sorted(converter.items)[0]
        elif kind in ("IntegerConverter", "NumberConverter"):
            value = "1"
        else:
            value = "x1"
        url = re.sub(rf"<(?:[^:<>]+:)?{arg}>", value, url)
    return url


def _rules(app, method):
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        yield rule


def test_anonymous_is_sent_to_login_everywhere(app, client):
    checked = 0
    for rule in _rules(app, "GET"):
        url = _url_for_rule(rule)
        response = client.get(url)
        if url.startswith(TOKEN_PREFIXES) or TOKEN_ENDPOINT_PATTERN.search(rule.endpoint):
            # Token-authenticated (or public documentation): never content for a wrong token.
            ok = response.status_code in (200, 401, 403, 404) if "docs" in rule.endpoint or "openapi" in rule.endpoint \
                else response.status_code in (401, 403, 404) or "/login" in response.headers.get("Location", "")
            assert ok, (rule.endpoint, response.status_code)
            continue
        assert response.status_code == 302, (rule.endpoint, url, response.status_code)
        assert "/login" in response.headers["Location"], (rule.endpoint, response.headers["Location"])
        checked += 1
    assert checked >= 3


# POSTs that check the sign-in before the CSRF token: signed out they answer 401 (nothing is written);
# signed in without the token, 400 (the test named).
SIGN_IN_FIRST = {
    "attendance.sync": "a phone whose sign-in expired must hear 'sign in again', its queue kept "
                       "(tests/attendance/test_sync.py::test_the_page_posts_with_the_csrf_header)",
}


def test_every_form_post_needs_a_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        checked = 0
        for rule in _rules(app, "POST"):
            url = _url_for_rule(rule)
            if url.startswith("/api/"):
                continue  # bearer-token API: no cookies, no CSRF
            response = client.post(url, data={})
            expected = 401 if rule.endpoint in SIGN_IN_FIRST else 400
            assert response.status_code == expected, (rule.endpoint, url, response.status_code)
            checked += 1
        response = client.post("/login", data={"username": "x", "password": "y"})
        assert response.status_code == 400
        assert checked >= 2
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.mark.parametrize("path", ["/no-such-page", "/home"])
def test_error_pages_do_not_leak_internals(client, path):
    response = client.get(path, headers={"Accept-Language": "en"})
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "sqlalchemy" not in body.lower()


def test_unexpected_error_gives_a_friendly_page_in_the_users_language(database_url, tmp_path, monkeypatch):
    from tracker import create_app

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom", headers={"Accept-Language": "hi"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "कुछ गड़बड़ हो गई" in body
    assert "secret internals" not in body and "Traceback" not in body
    with app.app_context():
        from tracker.extensions import db

        db.engine.dispose()
