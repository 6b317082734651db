"""History sections show recorded dates and instants in the house style ("22 सितंबर 2025, 09:30"), not as
the ISO text the audit trail stores (seen on the review note page by journey 4 of issue 11)."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.factories import make_person, make_post, make_unit
from tracker.audit.fields import DATE, DATETIME, NUMBER, PHONE, TEXT
from tracker.audit.queries import history


@pytest.mark.parametrize(("lang", "shower", "value", "expected"), [
    ("hi", DATE, "2025-09-22", "22 सितंबर 2025"),
    ("en", DATE, "2025-09-22", "22 September 2025"),
    ("hi", DATETIME, "2025-09-22T04:00:00+00:00", "22 सितंबर 2025, 09:30"),
    ("en", DATETIME, "2025-09-22T04:00:00.123456+00:00", "22 September 2025, 09:30"),
    ("hi", DATE, "2025-13-40", "2025-13-40"),  # looks like a date, is not one: shown as recorded
    ("hi", TEXT, "बैठक 2025-09-22 को", "बैठक 2025-09-22 को"),  # text that contains a date is left alone
    ("hi", NUMBER, 3, "3"),
])
def test_recorded_dates_are_shown_in_the_house_style(app, lang, shower, value, expected):
    with force_locale(lang):
        assert shower(value) == expected


def test_phone_numbers_still_in_national_format(app):
    assert PHONE("+919425000001") == "094250 00001"


def test_a_posts_history_shows_its_start_date_in_hindi(app):
    post = make_post(make_person(), make_unit("district"), start_date=date(2025, 8, 16))
    with force_locale("hi"):
        changes = {field: new for entry in history("posts", post.id) for field, _old, new in entry.changes}
        assert changes[_("Term starts")] == "16 अगस्त 2025"
