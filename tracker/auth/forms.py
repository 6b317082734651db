from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.forms import BaseForm
from tracker.i18n import _l


class LoginForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Log in"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1000)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), Length(max=200), EqualTo("new_password", message=_l("The two passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))
