from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from tracker.api.operations import NAME_MAX
from tracker.forms import BaseForm
from tracker.i18n import _l


class TokenForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=NAME_MAX)],
        description=_l("What the token is for, e.g. “WhatsApp bot” or “attendance spreadsheet”."),
    )
