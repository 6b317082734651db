from __future__ import annotations

from wtforms import DateField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from tracker.forms import BaseForm
from tracker.i18n import _, _l, lazy_pgettext
from tracker.reminders.models import MessageKind, MessageState, OutboxChannel


class OutboxFilterForm(BaseForm):
    """The outbox page's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    state = SelectField(lazy_pgettext("status", "State"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    channel = SelectField(_l("Channel"), validators=[Optional()])
    day = DateField(_l("Date"), validators=[Optional()])
    q = StringField(_l("Recipient or subject"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = SelectChoice("", _("All"))
        self.state.choices = [everything, *MessageState.choices()]
        self.kind.choices = [everything, *MessageKind.choices()]
        self.channel.choices = [everything, *OutboxChannel.choices()]


class ReminderTimesForm(BaseForm):
    day_before_hours = IntegerField(
        _l("First reminder, hours before the session"), validators=[InputRequired(), NumberRange(0, 24 * 14)],
        description=_l("0 sends no such reminder."),
    )
    same_day_minutes = IntegerField(
        _l("Second reminder, minutes before the session"), validators=[InputRequired(), NumberRange(0, 24 * 60)],
        description=_l("0 sends no such reminder."),
    )
    submit = SubmitField(_l("Save reminder times"))


class RevokeLinkForm(BaseForm):
    """The button that revokes a personal link (no fields besides the CSRF token)."""
