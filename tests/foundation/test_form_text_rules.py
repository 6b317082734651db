"""The text rule (tracker/text.py) on every text field of every form of the app (issue 17, finding 6).

The rule is given by the forms' base classes when a field is bound; this test makes sure that no
form escapes them (every form derives from ``BaseForm`` or ``RowForm``) and that every text field is
bounded (a ``Length`` with a maximum) and carries the rule of its kind.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import Length

import tracker
from tracker.forms import BaseForm, MultiLine, RowForm, SingleLine
from tracker.text import TextRefused, check_multiline, clean_line, clean_multiline


def app_form_classes() -> list[type[Form]]:
    for info in pkgutil.walk_packages(tracker.__path__, "tracker."):
        if ".migrations" not in info.name:
            importlib.import_module(info.name)
    found, todo = set(), [Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("tracker.") and sub.__module__ != "tracker.forms":
                found.add(sub)
    return sorted(found, key=lambda c: (c.__module__, c.__qualname__))


def text_fields(form):
    """(name, field) of every text field, the rows of repeated groups included."""
    for field in form:
        if field.type == "FieldList":
            for entry in field.entries:
                if entry.type == "FormField":
                    yield from text_fields(entry.form)
                elif isinstance(entry, StringField):
                    yield entry.name, entry
        elif field.type == "FormField":
            yield from text_fields(field.form)
        elif isinstance(field, StringField):
            yield field.name, field


FORMS = app_form_classes()


def test_the_walk_finds_the_forms():
    names = {c.__name__ for c in FORMS}
    assert {"LoginForm", "PersonForm", "MeetingForm", "NoteItemRowForm", "UnavailableRowForm", "TokenForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_text_field_is_bounded_and_checked(app, form_class):
    assert issubclass(form_class, BaseForm | RowForm), f"{form_class.__name__} must derive from BaseForm or RowForm"
    with app.test_request_context("/", method="POST"):
        form = form_class(formdata=MultiDict())
        for name, field in text_fields(form):
            kinds = {type(v) for v in field.validators}
            if isinstance(field, PasswordField):
                assert not kinds & {SingleLine, MultiLine}
            elif isinstance(field, TextAreaField):
                assert MultiLine in kinds, name
            else:
                assert SingleLine in kinds, name
            if not isinstance(field, HiddenField):
                lengths = [v for v in field.validators if isinstance(v, Length)]
                assert lengths and lengths[0].max > 0, f"{form_class.__name__}.{name} has no Length(max=…)"


HOSTILE = ["\u202eevil", "a\u2066b\u2069", "x\u0085y", "x\u009by", "nul\x00", "tab\there", "line\nbreak",
           "\u200fmark", "zw\u200bsp", "\ufeffbom", "bad\ud800"]


@pytest.mark.parametrize("value", HOSTILE)
def test_lines_refuse_controls_and_direction_characters(app, value):
    with app.test_request_context("/"), pytest.raises(TextRefused):
        clean_line(value)


def test_lines_keep_zwj_zwnj_and_are_nfc(app):
    # क्‍ष with a ZWJ, a half form with a ZWNJ: Hindi spelling.
    for word in ("क्\u200dष", "क्\u200cष", "Ram Kumar", "=HYPERLINK(1)"):
        assert clean_line(word) == word
    assert clean_line("e\u0301") == "\u00e9"
    assert clean_line("\u0958") == "क\u093c"  # क़: NFC decomposes it (a composition exclusion)


def test_multiline_keeps_breaks_and_drops_other_controls(app):
    assert clean_multiline("a\tb\r\nc\x00d\x0be\u0085f\ud800") == "a\tb\r\ncdef"
    assert clean_multiline("\u202eright") == "\u202eright"  # shown isolated
    with app.test_request_context("/"), pytest.raises(TextRefused):
        check_multiline("note\x00")
    assert check_multiline("line 1\nline 2") == "line 1\nline 2"


@pytest.mark.parametrize("language,expected", [("en", "invisible control or direction character (U+202E)"),
                                               ("hi", "U+202E")])
def test_a_refused_name_is_explained_in_the_users_language(client, auth, language, expected):
    from tests.factories import make_user
    from tracker.auth.models import Role

    make_user(Role.OFFICE, "asha")
    auth.login("asha")
    response = client.post("/directory/people/new", data={"name_en": "Ram\u202e", "name_hi": "", "mobile": ""},
                           headers={"Accept-Language": language})
    assert response.status_code in (200, 422), response.status_code
    page = response.get_data(as_text=True)
    assert expected in page
    if language == "hi":
        assert "अदृश्य" in page


def test_names_in_lists_are_isolated(client, auth):
    from tests.factories import make_person, make_user
    from tracker.auth.models import Role

    make_user(Role.OFFICE, "asha")
    make_person(name_en="Ram Kumar", name_hi="राम कुमार")
    auth.login("asha")
    page = client.get("/directory/people", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<bdi>Ram Kumar</bdi>" in page
