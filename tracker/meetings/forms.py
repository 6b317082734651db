"""Forms of the meetings domain. Choices that come from the database are filled in by the views.

People are entered as text: a person's number (``#12`` or ``12``), or a name in either script
that matches exactly one person; several people are separated by commas. The fields show the
chosen people back as ``Name (#12)``.
"""

from __future__ import annotations

import re
from datetime import time

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms import BaseForm
from tracker.i18n import _, _l
from tracker.meetings.models import (
    INVITATION_KIND_TITLES,
    PURPOSE_TITLES,
    SESSION_KIND_TITLES,
    InvitationKind,
)

_ID_IN_TEXT = re.compile(r"#(\d+)\)?\s*$")


def _choices(titles: dict) -> list[SelectChoice]:
    return [SelectChoice(member.value, title) for member, title in titles.items()]


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


def resolve_person_id(text: str) -> int:
    """A person's id from ``12``, ``#12``, ``Name (#12)`` or a name matching one person."""
    from tracker.directory.search import PERSON, search

    text = text.strip()
    match = _ID_IN_TEXT.search(text)
    if text.isdigit() or match:
        return int(text if text.isdigit() else match.group(1))
    hits = search(text, limit=3, kinds=(PERSON,))
    if len(hits) == 1:
        return hits[0].id
    if not hits:
        raise ValidationError(_("Nobody in the directory matches “%(text)s”.", text=text))
    raise ValidationError(_("Several people match “%(text)s”: add their number, e.g. #12.", text=text))


def person_label(person) -> str:
    return f"{person.name_en or person.name_hi} (#{person.id})"


class PeopleField(StringField):
    """Comma-separated people; ``.person_ids`` after validation."""

    def __init__(self, *args, single: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.single = single
        self.person_ids: list[int] = []

    def pre_validate(self, form):
        parts = [p for p in (self.data or "").split(",") if p.strip()]
        if self.single and len(parts) > 1:
            raise ValidationError(_("Name one person only."))
        self.person_ids = [resolve_person_id(p) for p in parts]

    def set_people(self, people) -> None:
        self.data = ", ".join(person_label(p) for p in people if p is not None)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MeetingForm(BaseForm):
    title_hi = StringField(_l("Title in Hindi"), validators=[Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=300)])
    purpose = SelectField(_l("Purpose"), choices=_choices(PURPOSE_TITLES))
    campaign_id = SelectField(_l("Campaign"), coerce=_optional_int, validate_choice=False)
    host_unit_id = SelectField(_l("Host unit"), coerce=_optional_int, validate_choice=False)
    venue = StringField(_l("Venue"), validators=[Length(max=300)])
    starts_on = DateField(_l("First date"), validators=[DataRequired()])
    ends_on = DateField(_l("Last date"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_("The last date cannot be before the first date."))


class SessionForm(BaseForm):
    kind = RadioField(_l("Kind"), choices=_choices(SESSION_KIND_TITLES), default="group")
    title_hi = StringField(_l("Title in Hindi"), validators=[Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=300)])
    day = DateField(_l("Date"), validators=[DataRequired()])
    start = TimeField(_l("Starts at"), validators=[DataRequired()], default=time(11, 0))
    end = TimeField(_l("Ends at"), validators=[DataRequired()], default=time(13, 0))
    room = StringField(_l("Room"), validators=[Length(max=120)])
    covered_unit_ids = MultiCheckboxField(_l("Divisions covered"), coerce=int, validate_choice=False,
                                          description=_l("Their district presidents and in-charges are invited."))
    district_unit_id = SelectField(_l("District (for a one-to-one review)"), coerce=_optional_int,
                                   validate_choice=False)
    chair = PeopleField(_l("Chair"), single=True, description=_l("A person's number (#12) or name."))
    dais = PeopleField(_l("Others on the dais"), description=_l("Numbers or names, separated by commas."))
    reviewers = PeopleField(_l("Reviewers (one-to-one)"), description=_l("Numbers or names, separated by commas."))
    what_to_bring_hi = TextAreaField(_l("What to bring (Hindi)"), validators=[Length(max=2000)])
    what_to_bring_en = TextAreaField(_l("What to bring (English)"), validators=[Length(max=2000)])
    self_checkin_enabled = BooleanField(_l("Invitees may check themselves in"))

    def data_for_operation(self) -> dict:
        return {
            "kind": self.kind.data, "title_hi": self.title_hi.data, "title_en": self.title_en.data,
            "day": self.day.data, "start": self.start.data, "end": self.end.data, "room": self.room.data,
            "covered_unit_ids": self.covered_unit_ids.data or [], "district_unit_id": self.district_unit_id.data,
            "chair_person_id": (self.chair.person_ids or [None])[0], "dais_person_ids": self.dais.person_ids,
            "reviewer_person_ids": self.reviewers.person_ids, "what_to_bring_hi": self.what_to_bring_hi.data,
            "what_to_bring_en": self.what_to_bring_en.data, "self_checkin_enabled": self.self_checkin_enabled.data,
        }


class AgendaItemForm(BaseForm):
    title_hi = StringField(_l("Item in Hindi"), validators=[Length(max=300)])
    title_en = StringField(_l("Item in English"), validators=[Length(max=300)])
    presenter = PeopleField(_l("Presenter"), single=True)
    minutes = IntegerField(_l("Minutes"), validators=[Optional(), NumberRange(min=1, max=600)])

    def data_for_operation(self) -> dict:
        return {"title_hi": self.title_hi.data, "title_en": self.title_en.data, "minutes": self.minutes.data,
                "presenter_person_id": (self.presenter.person_ids or [None])[0]}


INVITE_KINDS = (InvitationKind.GUEST, InvitationKind.INVITEE, InvitationKind.REVIEWER, InvitationKind.DAIS)


class InviteForm(BaseForm):
    person = PeopleField(_l("Person"), single=True, validators=[DataRequired()],
                         description=_l("A person's number (#12) or name."))
    kind = SelectField(_l("As"), choices=[SelectChoice(k.value, INVITATION_KIND_TITLES[k]) for k in INVITE_KINDS])


class ConfirmForm(BaseForm):
    """An empty form: the CSRF token of a confirmed POST action."""


PLAN_REVIEWER_ROLES = (("state_incharge", _l("State in-charge")), ("state_president", _l("State president")),
                       ("org_incharge", _l("Organization in-charge")))


class PlanForm(BaseForm):
    divisions = MultiCheckboxField(_l("Divisions"), validate_choice=False, validators=[DataRequired()])
    start = DateField(_l("First date"), validators=[DataRequired()])
    days = IntegerField(_l("Days"), default=3, validators=[DataRequired(), NumberRange(min=1, max=60)])
    per_day = IntegerField(_l("Divisions a day"), default=2, validators=[DataRequired(), NumberRange(min=1, max=50)])
    pins = TextAreaField(_l("Pinned divisions"), description=_l(
        "One line per date, e.g. 2025-09-22: bhopal, narmadapuram (division codes or English names)."))
    window_start = TimeField(_l("Day starts at"), default=time(11, 0), validators=[DataRequired()])
    window_end = TimeField(_l("Day ends at"), default=time(17, 0), validators=[DataRequired()])
    group_minutes = IntegerField(_l("Group session (minutes)"), default=120,
                                 validators=[DataRequired(), NumberRange(min=5, max=600)])
    one_to_one_minutes = IntegerField(_l("One-to-one slot (minutes)"), default=15,
                                      validators=[DataRequired(), NumberRange(min=5, max=240)])
    gap_minutes = IntegerField(_l("Break after the group session (minutes)"), default=0,
                               validators=[Optional(), NumberRange(min=0, max=240)])
    extra_roles = MultiCheckboxField(_l("Also at every one-to-one"), choices=[
        SelectChoice(code, label) for code, label in PLAN_REVIEWER_ROLES], validate_choice=False,
        description=_l("By default each one-to-one has one reviewer: the division's co-in-charge (or the "
                       "organization in-charge). Everyone added here sits in every slot, so the slots "
                       "run one after another."))
    extra_people = StringField(_l("Other reviewers at every one-to-one"),
                               description=_l("Person numbers, separated by commas."))
    one_to_ones = RadioField(_l("One-to-one reviews"), default="same_day", choices=[
        SelectChoice("same_day", _l("After the group session, the same day")),
        SelectChoice("other_dates", _l("On other dates"))])
    one_to_one_dates = StringField(_l("Dates of the one-to-ones"),
                                   description=_l("Only when they are on other dates: e.g. 2025-09-25, 2025-09-26."))
    unavailable = TextAreaField(_l("Unavailable dates"), description=_l(
        "One line per person: number: dates, e.g. 12: 2025-09-23, 2025-09-24."))
    # The proposed plan (JSON) while it is reviewed and adjusted.
    plan_json = HiddenField()
    # Adjustments
    move_district = SelectField(_l("District"), validate_choice=False)
    move_date = DateField(_l("New date"), validators=[Optional()])
    move_time = TimeField(_l("New start"), validators=[Optional()])
    swap_a = SelectField(_l("Swap the day"), validate_choice=False)
    swap_b = SelectField(_l("with the day"), validate_choice=False)
    # Saving
    title_hi = StringField(_l("Title in Hindi"), validators=[Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=300)])
    venue = StringField(_l("Venue"), validators=[Length(max=300)])
    campaign_id = SelectField(_l("Campaign"), coerce=_optional_int, validate_choice=False)

    def validate_window_end(self, field):
        if self.window_start.data and field.data and field.data <= self.window_start.data:
            raise ValidationError(_("The day must end after it starts."))


class ReplanForm(BaseForm):
    unavailable = TextAreaField(_l("Unavailable dates"), description=_l(
        "One line per person: number: dates, e.g. 12: 2025-09-23, 2025-09-24."))
