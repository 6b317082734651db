from datetime import date, datetime
from pathlib import Path

from flask_babel import refresh

from tests.factories import make_user
from tests.i18n_support import english_leaks
from tracker.auth.models import Role
from tracker.i18n import fmt_date, fmt_number
from tracker.i18n_check import problems

ROOT = Path(__file__).resolve().parents[2]


def test_catalogs_are_complete():
    """Every message has a Hindi (and English) translation, none fuzzy, placeholders intact."""
    found = problems(ROOT / "translations")
    assert found == [], "\n".join(found[:50])


def test_dates_and_numbers_in_hindi_and_english(app):
    with app.test_request_context("/", headers={"Accept-Language": "hi"}):
        assert fmt_date(date(2025, 9, 22)) == "22 सितंबर 2025"
        assert fmt_number(1234567) == "12,34,567"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        refresh()  # the test's app context outlives the first request context
        # English, the Indian way.
        assert fmt_date(date(2025, 9, 22)) == "22 September 2025"
        assert fmt_number(1234567) == "12,34,567"


def test_times_are_shown_in_india_time(app):
    from datetime import UTC

    from tracker.i18n import fmt_time

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        refresh()
        assert fmt_time(datetime(2025, 9, 22, 5, 30, tzinfo=UTC)) == "11:00"  # 24-hour, no seconds (issue 11)


def test_html_lang_follows_accept_language_then_default(client):
    assert 'lang="en"' in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="hi"' in client.get("/login", headers={"Accept-Language": "hi,en;q=0.5"}).get_data(as_text=True)
    # No preference at all: Hindi.
    assert 'lang="hi"' in client.get("/login", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_switch_is_kept_in_the_session(client):
    client.post("/locale", data={"locale": "en", "next": "/login"})
    page = client.get("/login", headers={"Accept-Language": "hi"}).get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page
    client.post("/locale", data={"locale": "hi", "next": "/login"})
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'lang="hi"' in page and "लॉग इन करें" in page


def test_saved_preference_wins_and_the_switch_saves_it(client, auth):
    user = make_user(Role.OFFICE, "asha", locale="en")
    auth.login("asha")
    assert 'lang="en"' in client.get("/home", headers={"Accept-Language": "hi"}).get_data(as_text=True)
    client.post("/locale", data={"locale": "hi", "next": "/home"})
    from tracker.extensions import db

    db.session.refresh(user)
    assert user.locale == "hi"


def test_the_sign_in_page_after_logging_out_is_in_the_language_of_its_message(client, auth):
    """Hindi chosen on the sign-in page, an English login: the pages and the goodbye are in English, and so
    is the sign-in page that shows the goodbye (issue 15: it was Hindi around an English message)."""
    make_user(Role.OFFICE, "asha", locale="en")
    client.post("/locale", data={"locale": "hi", "next": "/login"})
    auth.login("asha")
    page = client.get(auth.logout().location).get_data(as_text=True)
    assert '<html lang="en"' in page and "You have logged out." in page


def test_redirect_after_switch_stays_on_site(client):
    response = client.post("/locale", data={"locale": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_foundation_pages_have_no_english_in_hindi(client, auth):
    make_user(Role.ADMIN, "admin1")
    pages = {"/login": client.get("/login", headers={"Accept-Language": "hi"})}
    auth.login("admin1")
    client.post("/locale", data={"locale": "hi"})
    for url in ("/home", "/settings", "/no-such-page"):
        pages[url] = client.get(url)
    for url, response in pages.items():
        leaks = english_leaks(response.get_data(as_text=True))
        assert leaks == [], f"{url}: {leaks}"
