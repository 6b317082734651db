"""Forms of the reviews domain. The checklist answers are dynamic and parsed by ``operations.parse_answers``."""

from __future__ import annotations

from wtforms import BooleanField, DateField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.forms import BaseForm
from tracker.i18n import _l
from tracker.reviews.models import ChecklistKind, ItemStatus


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class NoteForm(BaseForm):
    """The fixed sections of a note (checklist answers and categories are rendered and parsed separately)."""

    challenges = TextAreaField(_l("Challenges"), validators=[Optional(), Length(max=20000)])
    strategy = TextAreaField(_l("Strategy"), validators=[Optional(), Length(max=20000)])
    decisions = TextAreaField(_l("Decisions"), validators=[Optional(), Length(max=20000)])
    readiness = RadioField(_l("Overall readiness"), validators=[Optional()], coerce=str)
    private_remark = TextAreaField(
        _l("Private remark"), validators=[Optional(), Length(max=20000)],
        description=_l("Only the reviewers, the organization in-charge and the state in-charge read this."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.readiness.choices = choices([("", _l("Not rated"))] + [(str(n), str(n)) for n in range(1, 6)])


class StandaloneNoteForm(BaseForm):
    district_id = SelectField(_l("District"), validators=[InputRequired()], coerce=int)
    reviewed_on = DateField(_l("Date of the review"), validators=[DataRequired()])
    campaign_id = SelectField(_l("Campaign"), validators=[Optional()], coerce=int)


class ActionItemForm(BaseForm):
    title = TextAreaField(_l("What is to be done"), validators=[DataRequired(), Length(max=2000)])
    owner_id = SelectField(_l("Owner"), validators=[InputRequired()], coerce=int)
    due_on = DateField(_l("Due date"), validators=[Optional()])
    district_id = SelectField(_l("District"), validators=[Optional()], coerce=int)
    campaign_id = SelectField(_l("Campaign"), validators=[Optional()], coerce=int)


class ItemUpdateForm(BaseForm):
    status = SelectField(_l("Status"))
    due_on = DateField(_l("Due date"), validators=[Optional()])
    text = TextAreaField(_l("Progress note"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices([(s.value, s.title) for s in ItemStatus])


class ChecklistItemForm(BaseForm):
    label_hi = StringField(_l("Label (Hindi)"), validators=[DataRequired(), Length(max=300)])
    label_en = StringField(_l("Label (English)"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of answer"))
    is_archived = BooleanField(_l("Archived (no longer asked)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = choices([(k.value, k.title) for k in ChecklistKind])


class CategoryForm(BaseForm):
    name_hi = StringField(_l("Name (Hindi)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    is_archived = BooleanField(_l("Archived (no longer offered)"))


class MoveForm(BaseForm):
    direction = HiddenField()
