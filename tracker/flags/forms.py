"""Forms of the red flags."""

from __future__ import annotations

from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from tracker.flags.models import MAX_QUIET_DAYS
from tracker.forms import BaseForm
from tracker.i18n import _l


class QuietPeriodForm(BaseForm):
    quiet_days = IntegerField(
        _l("Days without a programme report before a district is flagged"),
        validators=[InputRequired(), NumberRange(min=1, max=MAX_QUIET_DAYS)],
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_QUIET_DAYS},
    )
