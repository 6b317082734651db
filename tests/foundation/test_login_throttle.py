"""Sign-in under attack (issue 17, findings 3, 4 and 11; acceptance 3): usernames cannot be told
apart by time or answer, one address cannot spray usernames, nobody can keep an account's owner
out for longer than the documented delay, the throttle table stays small, and the counters are
atomic on SQLite and PostgreSQL."""

from __future__ import annotations

import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
import sqlalchemy as sa

from tests.factories import DEFAULT_PASSWORD, make_user
from tracker import create_app
from tracker.audit.models import AuditEntry
from tracker.auth import operations as ops
from tracker.auth import throttle
from tracker.auth.models import LoginThrottle, Role
from tracker.extensions import db

START = "2025-09-22T09:30:00+05:30"
ATTACKER, OWNER, VENUE = "203.0.113.66", "198.51.100.20", "192.0.2.44"


def _post(client, username, password="wrong-password", address=ATTACKER, headers=None):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers={"Accept-Language": "en", **(headers or {})})


def _rows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LoginThrottle))


def _failures(key: str) -> int | None:
    return db.session.scalar(sa.select(LoginThrottle.failures).where(LoginThrottle.key == key))


# --- finding 3: no enumeration by time or by answer ------------------------------------------------


def test_an_unknown_username_costs_as_much_as_a_wrong_password(app, client, monkeypatch):
    """With the production hash (scrypt): the median times of a wrong password for an existing user,
    for an inactive user and for an unknown username are within a ratio of 1.5 (before the fix an
    unknown username cost no hash at all, a tenth of the time). The time measured is the CPU time of
    the request's thread (the test client serves it in this thread): what the server spends, free of
    the noise other processes on a shared machine add to the wall clock."""
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    monkeypatch.setitem(app.config, "LOGIN_FREE_FAILURES", 1000)  # measure checks, not throttled answers
    known = make_user(Role.OFFICE, "asha")
    assert known.password_hash.startswith("scrypt:")
    inactive = make_user(Role.OFFICE, "gone")
    inactive.is_active_flag = False
    db.session.commit()

    def timed(username: str) -> float:
        started = time.thread_time()
        response = _post(client, username)
        elapsed = time.thread_time() - started
        assert response.status_code == 401
        return elapsed

    timings: dict[str, list[float]] = {"known": [], "inactive": [], "unknown": []}
    _post(client, "warm-up")  # the dummy hash is made once per process
    for _ in range(9):
        timings["known"].append(timed("asha"))
        timings["inactive"].append(timed("gone"))
        timings["unknown"].append(timed(f"nobody-{uuid.uuid4().hex[:8]}"))
    medians = {kind: statistics.median(values) for kind, values in timings.items()}
    slowest, fastest = max(medians.values()), min(medians.values())
    assert slowest / fastest < 1.5, medians
    # The right password of an inactive user is refused like a wrong one.
    assert _post(client, "gone", DEFAULT_PASSWORD, address=OWNER).status_code == 401


def test_the_dummy_hash_uses_the_configured_method(app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    assert ops._dummy_hash("scrypt").startswith("scrypt:")
    assert ops._dummy_hash("scrypt") is ops._dummy_hash("scrypt")  # made once per process


def test_known_and_unknown_usernames_get_the_same_answers(client, app_clock):
    make_user(Role.OFFICE, "asha")
    app_clock.set(START)
    known = [_post(client, "asha").status_code for _ in range(8)]
    unknown = [_post(client, "nobody-here", address=OWNER).status_code for _ in range(8)]
    assert known == unknown == [401] * 5 + [429] * 3


# --- finding 4: per-address throttle, owner not kept out, bounded table, audit --------------------


def test_forty_failures_from_one_address_over_random_usernames_are_throttled(app, client, app_clock):
    owner = app.test_client()
    make_user(Role.OFFICE, "asha")
    app_clock.set(START)
    answers = [_post(client, f"guess-{n}") for n in range(40)]
    statuses = [r.status_code for r in answers]
    free = app.config["LOGIN_ADDRESS_FREE_FAILURES"]
    assert free < 40
    assert statuses == [401] * free + [429] * (40 - free)
    refused = answers[-1]
    assert "Too many failed attempts. Please wait 1 second, then try again." in refused.get_data(as_text=True)
    assert refused.headers["Retry-After"] == "1"
    # The owner of an account, from another address, is not hindered.
    assert _post(owner, "asha", DEFAULT_PASSWORD, address=OWNER).status_code == 302
    # The address keeps failing at the cap: its waits grow to the maximum delay and no further.
    waits = []
    for n in range(20):
        app_clock.advance(seconds=app.config["LOGIN_MAX_DELAY_SECONDS"])
        _post(client, f"again-{n}")
        waits.append(int(_post(client, f"then-{n}").headers["Retry-After"]))
    assert max(waits) == app.config["LOGIN_MAX_DELAY_SECONDS"] == waits[-1]


def test_seventy_people_sign_in_from_one_venue_address_within_minutes(app, app_clock):
    """A venue's shared Wi-Fi: 70 people sign in within minutes, a dozen of them mistype first."""
    users = [make_user(Role.COORDINATOR, f"coordinator{n}") for n in range(70)]
    app_clock.set(START)
    for n, user in enumerate(users):
        client = app.test_client()
        if n % 6 == 0:
            assert _post(client, user.username, "typo-password", address=VENUE).status_code == 401
        response = _post(client, user.username, DEFAULT_PASSWORD, address=VENUE)
        assert response.status_code == 302, (n, response.get_data(as_text=True)[:300])
        app_clock.advance(seconds=3)
    assert client.get("/home").status_code == 200


def test_the_owner_of_an_attacked_account_gets_in_after_at_most_the_maximum_delay(app, client, app_clock):
    """An attacker fails on the account for an hour from 128 addresses, trying again every 7 seconds.
    The waits never exceed the maximum delay; the attacker's attempts during a wait neither count nor
    extend it; the owner who waits as told (at most the maximum delay) gets in with the right password."""
    make_user(Role.OFFICE, "asha")
    cap = app.config["LOGIN_MAX_DELAY_SECONDS"]
    app_clock.set(START)
    waits, checked = [], 0
    for n in range(3600 // 7):
        response = _post(client, "asha", address=f"198.18.0.{n % 128}")
        if response.status_code == 429:
            waits.append(int(response.headers["Retry-After"]))
        else:
            assert response.status_code == 401
            checked += 1
        app_clock.advance(seconds=7)
    assert max(waits) <= cap
    # Checked guesses: the free failures, the doubling waits up to the cap, then one per maximum delay.
    assert checked <= app.config["LOGIN_FREE_FAILURES"] + 9 + 3600 // cap + 1
    # The attacker's latest guess was just checked: the account waits the maximum delay.
    app_clock.advance(seconds=cap)
    assert _post(client, "asha", address="198.18.1.1").status_code == 401
    # The owner comes now: told to wait, the right password refused unchecked.
    response = _post(client, "asha", DEFAULT_PASSWORD, address=OWNER)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == cap
    assert "Please wait 5 minutes, then try again." in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302
    # The attacker keeps hammering during the owner's wait: refused, not counted, the wait not extended.
    failures = _failures(throttle.account_key("asha"))
    for n in range(50):
        app_clock.advance(seconds=5)
        assert _post(client, "asha", address=f"198.18.2.{n}").status_code == 429
    assert _failures(throttle.account_key("asha")) == failures
    app_clock.advance(seconds=cap - 250)
    response = _post(client, "asha", DEFAULT_PASSWORD, address=OWNER)
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert _failures(throttle.account_key("asha")) is None  # the owner's success clears the account's failures


def test_an_attacker_who_takes_every_opening_cannot_keep_the_owner_out_of_a_known_browser(app, app_clock):
    """The one way to hold a new browser off: fail at the very instant each wait ends, for ever. A
    browser the owner signed in from before is throttled on its own key (its known-device cookie), so
    the owner gets in there at once; a forged cookie or another account's is worth nothing, and a
    stolen one earns no more guesses than any other key."""
    make_user(Role.OFFICE, "asha")
    make_user(Role.OFFICE, "ravi")
    app_clock.set(START)
    known, ravis, attacker, new = (app.test_client() for _ in range(4))
    assert _post(known, "asha", DEFAULT_PASSWORD, address=OWNER).status_code == 302
    assert _post(ravis, "ravi", DEFAULT_PASSWORD, address=OWNER).status_code == 302
    cookie = known.get_cookie("tracker_known_device", path="/login")
    assert cookie is not None and "HttpOnly" in _set_cookie(known, "asha")
    known.post("/logout")
    ravis.post("/logout")
    # The attacker fails, then takes every opening the moment it comes.
    for n in range(30):
        response = _post(attacker, "asha", address=f"198.18.0.{n}")
        if response.status_code == 429:
            app_clock.advance(seconds=int(response.headers["Retry-After"]))
            response = _post(attacker, "asha", address=f"198.18.1.{n}")
        assert response.status_code == 401
    # A new browser with the right password finds the account waiting.
    assert _post(new, "asha", DEFAULT_PASSWORD, address=OWNER).status_code == 429
    # Ravi's known-device cookie is no use for asha's account, nor is a forged one.
    assert _post(ravis, "asha", DEFAULT_PASSWORD, address=OWNER).status_code == 429
    new.set_cookie("tracker_known_device", cookie.value[:-2] + "xx", path="/login")
    assert _post(new, "asha", DEFAULT_PASSWORD, address=OWNER).status_code == 429
    # The owner's own browser gets in at once.
    assert _post(known, "asha", DEFAULT_PASSWORD, address=OWNER).status_code == 302
    assert known.get("/home").status_code == 200
    # A stolen cookie (the thief has it, not the password) earns the free failures, then waits.
    thief = app.test_client()
    thief.set_cookie("tracker_known_device", known.get_cookie("tracker_known_device", path="/login").value,
                     path="/login")
    statuses = [_post(thief, "asha", address=ATTACKER).status_code for _ in range(8)]
    assert statuses == [401] * app.config["LOGIN_FREE_FAILURES"] + [429] * 3


def _set_cookie(client, username) -> str:
    client.post("/logout")
    response = _post(client, username, DEFAULT_PASSWORD, address=OWNER)
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("tracker_known_device="))


def test_the_wait_message_is_in_the_users_language(client, app_clock):
    app_clock.set(START)
    for _ in range(5):
        _post(client, "asha")
    response = _post(client, "asha", headers={"Accept-Language": "hi"})
    assert response.status_code == 429
    assert "कृपया 1 सेकंड रुकें" in response.get_data(as_text=True)


def test_the_throttle_table_does_not_grow_with_random_usernames(app, client, app_clock):
    app_clock.set(START)
    for n in range(300):
        _post(client, f"random-{uuid.uuid4().hex}")
        if n % 50 == 49:
            app_clock.advance(seconds=1)
    # One row per username the address could try before its waits began, and the address's own.
    bound = app.config["LOGIN_ADDRESS_FREE_FAILURES"] + 2 * app.config["LOGIN_MAX_DELAY_SECONDS"] // 60
    assert _rows() <= bound
    # No row names a username.
    assert not db.session.scalar(sa.select(sa.func.count()).where(LoginThrottle.key.like("%random%")))
    # Rows expire with the window and are deleted at the next failures.
    app_clock.advance(minutes=app.config["LOGIN_THROTTLE_WINDOW_MINUTES"] + 1)
    _post(client, "one-more", address=OWNER)
    assert _rows() == 2  # the new failure's account and address


def test_throttling_goes_to_the_audit_trail(app, client, app_clock):
    user = make_user(Role.OFFICE, "asha")
    app_clock.set(START)
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        _post(client, "asha")
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "login_throttled"))
    assert (entry.entity_type, entry.entity_id) == ("users", user.id)
    assert entry.changes["address"] == [None, ATTACKER]
    for n in range(app.config["LOGIN_ADDRESS_FREE_FAILURES"]):
        _post(client, f"guess-{n}")
    events = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "login_addresses")).all()
    assert [e.changes["address"] for e in events] == [[None, ATTACKER]]


def test_an_ipv6_client_is_throttled_by_its_64_network():
    assert throttle.address_key("2001:db8:1:2:aaaa::1") == throttle.address_key("2001:db8:1:2:bbbb::9")
    assert throttle.address_key("2001:db8:1:3::1") != throttle.address_key("2001:db8:1:2::1")
    assert throttle.address_key("::ffff:203.0.113.5") == throttle.address_key("203.0.113.5")
    assert throttle.address_key(None) == "address:unknown"


# --- the client address behind reverse proxies -----------------------------------------------------


def _app_with(database_url, **config):
    return create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SERVER_NAME": "localhost",
        "LOGIN_ADDRESS_FREE_FAILURES": 3, **config,
    })


def _statuses(app, forwarded_for: list[str]) -> list[int]:
    statuses = []
    with app.app_context():
        client = app.test_client()
        for n, header in enumerate(forwarded_for):
            statuses.append(_post(client, f"guess-{n}", address="10.0.0.1",
                                  headers={"X-Forwarded-For": header}).status_code)
        db.engine.dispose()
    return statuses


def test_without_trusted_proxies_x_forwarded_for_is_ignored(database_url):
    app = _app_with(database_url)
    # A client cannot escape the address throttle by sending a different X-Forwarded-For each time.
    assert _statuses(app, [f"198.51.100.{n}" for n in range(5)]) == [401, 401, 401, 429, 429]


def test_behind_one_trusted_proxy_the_client_is_the_address_it_saw(database_url):
    app = _app_with(database_url, TRUSTED_PROXIES=1)
    # The client forges the left of the header; the proxy appended the address it saw.
    forged = [f"1.2.3.{n}, 203.0.113.9" for n in range(4)]
    assert _statuses(app, forged) == [401, 401, 401, 429]
    # Another client behind the same proxy is not hindered.
    assert _statuses(app, ["203.0.113.10"]) == [401]


# --- finding 11: atomic counters under parallel requests ------------------------------------------


def _parallel_failures(base_url: str, count: int) -> list[int]:
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def attempt():
        data = urllib.parse.urlencode({"username": "Asha", "password": "wrong-password"}).encode()
        barrier.wait()
        try:
            with urllib.request.urlopen(f"{base_url}/login", data=data, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            with error:  # its connection closed (no stray socket)
                statuses.append(error.code)

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return statuses


def test_twenty_parallel_failures_count_exactly_twenty(app, live_server, app_clock, monkeypatch):
    """Twenty parallel first failures of a new key: no collision (no 500), no lost increment."""
    monkeypatch.setitem(app.config, "LOGIN_FREE_FAILURES", 100)
    app_clock.set(START)
    statuses = _parallel_failures(live_server, 20)
    assert sorted(statuses) == [401] * 20
    assert _failures(throttle.account_key("asha")) == 20
    assert _failures(throttle.address_key("127.0.0.1")) == 20


def test_parallel_attempts_cannot_slip_through_an_opening(app, live_server, app_clock):
    """With the default free failures, exactly that many of twenty parallel attempts are checked; the
    rest are refused unchecked, whatever their order."""
    make_user(Role.OFFICE, "asha")
    app_clock.set(START)
    statuses = _parallel_failures(live_server, 20)
    free = app.config["LOGIN_FREE_FAILURES"]
    assert sorted(statuses) == [401] * free + [429] * (20 - free)
    assert _failures(throttle.account_key("asha")) == free


@pytest.mark.parametrize("claim", [True, False])
def test_the_count_is_one_statement(app, claim, app_clock):
    """The count is a single INSERT … ON CONFLICT DO UPDATE on both databases."""
    statement = throttle._count_statement(db.engine.dialect.name, claim)
    sql = str(statement.compile(dialect=db.engine.dialect))
    assert sql.startswith("INSERT INTO login_throttles") and "ON CONFLICT" in sql and "DO UPDATE SET" in sql
    now = app_clock.set(START)
    policy = throttle.account_policy()
    assert [throttle.count_attempt("account:x", policy, now, claim) for _ in range(3)] == [1, 2, 3]
