"""WTForms' own messages (issue 17, finding 1): every one renders, with its variables, in both languages.

WTForms formats a message itself (``message % dict(min=…, max=…, length=…)``); the translations
adapter must hand it the translated template untouched. Flask-Babel's ``ngettext`` formats with
``num`` only, so a plural message with ``%(max)d`` raised ``KeyError`` and the page answered 500.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import wtforms
from babel.messages.pofile import read_po
from flask_babel import refresh

from tracker.forms import _TRANSLATIONS, WTFORMS_MESSAGES, WTFORMS_PLURALS

WTFORMS_POT = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
# Every variable a WTForms validator interpolates into its messages.
VARIABLES = {"min": 2, "max": 80, "length": 81, "other_name": "x", "values": "a, b", "value": "z"}


def _wtforms_messages():
    with WTFORMS_POT.open("rb") as fh:
        catalog = read_po(fh)
    return [m.id for m in catalog if m.id]


def test_long_username_is_refused_with_a_message_not_a_500(client):
    for language, expected in (("en", "Field cannot be longer than 80 characters."), ("hi", "अधिकतम 80 अक्षर हो सकते हैं।")):
        response = client.post("/login", data={"username": "a" * 81, "password": "x"},
                               headers={"Accept-Language": language})
        assert response.status_code < 500, response.get_data(as_text=True)[:300]
        assert expected in response.get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_wtforms_message_renders_with_its_variables(app, language):
    """The adapter returns templates WTForms can format, for every message WTForms ships."""
    ours = set(WTFORMS_MESSAGES) | {p for pair in WTFORMS_PLURALS for p in pair}
    with app.test_request_context("/", headers={"Accept-Language": language}):
        refresh()
        for msgid in _wtforms_messages():
            if isinstance(msgid, tuple):
                assert set(msgid) <= ours, f"WTForms message not in tracker/forms.py: {msgid}"
                for n in (1, 2, 5):
                    text = _TRANSLATIONS.ngettext(msgid[0], msgid[1], n) % VARIABLES
                    assert "%(" not in text
            else:
                assert msgid in ours, f"WTForms message not in tracker/forms.py: {msgid}"
                text = _TRANSLATIONS.gettext(msgid) % VARIABLES
                assert "%(" not in text
            if language == "hi":
                assert re.search("[\u0900-\u097f]", text), f"no Hindi for {msgid!r}: {text!r}"
