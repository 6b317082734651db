from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from tracker.forms import BaseForm
from tracker.i18n import _l


class LoginForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Log in"))


class MobileForm(BaseForm):
    mobile = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=40)],
                         render_kw={"autocomplete": "tel", "inputmode": "tel", "type": "tel"})
    submit = SubmitField(_l("Send me a code"))


class CodeForm(BaseForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Regexp(r"^\s*\d{6}\s*$", message=_l("The code has 6 digits."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*", "maxlength": "6"},
    )
    submit = SubmitField(_l("Sign in"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1000)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), Length(max=200), EqualTo("new_password", message=_l("The two passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))
