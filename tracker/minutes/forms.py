from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional

from tracker.forms import BaseForm
from tracker.i18n import _l

LANGUAGE_CHOICES = [SelectChoice("hi", "हिन्दी"), SelectChoice("en", "English")]


class StartForm(BaseForm):
    """Start the minutes of the meeting (no session) or of one of its group sessions."""

    session_id = HiddenField()
    language = SelectField(_l("Language of the minutes"), choices=LANGUAGE_CHOICES, default="hi",
                           validators=[InputRequired()])


class EditForm(BaseForm):
    """The language; the texts come as ``text-<key>`` fields, one per section (the template lays them out)."""

    language = SelectField(_l("Language of the minutes"), choices=LANGUAGE_CHOICES,
                           validators=[InputRequired()])


class ActionForm(BaseForm):
    """Approve or send: only the CSRF token."""


class SettingsForm(BaseForm):
    party_name_hi = StringField(_l("Name of the party in Hindi"), validators=[InputRequired(), Length(max=200)])
    party_name_en = StringField(_l("Name of the party in English"), validators=[InputRequired(), Length(max=200)])
    address_hi = StringField(_l("Address in Hindi"), validators=[Optional(), Length(max=300)])
    address_en = StringField(_l("Address in English"), validators=[Optional(), Length(max=300)])
    reference_prefix = StringField(_l("Start of the reference numbers"),
                                   validators=[InputRequired(), Length(max=20)])
    national_office_email = StringField(_l("E-mail address of the national office"),
                                        validators=[Optional(), Email(), Length(max=254)])


class LogoForm(BaseForm):
    logo = FileField(_l("The party's logo (a PNG, JPEG or WebP image)"))
