from __future__ import annotations

from datetime import datetime

from wtforms import HiddenField, IntegerField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, Length, Optional

from tracker.attendance.models import AttendanceStatus
from tracker.attendance.operations import arrival_on_session_day
from tracker.forms import BaseForm
from tracker.i18n import _l
from tracker.timeutil import now_utc


class MarkForm(BaseForm):
    """One person's mark. Sent by the roster's buttons (htmx) with an explicit state, never a toggle."""

    status = SelectField(_l("Attendance"), validators=[DataRequired()])
    late_time = TimeField(_l("Arrived at"), validators=[Optional()])
    represented_by_person_id = IntegerField(_l("Representative from the directory"), validators=[Optional()])
    represented_by_name = StringField(_l("Representative's name"), validators=[Optional(), Length(max=200)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = AttendanceStatus.choices()

    def late_at(self, session_start: datetime) -> datetime | None:
        """The arrival time on the session's (local) day; now when no time was given."""
        if self.late_time.data is None:
            return now_utc().replace(microsecond=0)
        return arrival_on_session_day(session_start, self.late_time.data)


class UndoForm(BaseForm):
    version = IntegerField(validators=[DataRequired()])


class ScanForm(BaseForm):
    code = StringField(_l("Pass code"), validators=[DataRequired(), Length(max=500)])


class WalkInForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    mobile = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)])


class WalkInPickForm(BaseForm):
    person_id = HiddenField(validators=[DataRequired()])
