"""Forms of the meetings domain. Choices that come from the database are filled in by the views.

People are entered as text: a person's number (``#12`` or ``12``), or a name in either script
that matches exactly one person; several people are separated by commas. The fields show the
chosen people back as ``Name (#12)``.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
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

from tracker.forms import BaseForm, RowForm
from tracker.i18n import _, _l
from tracker.meetings.models import InvitationKind, MeetingPurpose, ReplyAnswer, SessionKind
from tracker.meetings.rooms import room_code, room_label
from tracker.text import line_problem

_ID_IN_TEXT = re.compile(r"#(\d+)\)?\s*$")


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

    def __init__(self, *args, single: bool = False, validators=None, **kwargs):
        # A person as typed ("Name (#12)"), or a list of them: bounded like any text.
        self.max_length = 300 if single else 3000
        validators = [*(validators or []), Length(max=self.max_length)]
        super().__init__(*args, validators=validators, **kwargs)
        self.single = single
        self.person_ids: list[int] = []

    def pre_validate(self, form):
        if len(self.data or "") > self.max_length or line_problem(self.data or ""):
            return  # not looked up: the validators say what is wrong
        parts = [p for p in (self.data or "").split(",") if p.strip()]
        if self.single and len(parts) > 1:
            raise ValidationError(_("Name one person only."))
        self.person_ids = [resolve_person_id(p) for p in parts]

    def set_people(self, people) -> None:
        self.data = ", ".join(person_label(p) for p in people if p is not None)


class RoomField(StringField):
    """A session's room: the planner's rooms are stored as codes (``hall``, ``room_2``) and shown
    in the reader's language; typed back in either language they are stored as their code."""

    def _value(self) -> str:
        return room_label(self.data) if self.data else ""

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        self.data = room_code(self.data)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class Needed(DataRequired):
    """``DataRequired`` checked on the server only: it does not put the HTML ``required`` attribute
    on the input. A browser refuses a form whose required input is hidden (a collapsed
    ``<details>``, a checkbox of a group) without saying why; the server's message, shown next to
    the field, always reaches the user. Every form of this domain uses it instead of DataRequired."""

    def __init__(self, message=None):
        super().__init__(message)
        self.field_flags = {}


_RowForm = RowForm


def _add_error(field, message: str) -> None:
    field.errors = [*(field.errors or []), message]


class PinRowForm(_RowForm):
    """A date and the divisions pinned to it; an empty row is ignored."""

    day = DateField(_l("Date"), validators=[Optional()])
    divisions = MultiCheckboxField(_l("Divisions on this date"), validate_choice=False)

    def check_row(self) -> None:
        if self.day.data and not self.divisions.data:
            _add_error(self.divisions, _("Tick the divisions for this date."))
        if self.divisions.data and not self.day.data and not self.day.errors:
            _add_error(self.day, _("Choose the date."))


class UnavailableRowForm(_RowForm):
    """A person and a date they cannot come; an empty row is ignored."""

    person = PeopleField(_l("Person"), single=True, description=_l("A person's number (#12) or name."))
    day = DateField(_l("Date"), validators=[Optional()])

    def check_row(self) -> None:
        if (self.person.data or "").strip() and not self.day.data and not self.day.errors:
            _add_error(self.day, _("Choose the date."))
        if self.day.data and not (self.person.data or "").strip():
            _add_error(self.person, _("Name the person."))


def _rows_ok(rows: FieldList) -> bool:
    for row in rows:
        row.form.check_row()
    return not any(f.errors for row in rows for f in row.form)


def rows_unavailable(rows: FieldList) -> dict[int, set[date]]:
    """Person id -> dates, from the filled rows of an unavailability picker."""
    out: dict[int, set[date]] = {}
    for row in rows:
        if row.form.day.data and row.form.person.person_ids:
            out.setdefault(row.form.person.person_ids[0], set()).add(row.form.day.data)
    return out


class MeetingForm(BaseForm):
    title_hi = StringField(_l("Title in Hindi"), validators=[Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=300)])
    purpose = SelectField(_l("Purpose"), choices=MeetingPurpose.choices())
    campaign_id = SelectField(_l("Campaign"), coerce=_optional_int, validate_choice=False)
    host_unit_id = SelectField(_l("Host unit"), coerce=_optional_int, validate_choice=False)
    venue = StringField(_l("Venue"), validators=[Length(max=300)])
    starts_on = DateField(_l("First date"), validators=[Needed()])
    ends_on = DateField(_l("Last date"), validators=[Needed()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_("The last date cannot be before the first date."))


class SessionForm(BaseForm):
    kind = RadioField(_l("Kind"), choices=SessionKind.choices(), default="group")
    title_hi = StringField(_l("Title in Hindi"), validators=[Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Length(max=300)])
    day = DateField(_l("Date"), validators=[Needed()])
    start = TimeField(_l("Starts at"), validators=[Needed()], default=time(11, 0))
    end = TimeField(_l("Ends at"), validators=[Needed()], default=time(13, 0))
    room = RoomField(_l("Room"), validators=[Length(max=120)])
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
    person = PeopleField(_l("Person"), single=True, validators=[Needed()],
                         description=_l("A person's number (#12) or name."))
    kind = SelectField(_l("As"), choices=InvitationKind.choices(INVITE_KINDS))


class ConfirmForm(BaseForm):
    """An empty form: the CSRF token of a confirmed POST action."""


PLAN_REVIEWER_ROLES = (("state_incharge", _l("State in-charge")), ("state_president", _l("State president")),
                       ("org_incharge", _l("Organization in-charge")))


class PlanForm(BaseForm):
    divisions = MultiCheckboxField(_l("Divisions"), validate_choice=False)
    start = DateField(_l("First date"), validators=[Needed()])
    days = IntegerField(_l("Days"), default=3, validators=[Needed(), NumberRange(min=1, max=60)])
    per_day = IntegerField(_l("Divisions a day"), default=2, validators=[Needed(), NumberRange(min=1, max=50)])
    pins = FieldList(FormField(PinRowForm), label=_l("Pinned divisions"), min_entries=1, max_entries=60)
    window_start = TimeField(_l("Day starts at"), default=time(11, 0), validators=[Needed()])
    window_end = TimeField(_l("Day ends at"), default=time(17, 0), validators=[Needed()])
    group_minutes = IntegerField(_l("Group session (minutes)"), default=120,
                                 validators=[Needed(), NumberRange(min=5, max=600)])
    one_to_one_minutes = IntegerField(_l("One-to-one slot (minutes)"), default=15,
                                      validators=[Needed(), NumberRange(min=5, max=240)])
    gap_minutes = IntegerField(_l("Break after the group session (minutes)"), default=0,
                               validators=[Optional(), NumberRange(min=0, max=240)])
    lunch_start = TimeField(_l("Lunch from"), default=time(13, 30), validators=[Optional()])
    lunch_end = TimeField(_l("Lunch until"), default=time(14, 15), validators=[Optional()])
    tea_start = TimeField(_l("Tea from"), default=time(16, 0), validators=[Optional()])
    tea_end = TimeField(_l("Tea until"), default=time(16, 15), validators=[Optional()])
    extra_roles = MultiCheckboxField(_l("Also at every one-to-one"), choices=[
        SelectChoice(code, label) for code, label in PLAN_REVIEWER_ROLES], validate_choice=False,
        description=_l("By default each one-to-one has one reviewer: the division's co-in-charge (or the "
                       "organization in-charge). Everyone added here sits in every slot, so the slots "
                       "run one after another."))
    extra_people = StringField(_l("Other reviewers at every one-to-one"), validators=[Length(max=1000)],
                               description=_l("Person numbers, separated by commas."))
    one_to_ones = RadioField(_l("One-to-one reviews"), default="same_day", choices=[
        SelectChoice("same_day", _l("After the group session, the same day")),
        SelectChoice("other_dates", _l("On other dates"))])
    one_to_one_dates = FieldList(DateField(_l("Date"), validators=[Optional()]), label=_l("Dates of the one-to-ones"),
                                 min_entries=1, max_entries=60)
    unavailable = FieldList(FormField(UnavailableRowForm), label=_l("Unavailable dates"), min_entries=1,
                            max_entries=200)
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

    def validate_divisions(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one division."))

    def validate(self, extra_validators=None) -> bool:
        """The field validators, then the checks across fields and rows (their messages go next
        to the field they concern)."""
        ok = super().validate(extra_validators)
        for start, end in ((self.lunch_start, self.lunch_end), (self.tea_start, self.tea_end)):
            if bool(start.data) != bool(end.data) and not (start.errors or end.errors):
                _add_error(end, _("Give both times of the break, or neither."))
            elif start.data and end.data and end.data <= start.data:
                _add_error(end, _("A break must end after it starts."))
        dates = self.meeting_dates()
        chosen = set(self.divisions.data or [])
        labels = dict((str(c), label) for c, label in (self.divisions.choices or []))
        for row in self.pins:
            day, divisions = row.form.day, row.form.divisions
            if day.data and dates and day.data not in dates:
                _add_error(day, _("This date is not one of the meeting's days."))
            stray = [str(labels.get(c, c)) for c in divisions.data or [] if c not in chosen]
            if stray:
                _add_error(divisions, _("Not chosen above: %(divisions)s.", divisions=", ".join(stray)))
        if self.one_to_ones.data == "other_dates" and not any(entry.data for entry in self.one_to_one_dates):
            _add_error(self.one_to_one_dates.entries[0], _("Choose the dates of the one-to-ones."))
        rows_ok = _rows_ok(self.pins) & _rows_ok(self.unavailable)
        fields_ok = not any(f.errors for f in (self.lunch_end, self.tea_end, self.one_to_one_dates.entries[0]))
        return ok and rows_ok and fields_ok

    def meeting_dates(self) -> list[date]:
        if not self.start.data or not self.days.data or self.days.data < 1:
            return []
        return [self.start.data + timedelta(days=i) for i in range(min(self.days.data, 60))]

    def pins_by_date(self) -> dict[date, list[str]]:
        out: dict[date, list[str]] = {}
        for row in self.pins:
            if row.form.day.data and row.form.divisions.data:
                out.setdefault(row.form.day.data, []).extend(row.form.divisions.data)
        return out

    def breaks(self) -> list[tuple[time, time]]:
        return [(a.data, b.data) for a, b in ((self.lunch_start, self.lunch_end), (self.tea_start, self.tea_end))
                if a.data and b.data]

    def set_division_choices(self, choices) -> None:
        self.divisions.choices = list(choices)
        for row in self.pins:
            row.form.divisions.choices = list(choices)


class ReplanForm(BaseForm):
    unavailable = FieldList(FormField(UnavailableRowForm), label=_l("Unavailable dates"), min_entries=1,
                            max_entries=200)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return _rows_ok(self.unavailable) and ok


class ReplyForm(BaseForm):
    """A reply before the session (RSVP); the operation checks what each answer needs."""

    answer = RadioField(_l("Your answer"), choices=[], validators=[DataRequired()])
    reason = TextAreaField(_l("Why you cannot come"), validators=[Optional(), Length(max=500)])
    representative_name = StringField(_l("Representative's name"), validators=[Optional(), Length(max=200)])
    representative_mobile = StringField(_l("Representative's mobile number"),
                                        validators=[Optional(), Length(max=20)],
                                        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "off"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer.choices = [SelectChoice(a.value, str(a.title)) for a in ReplyAnswer]  # in the page's language

    def data_for_operation(self) -> dict:
        return {"reason": self.reason.data or "", "representative_name": self.representative_name.data or "",
                "representative_mobile": self.representative_mobile.data or ""}
