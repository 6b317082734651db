"""Wrong sign-in codes are limited per client address too (issue 12), in the database throttle: 70
people behind a venue's shared Wi-Fi, mistyping on the way, all sign in; one address guessing codes
across many numbers is made to wait, while the owner elsewhere is not."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import make_person, make_user
from tracker.auth.models import LoginThrottle, Role
from tracker.extensions import db

START = "2025-09-22T09:30:00+05:30"
VENUE = "203.0.113.7"
EN = {"Accept-Language": "en"}


@pytest.fixture
def webhook(app, webhook_receiver, monkeypatch):
    webhook_receiver.configure(app, monkeypatch)
    return webhook_receiver


def _number(n: int) -> str:
    return f"+9198123{n:05d}"


def _ask(phone, number: str, address: str) -> int:
    return phone.post("/login/mobile", data={"mobile": number}, environ_base={"REMOTE_ADDR": address},
                      headers=EN).status_code


def _type(phone, code: str, address: str):
    return phone.post("/login/code", data={"code": code}, environ_base={"REMOTE_ADDR": address}, headers=EN)


def _code_for(webhook, number: str) -> str:
    text = next(r.json["text"] for r in reversed(webhook.requests) if r.json["to"] == number)
    return re.search(r"#(\d{6})$", text).group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _signed_in(phone) -> bool:
    return phone.get("/settings", headers=EN).status_code == 200


def test_seventy_people_on_a_venues_wifi_sign_in_though_they_mistype(app, webhook, app_clock):
    app_clock.set(START)
    numbers = [_number(n) for n in range(70)]
    for n, number in enumerate(numbers):
        make_user(Role.PRESIDENT, f"president{n}", person=make_person(f"President {n}", mobile=number))
    phones = [app.test_client() for _ in numbers]
    for phone, number in zip(phones, numbers, strict=True):
        assert _ask(phone, number, VENUE) == 302
    webhook.wait_for(70)
    for n, (phone, number) in enumerate(zip(phones, numbers, strict=True)):
        code = _code_for(webhook, number)
        for _ in range(1 + n % 2):  # everyone mistypes once, every other person twice: 105 wrong codes
            assert _type(phone, _wrong(code), VENUE).status_code == 401
        assert _type(phone, code, VENUE).status_code == 302, number
        app_clock.advance(seconds=3)  # 70 people within a few minutes
    assert all(_signed_in(phone) for phone in phones)


def test_one_address_guessing_codes_across_many_numbers_is_made_to_wait(app, webhook, app_clock):
    app_clock.set(START)
    owner_number = _number(99)
    make_user(Role.PRESIDENT, "owner", person=make_person("Owner", mobile=owner_number))
    guesser = app.test_client()
    free = app.config["SIGN_IN_CODE_ADDRESS_FREE_FAILURES"]
    statuses = []
    for n in range(free):
        with guesser.session_transaction() as session:
            session["sign_in_mobile"] = _number(n)  # numbers of no login, or of someone else's open code
        statuses.append(_type(guesser, "123456", VENUE).status_code)
    assert statuses == [401] * free  # the last of the free failures starts a wait (1 s)
    # The owner asks for a code from the same network: typed there, even the right code now waits, unchecked.
    owner = app.test_client()
    assert _ask(owner, owner_number, VENUE) == 302
    code = _code_for(webhook, owner_number)
    response = _type(owner, code, VENUE)
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert "Too many failed attempts" in response.get_data(as_text=True)
    assert not _signed_in(owner)
    # The throttle keeps the address, not the numbers tried.
    keys = db.session.scalars(sa.select(LoginThrottle.key)).all()
    assert "code-try-address:" + VENUE in keys and not [k for k in keys if owner_number in k]
    # The wait is short and the code unharmed: after it, the right code signs in.
    app_clock.advance(seconds=2)
    assert _type(owner, code, VENUE).status_code == 302
    assert _signed_in(owner)


def test_the_wait_of_one_address_does_not_stop_another(app, webhook, app_clock, monkeypatch):
    monkeypatch.setitem(app.config, "SIGN_IN_CODE_ADDRESS_FREE_FAILURES", 2)
    app_clock.set(START)
    number = _number(1)
    make_user(Role.PRESIDENT, "owner", person=make_person("Owner", mobile=number))
    guesser = app.test_client()
    with guesser.session_transaction() as session:
        session["sign_in_mobile"] = _number(2)
    assert [_type(guesser, "000000", VENUE).status_code for _ in range(3)] == [401, 401, 429]
    owner = app.test_client()
    assert _ask(owner, number, "198.51.100.4") == 302
    assert _type(owner, _code_for(webhook, number), "198.51.100.4").status_code == 302
