"""Forms of the directory. Choices that come from the database are filled in by the views."""

from __future__ import annotations

from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from tracker.directory.models import Channel, DistrictKind, UnitLevel
from tracker.forms import BaseForm
from tracker.i18n import _l


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class UnitForm(BaseForm):
    name_hi = StringField(_l("Name in Hindi"), validators=[Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[Length(max=200)])
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("A short, stable code: small Latin letters, digits, - and _, e.g. bhopal_city."),
    )
    level = SelectField(_l("Level"), choices=UnitLevel.choices(), validators=[DataRequired()])
    parent_id = SelectField(_l("Parent unit"), coerce=_optional_int, validators=[Optional()], validate_choice=False)
    district_kind = SelectField(
        _l("Kind of district"),
        choices=DistrictKind.choices(),
        description=_l("Only for districts: a whole revenue district, or its city or rural part."),
    )


class PersonForm(BaseForm):
    name_hi = StringField(
        _l("Name in Hindi (Devanagari)"),
        validators=[Length(max=200)],
        description=_l("Type the name in either script; the other is suggested and can be corrected."),
    )
    name_en = StringField(_l("Name in English (Latin script)"), validators=[Length(max=200)])
    mobile = StringField(_l("Mobile number"), validators=[Length(max=30)],
                         description=_l("10 digits, e.g. 98765 43210."))
    email = StringField(_l("Email"), validators=[Optional(), Length(max=254)])
    preferred_locale = SelectField(_l("Preferred language"), choices=[SelectChoice("hi", _l("Hindi")), SelectChoice("en", _l("English"))])
    preferred_channel = SelectField(_l("Preferred channel"), choices=Channel.choices(), default="sms")
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class AppointForm(BaseForm):
    person_id = SelectField(_l("Person"), coerce=_optional_int, validators=[DataRequired()], validate_choice=False)
    unit_id = SelectField(_l("Unit"), coerce=_optional_int, validators=[DataRequired()], validate_choice=False)
    role_code = SelectField(_l("Post"), validators=[DataRequired()], validate_choice=False)
    start_date = DateField(_l("From"), validators=[DataRequired()])
    end_date = DateField(_l("Until"), validators=[Optional()],
                         description=_l("Leave empty while the term goes on."))
    note = StringField(_l("Note"), validators=[Length(max=500)])
    # Set by the confirmation step after the user saw who is replaced.
    confirmed = HiddenField()


class PostForm(BaseForm):
    start_date = DateField(_l("From"), validators=[DataRequired()])
    end_date = DateField(_l("Until"), validators=[Optional()],
                         description=_l("Leave empty while the term goes on."))
    note = StringField(_l("Note"), validators=[Length(max=500)])


class EndPostForm(BaseForm):
    end_date = DateField(_l("Last day of the term"), validators=[DataRequired()])
