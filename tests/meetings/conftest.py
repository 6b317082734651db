"""Fixtures of the meetings tests: the Madhya Pradesh demo directory, a fixed clock, helpers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from tracker.directory.models import Person, Unit
from tracker.extensions import db

REFERENCE_DIVISIONS = ["bhopal", "narmadapuram", "indore", "ujjain", "jabalpur", "sagar"]
START = date(2025, 9, 22)


class Demo:
    """The demo directory (``tracker.directory.demo.load_demo``) with lookups by code and name."""

    def unit(self, code: str) -> Unit:
        return db.session.scalar(sa.select(Unit).where(Unit.code == code))

    def person(self, name_en: str) -> Person:
        return db.session.scalar(sa.select(Person).where(Person.name_en == name_en))

    def division(self, name: str) -> Unit:
        return self.unit(f"{name}_division")

    def login(self, auth, username: str, locale: str | None = None):
        """Log in as one of the demo logins (``praveen`` is Bhopal City's president)."""
        from flask import current_app

        from tracker.auth.models import User

        if locale:
            user = db.session.scalar(sa.select(User).where(User.username == username))
            user.locale = locale
            db.session.commit()
        return auth.login(username, current_app.config["DEMO_PASSWORD"])


@pytest.fixture
def demo() -> Demo:
    from tracker.directory.demo import load_demo

    load_demo()
    return Demo()


@pytest.fixture
def clock(monkeypatch):
    """The meetings domain thinks it is 20 September 2025, 10:00 in Bhopal."""
    now = datetime(2025, 9, 20, 4, 30, tzinfo=UTC)
    monkeypatch.setattr("tracker.meetings.queries.now_utc", lambda: now)
    return now


@pytest.fixture
def office(auth):
    make_user("office", "office_user")
    auth.login("office_user")
    return auth


def reference_input(**overrides):
    from tracker.meetings.planning import PlanInput

    data = dict(division_codes=list(REFERENCE_DIVISIONS), start=START, days=3, per_day=2,
                pins={START: ["bhopal", "narmadapuram"]}, window=(time(11, 0), time(17, 0)))
    data.update(overrides)
    return PlanInput(**data)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    from tracker.timeutil import local_to_utc

    return local_to_utc(day, time(hh, mm))
