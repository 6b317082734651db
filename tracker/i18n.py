"""Locale choice, translation helpers and catalog compilation.

Use ``_`` in request code, ``_l`` for labels evaluated at import time (forms, enums), and
``N_`` to mark a string for extraction where it is translated later.

Contexts: where one English word has two Hindi meanings, each use names its sense with
``pgettext(context, text)`` (``lazy_pgettext`` at import time, ``pgettext(...)`` in templates), so
the catalog holds one entry per sense. The contexts in use (tests/foundation/test_i18n_contexts.py
pins them): ``"status"`` (the state of a message or login: "State" → स्थिति) and ``"unit level"``
(the geographic level: "State" → प्रदेश).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_request_context, request, session
from flask_babel import (
    format_date,
    format_decimal,
    format_time,
    get_locale,
    lazy_pgettext,  # noqa: F401
    ngettext,  # noqa: F401
    npgettext,  # noqa: F401  (re-exported: a word with two meanings, see "Contexts" below)
    pgettext,  # noqa: F401
)
from flask_babel import gettext as _  # noqa: F401  (re-exported)
from flask_babel import lazy_gettext as _l  # noqa: F401
from flask_login import current_user

SESSION_KEY = "locale"
# Formatting follows Indian conventions in English too: "22 September 2025", "12,34,567".
FORMAT_LOCALES = {"en": "en_IN", "hi": "hi"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


def select_locale() -> str:
    return FORMAT_LOCALES.get(select_language(), select_language())


def select_language() -> str:
    """Saved preference of the user, then the explicit switch, then Accept-Language, then the default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["DEFAULT_LOCALE"]
    forced = getattr(g, "force_locale", None)
    if forced in languages:
        return forced
    if current_user and getattr(current_user, "is_authenticated", False):
        pref = getattr(current_user, "locale", None)
        if pref in languages:
            return pref
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    best = request.accept_languages.best_match(languages)
    return best or current_app.config["DEFAULT_LOCALE"]


def select_timezone() -> str:
    return current_app.config["TIMEZONE"]


def current_locale() -> str:
    """The language of the current request: ``"hi"`` or ``"en"``."""
    locale = get_locale()
    return locale.language if locale is not None else current_app.config["DEFAULT_LOCALE"]


def name_order(model, field: str = "name", locale: str | None = None) -> list:
    """SQL ``ORDER BY`` terms that list rows by name in the page's language: on Hindi pages by the
    Devanagari name (``name_hi``), on English pages by the Latin one; rows without a name in that
    language come after, by their other name. Add a unique column (the id) after these terms.

    The comparison is by code point (PostgreSQL: ``COLLATE "C"``, SQLite's default), which follows the
    Devanagari alphabet (अ आ इ … क ख … ह; anusvara before consonants, then the matras, then the
    conjuncts), and is the same on both databases; Latin names compare without case.
    ``model`` is a mapped class or an alias with ``<field>_hi`` and ``<field>_en`` columns.
    """
    import sqlalchemy as sa

    from tracker.extensions import db

    loc = locale or current_locale()
    first, second = (f"{field}_hi", f"{field}_en") if loc == "hi" else (f"{field}_en", f"{field}_hi")
    first, second = getattr(model, first), getattr(model, second)
    missing = sa.func.coalesce(first, "") == ""
    key = sa.func.lower(sa.case((missing, second), else_=first))
    if db.session.get_bind().dialect.name == "postgresql":
        key = key.collate("C")
    return [sa.case((missing, 1), else_=0), key]


def localized(obj, field: str = "name") -> str:
    """Pick ``name_hi`` or ``name_en`` of an object for the current locale, falling back to the other."""
    loc = current_locale()
    first, second = (f"{field}_hi", f"{field}_en") if loc == "hi" else (f"{field}_en", f"{field}_hi")
    return getattr(obj, first, None) or getattr(obj, second, None) or ""


@dataclass(frozen=True)
class LocaleInfo:
    language_tag: str
    text_direction: str = "ltr"


# --- dates and times -------------------------------------------------------------------------
# One style per language, used by every page, message and export (issue 11): 24-hour clock, never
# seconds, the month written out: "22 सितंबर 2025, 13:00" / "22 September 2025, 13:00"; times "13:00".
# The patterns are CLDR patterns (Babel supplies the month and weekday names of each language).


@dataclass(frozen=True)
class DateTimeStyle:
    date: str  # 22 September 2025
    weekday: str  # Monday, 22 September 2025
    month: str  # September 2025
    day: str  # 22 September (an SMS has no room for the year)
    time: str  # 13:00
    joined: str  # how fmt_datetime joins the date and the time


DATETIME_STYLES = {
    "hi": DateTimeStyle(date="d MMMM y", weekday="EEEE, d MMMM y", month="MMMM y", day="d MMMM", time="HH:mm",
                        joined="{date}, {time}"),
    "en": DateTimeStyle(date="d MMMM y", weekday="EEEE, d MMMM y", month="MMMM y", day="d MMMM", time="HH:mm",
                        joined="{date}, {time}"),
}
# Older call sites name Babel's styles or patterns; each means one of ours, so no page can differ.
_DATE_STYLE_ALIASES = {
    "date": "date", "short": "date", "medium": "date", "long": "date", "d MMMM y": "date", "d MMM y": "date",
    "weekday": "weekday", "full": "weekday", "EEEE, d MMMM y": "weekday",
    "month": "month", "MMMM y": "month", "MMM y": "month",
    "day": "day",
}


def datetime_style() -> DateTimeStyle:
    """The date-and-time style of the current language."""
    return DATETIME_STYLES.get(current_locale(), DATETIME_STYLES["en"])


def _date_pattern(style: str) -> str:
    return getattr(datetime_style(), _DATE_STYLE_ALIASES.get(style, "date"))


def fmt_date(value: date | datetime | None, style: str = "date") -> str:
    """``22 सितंबर 2025``; ``style`` "weekday" adds the day's name, "month" gives ``सितंबर 2025``.
    A datetime is first converted to the office's time zone (naive ones are UTC)."""
    if value is None:
        return ""
    return format_date(value, _date_pattern(style))


def fmt_time(value, style: str = "time") -> str:
    """``13:00`` (24-hour, no seconds) in the office's time zone; ``style`` is accepted and ignored."""
    if value is None:
        return ""
    return format_time(value, datetime_style().time)


def fmt_datetime(value: datetime | None, style: str = "date") -> str:
    """``22 सितंबर 2025, 13:00`` in the office's time zone; ``style`` "weekday" adds the day's name."""
    if value is None:
        return ""
    return datetime_style().joined.format(date=fmt_date(value, style), time=fmt_time(value))


# --- phone numbers ---------------------------------------------------------------------------


def fmt_phone(value: str | None) -> str:
    """A stored number (E.164, ``+919425000001``) as people in India write it: ``094250 00001``;
    numbers of other countries in international format; what cannot be parsed, as it is."""
    if not value:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(value, "IN")
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    kind = (phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 91
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, kind)


def fmt_number(value) -> str:
    if value is None:
        return ""
    return format_decimal(value)


# The app's languages by name, in the reader's language ("Hindi"/"हिन्दी"); the language switch alone shows
# each language in its own script.
LANGUAGE_TITLES = {"hi": _l("Hindi"), "en": _l("English")}


def language_title(code: str | None) -> str:
    """A language code (a person's or a message's) by name in the reader's language."""
    title = LANGUAGE_TITLES.get(code or "")
    return str(title) if title is not None else (code or "")


def init_app(app) -> None:
    """Template filters of this module that the core views do not register."""
    app.jinja_env.filters["fmt_phone"] = fmt_phone
    app.jinja_env.filters["language_title"] = language_title


def compile_catalogs(translations_dir: str | Path, force: bool = False) -> list[Path]:
    """Compile every ``messages.po`` whose ``.mo`` is missing or older. Returns what was written."""
    written = []
    for po_path in sorted(Path(translations_dir).glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        tmp.replace(mo_path)
        written.append(mo_path)
    return written
