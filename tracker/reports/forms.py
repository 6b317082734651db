"""Forms of programme reports (Flask-WTF: CSRF on every post)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms import BaseForm
from tracker.i18n import _l


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ReportForm(BaseForm):
    district_id = SelectField(_l("District"), validators=[InputRequired()], coerce=int)
    kind_id = SelectField(_l("Kind of programme"), validators=[InputRequired()], coerce=int)
    held_on = DateField(_l("Date"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    unit_ids = CheckboxList(_l("Blocks covered"), validators=[Optional()], coerce=int)
    participants = IntegerField(_l("Number who took part"), validators=[InputRequired(), NumberRange(0, 10_000_000)])
    account = TextAreaField(_l("Short account"), validators=[Optional(), Length(max=5000)])
    links = TextAreaField(_l("Links (news, social media)"), validators=[Optional(), Length(max=5000)],
                          description=_l("One web address a line."))
    files = MultipleFileField(_l("Photos and short videos"),
                              description=_l("Photos are made smaller on the phone before they are sent."))
    client_key = HiddenField(validators=[Optional(), Length(max=64)])
    # The keys of the files the phone already sent in pieces (/files/uploads), separated by spaces.
    uploaded_files = HiddenField(validators=[Optional(), Length(max=1000)])


class QuestionForm(BaseForm):
    question = TextAreaField(_l("Question to the district president"), validators=[DataRequired(), Length(max=2000)])


class AnswerForm(BaseForm):
    answer = TextAreaField(_l("Your answer to the question"), validators=[DataRequired(), Length(max=2000)])


class KindForm(BaseForm):
    name_hi = StringField(_l("Name in Hindi"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    is_archived = BooleanField(_l("Archived (no longer offered)"))
