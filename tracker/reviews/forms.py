"""Forms of the reviews domain. The checklist answers are dynamic and parsed by ``operations.parse_answers``."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.forms import BaseForm, RowForm
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


# Blank rows shown on the note form (more are added by reviews.js, or by saving and coming back).
NOTE_ITEM_ROWS = 3
MAX_NOTE_ITEM_ROWS = 20


class NoteItemRowForm(RowForm):
    """One action-item row of the note form. A row with neither text nor date is blank and ignored."""

    title = StringField(_l("What is to be done"), validators=[Optional(), Length(max=2000)])
    owner_id = SelectField(_l("Owner"), coerce=int, validate_choice=False)
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def is_blank(self) -> bool:
        return not (self.title.data or "").strip() and not any((v or "").strip() for v in self.due_on.raw_data or [])

    def validate(self, extra_validators=None) -> bool:
        if self.is_blank():
            for field in self:
                field.errors = []
            return True
        ok = super().validate(extra_validators)
        if not (self.title.data or "").strip():
            self.title.errors = [*self.title.errors, _l("Say what is to be done.")]
            ok = False
        if not self.owner_id.data or self.owner_id.data not in {choice.value for choice in self.owner_id.choices}:
            self.owner_id.errors = [*self.owner_id.errors, _l("Choose who will do it.")]
            ok = False
        return ok


class NoteItemsForm(BaseForm):
    """The new action items of the note form; its CSRF token is the note form's, so none here."""

    class Meta:
        csrf = False

    new_items = FieldList(FormField(NoteItemRowForm), min_entries=NOTE_ITEM_ROWS, max_entries=MAX_NOTE_ITEM_ROWS)

    def set_owners(self, owners: list[tuple[int, str]], default: int | None) -> None:
        """Owner choices of every row (0 = not chosen); on a fresh form every row starts with ``default``."""
        options = choices([(0, _l("Choose the owner"))] + owners)
        for row in self.new_items:
            row.form.owner_id.choices = options
            if default and not row.form.owner_id.data and not self.is_submitted():
                row.form.owner_id.data = default

    def filled_rows(self) -> list[NoteItemRowForm]:
        return [row.form for row in self.new_items if not row.form.is_blank()]


class ItemUpdateForm(BaseForm):
    status = SelectField(_l("Status"))
    due_on = DateField(_l("Due date"), validators=[Optional()])
    text = TextAreaField(_l("Progress note"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = ItemStatus.choices()


class ChecklistItemForm(BaseForm):
    label_hi = StringField(_l("Label (Hindi)"), validators=[DataRequired(), Length(max=300)])
    label_en = StringField(_l("Label (English)"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Kind of answer"))
    is_archived = BooleanField(_l("Archived (no longer asked)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = ChecklistKind.choices()


class CategoryForm(BaseForm):
    name_hi = StringField(_l("Name (Hindi)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    is_archived = BooleanField(_l("Archived (no longer offered)"))


class MoveForm(BaseForm):
    direction = HiddenField()
