from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.circulars.models import AnswerKind, RecipientScope
from tracker.forms import BaseForm
from tracker.i18n import _, _l, localized


class DistrictsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ComposeForm(BaseForm):
    """A new circular; the first valid post shows how many districts would receive it, the second (with
    ``confirmed``) sends it."""

    title = StringField(_l("Title"), validators=[InputRequired(_l("Write a title.")), Length(max=200)])
    body = TextAreaField(_l("Instruction"), validators=[InputRequired(_l("Write the instruction.")),
                                                        Length(max=5000)])
    answer_kind = RadioField(_l("Answer expected"), choices=AnswerKind.choices(), default=AnswerKind.ACKNOWLEDGE.value,
                             validators=[InputRequired(_l("Choose the answer expected."))])
    due_on = DateField(_l("Due by"), validators=[InputRequired(_l("Choose the due date."))])
    scope = RadioField(_l("Send to"), choices=RecipientScope.choices(), default=RecipientScope.DIVISION.value,
                       validators=[InputRequired(_l("Choose who receives it."))])
    division = SelectField(_l("Division"), coerce=int, validators=[Optional()])
    districts = DistrictsField(_l("Districts"), coerce=int, validators=[Optional()])
    confirmed = HiddenField(default="")

    def __init__(self, *args, divisions=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.division.choices = [(0, _("Choose a division"))] + [(u.id, localized(u)) for u in divisions]
        self.districts.choices = [(u.id, localized(u)) for u in districts]

    def validate_division(self, field) -> None:
        if self.scope.data == RecipientScope.DIVISION.value and not field.data:
            raise ValidationError(_("Choose a division."))

    def validate_districts(self, field) -> None:
        if self.scope.data == RecipientScope.DISTRICTS.value and not field.data:
            raise ValidationError(_("Choose at least one district."))


class AcknowledgeForm(BaseForm):
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Acknowledge"))


class NumberAnswerForm(BaseForm):
    number = IntegerField(_l("Your answer (a number)"), validators=[
        InputRequired(_l("Enter a number.")),
        NumberRange(min=0, max=10**11, message=_l("Enter a number from 0 to 100,000,000,000."))])
    submit = SubmitField(_l("Send the answer"))


class TextAnswerForm(BaseForm):
    text = TextAreaField(_l("Your answer"), validators=[InputRequired(_l("Write your answer.")),
                                                       Length(max=5000)])
    submit = SubmitField(_l("Send the answer"))


class ReportAnswerForm(BaseForm):
    report_id = SelectField(_l("Your programme report"), coerce=int, validators=[InputRequired(_l("Choose a report."))])
    submit = SubmitField(_l("Send the answer"))


class FileAnswerForm(BaseForm):
    file = FileField(_l("The file (a photo or a short video)"))
    submit = SubmitField(_l("Send the answer"))


class RemindForm(BaseForm):
    """The one button "remind those who have not" (no fields besides the CSRF token)."""
