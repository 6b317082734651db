"""The one rule for text that people type, paste or import (issue 17, finding 6).

Every text is normalised to NFC (the same name typed on two keyboards is then the same string).

* **Lines** — names, titles, codes, labels, mobile numbers, short notes; every single-line input:
  refused when they hold a control character (C0 and C1, also tab and line breaks; NUL), a line or
  paragraph separator (U+2028, U+2029), a lone surrogate, or an invisible formatting character
  (Unicode category Cf): the bidirectional overrides, embeddings and isolates (U+202A–U+202E,
  U+2066–U+2069), and also the direction *marks* U+200E, U+200F and U+061C, the zero-width space,
  the word joiner and the byte-order mark. The marks are refused too: every name is shown isolated
  (``dir="auto"``, ``<bdi>``), so a name never needs one, and an invisible mark makes two names that
  look the same differ (search, duplicates, exports). **Kept:** ZERO WIDTH NON-JOINER and ZERO WIDTH
  JOINER (U+200C, U+200D), which Hindi spelling uses (क्‍ष, half forms).
* **Multi-line text** — notes, descriptions, remarks: tab, line feed and carriage return are kept;
  the other control characters (NUL among them: PostgreSQL cannot store it) and lone surrogates are
  refused by the API (:func:`multiline_problem`) and removed from what a page form sends
  (:func:`clean_multiline`: a user cannot see, let alone find, a stray U+000B pasted from a word
  processor). Formatting characters stay: the text is rendered isolated, so they cannot reorder
  the page around it.

Forms get these rules from :mod:`tracker.forms` (every text field of every form, automatically), the
API from its ``Line`` and ``Text`` fields (tracker/api/common.py), the directory import from its row
check. The messages are translated when raised.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata

from tracker.i18n import _

KEPT = frozenset({"\u200c", "\u200d"})  # ZWNJ, ZWJ: Hindi spelling
_LINE_BREAKS_KEPT = frozenset({"\t", "\n", "\r"})
_REFUSED_IN_LINE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class TextRefused(ValueError):
    """The text holds a character the rule refuses; ``message`` is for the user (translated)."""

    def __init__(self, message: str, char: str):
        super().__init__(message)
        self.message = message
        self.char = char


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def _refused_in_line(char: str) -> bool:
    return unicodedata.category(char) in _REFUSED_IN_LINE and char not in KEPT


def _refused_in_multiline(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") and char not in _LINE_BREAKS_KEPT


def normalise(text: str) -> str:
    """NFC, with lone surrogates left as they are (they are refused or removed, not normalised)."""
    try:
        return unicodedata.normalize("NFC", text)
    except UnicodeError:  # pragma: no cover - normalize passes surrogates through
        return text


def line_problem(text: str) -> TextRefused | None:
    """The refusal of a name, title or code, or None when it may be kept."""
    for char in text:
        if _refused_in_line(char):
            return TextRefused(_("This text holds an invisible control or direction character (%(code)s); "
                                 "remove it and type the text again.", code=_code(char)), char)
    return None


def multiline_problem(text: str) -> TextRefused | None:
    """The refusal of a note or description (only tab and line breaks among the control characters)."""
    for char in text:
        if _refused_in_multiline(char):
            return TextRefused(_("This text holds a control character (%(code)s) that cannot be saved; "
                                 "remove it.", code=_code(char)), char)
    return None


def clean_line(text: str) -> str:
    """A name, title or code in NFC; raises :class:`TextRefused`."""
    text = normalise(text)
    problem = line_problem(text)
    if problem is not None:
        raise problem
    return text


def clean_multiline(text: str) -> str:
    """A note or description in NFC, without the control characters that may not be stored."""
    text = "".join(char for char in text if not _refused_in_multiline(char))
    return normalise(text)


def check_multiline(text: str) -> str:
    """A note or description in NFC; raises :class:`TextRefused` (the API's stricter reading)."""
    problem = multiline_problem(text)
    if problem is not None:
        raise problem
    return normalise(text)


# --- the same rules as JSON Schema patterns (the API's OpenAPI document) --------------------------


@functools.cache
def _candidates() -> tuple[int, ...]:
    """Every code point (surrogates aside) of a category that either rule may refuse: one scan of Unicode
    for both patterns, without a Python call per code point (the scan runs when the API's fields are made,
    in every process that starts the app)."""
    category, wanted = unicodedata.category, _REFUSED_IN_LINE | {"Cc"}
    return tuple(code for code in itertools.chain(range(0xD800), range(0xE000, 0x110000))
                 if category(chr(code)) in wanted)


def _class_of(refused) -> str:
    """A regex character class body naming every character ``refused`` refuses, surrogates aside
    (a JSON string cannot carry a lone one). BMP characters as ``\\uXXXX`` escapes, the others as
    themselves: both read the same in ECMA 262 (with the u flag), Python and Rust regexes."""
    ranges: list[list[int]] = []
    for code in _candidates():
        if not refused(chr(code)):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])

    def one(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    return "".join(one(a) if a == b else f"{one(a)}-{one(b)}" for a, b in ranges)


@functools.cache
def line_pattern() -> str:
    """The pattern a name, title or code matches: no character :func:`line_problem` refuses."""
    return f"^[^{_class_of(_refused_in_line)}]*$"


@functools.cache
def multiline_pattern() -> str:
    """The pattern a note or description matches: no character :func:`multiline_problem` refuses."""
    return f"^[^{_class_of(_refused_in_multiline)}]*$"
