"""Locale choice, translation helpers and catalog compilation.

Use ``_`` in request code, ``_l`` for labels evaluated at import time (forms, enums), and
``N_`` to mark a string for extraction where it is translated later.
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
    format_datetime,
    format_decimal,
    format_time,
    get_locale,
    ngettext,  # noqa: F401
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


def localized(obj, field: str = "name") -> str:
    """Pick ``name_hi`` or ``name_en`` of an object for the current locale, falling back to the other."""
    loc = current_locale()
    first, second = (f"{field}_hi", f"{field}_en") if loc == "hi" else (f"{field}_en", f"{field}_hi")
    return getattr(obj, first, None) or getattr(obj, second, None) or ""


@dataclass(frozen=True)
class LocaleInfo:
    language_tag: str
    text_direction: str = "ltr"


def fmt_date(value: date | datetime | None, format: str = "long") -> str:
    if value is None:
        return ""
    return format_date(value, format)


def fmt_datetime(value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, format)


def fmt_time(value, format: str = "short") -> str:
    if value is None:
        return ""
    return format_time(value, format)


def fmt_number(value) -> str:
    if value is None:
        return ""
    return format_decimal(value)


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
