"""The base forms of every form in tracker: CSRF (Flask-WTF), WTForms' own messages in our catalog,
and the text rule of tracker/text.py on every text field.

WTForms ships no Hindi catalog, so its built-in validator messages are extracted from the list
below into ``translations/`` and translated with the rest of the app.

Every text field (a ``StringField`` or a subclass) of a :class:`BaseForm` or a :class:`RowForm`
(the rows of a repeated group) gets the text rule when it is bound, so no form can forget it:

* single-line fields (``StringField``, ``HiddenField`` and the app's own subclasses): normalised to
  NFC, and refused when they hold a control or direction character (:func:`tracker.text.clean_line`);
* ``TextAreaField``: normalised, control characters other than tab and line breaks removed
  (:func:`tracker.text.clean_multiline`);
* ``PasswordField``: untouched (never shown nor stored as typed).

tests/foundation/test_form_text_rules.py walks every form class of the app and checks it.
"""

from __future__ import annotations

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import Form, PasswordField, StringField, TextAreaField, ValidationError

from tracker.i18n import N_
from tracker.text import clean_multiline, line_problem, normalise


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for extraction (keyword ``Nn_:1,2``)."""
    return singular, plural


class _Translations:
    """WTForms' translations interface (``gettext``/``ngettext``, as its ``DummyTranslations``).

    WTForms formats each message itself with the variables of its validator
    (``message % dict(min=…, max=…, length=…)``), so this returns the translated *template*, never
    formatted. (Flask-Babel's own ``ngettext`` formats with ``num`` only: ``%(max)d`` raised
    ``KeyError`` and every over-long field answered 500 — issue 17.)
    """

    def gettext(self, string: str) -> str:
        return get_translations().gettext(string) if string else string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


_TRANSLATIONS = _Translations()


def _nfc(value):
    return normalise(value) if isinstance(value, str) else value


def _multiline(value):
    return clean_multiline(value) if isinstance(value, str) else value


class SingleLine:
    """Refuses a control or direction character in a single-line text (tracker/text.py)."""

    field_flags: dict = {}

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str):
            problem = line_problem(field.data)
            if problem is not None:
                raise ValidationError(problem.message)


class MultiLine:
    """Marks a multi-line text: its filter already removed what may not be stored."""

    field_flags: dict = {}

    def __call__(self, form, field) -> None:
        return None


def apply_text_rule(field) -> None:
    """Give a bound field the text rule of its kind (see the module's docstring)."""
    if isinstance(field, PasswordField) or not isinstance(field, StringField):
        return
    if isinstance(field, TextAreaField):
        field.filters = (*field.filters, _multiline)
        field.validators = [MultiLine(), *field.validators]
    else:
        field.filters = (*field.filters, _nfc)
        field.validators = [SingleLine(), *field.validators]


class _Meta:
    def get_translations(self, form):
        return _TRANSLATIONS

    def bind_field(self, form, unbound_field, options):
        field = unbound_field.bind(form=form, **options)
        apply_text_rule(field)
        return field


class BaseForm(FlaskForm):
    """A page's form (CSRF included)."""

    class Meta(_Meta):
        pass


class RowForm(Form):
    """A row of a repeated group (``FieldList(FormField(...))``): no CSRF of its own, the same rules."""

    class Meta(_Meta):
        pass


# WTForms' built-in messages, listed so that pybabel extracts them (keyword N_).
WTFORMS_MESSAGES = [
    N_("Invalid field name '%s'."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid IP address."),
    N_("Invalid Mac address."),
    N_("Invalid URL."),
    N_("Invalid UUID."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("This field is disabled and cannot have a value."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("The CSRF token is missing."),
    N_("The CSRF token is invalid."),
    N_("The CSRF token has expired."),
    N_("The CSRF tokens do not match."),
    N_("The CSRF session token is missing."),
    N_("Invalid Choice: could not coerce."),
    N_("Choices cannot be None."),
    N_("Not a valid choice."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("Not a valid datetime value."),
    N_("Not a valid date value."),
    N_("Not a valid time value."),
    N_("Not a valid week value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
]
WTFORMS_PLURALS = [
    Nn_("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    Nn_("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
    Nn_("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."),
    Nn_("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field."),
]
