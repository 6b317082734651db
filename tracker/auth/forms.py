from wtforms import (
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.auth import operations as ops
from tracker.auth.models import Role
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
        validators=[DataRequired(), Length(max=20), Regexp(r"^\s*\d{6}\s*$", message=_l("The code has 6 digits."))],
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


class NewLoginForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=Role.choices())
    person_id = IntegerField(_l("Person number in the directory"), validators=[Optional()],
                             description=_l("Optional: links the login to a person of the directory."))
    submit = SubmitField(_l("Create login"))


class PhoneForm(BaseForm):
    mobile = StringField(_l("New mobile number"), validators=[DataRequired(), Length(max=40)],
                         render_kw={"inputmode": "tel", "autocomplete": "off"})
    submit = SubmitField(_l("Check the number"))


class RoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=Role.choices())
    submit = SubmitField(_l("Change role"))


class LinkPersonForm(BaseForm):
    person_id = IntegerField(_l("Person number in the directory"), validators=[DataRequired()])
    submit = SubmitField(_l("Link person"))


class LoginContactForm(BaseForm):
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    mobile = StringField(_l("Mobile number"), validators=[Optional(), Length(max=30)],
                         description=_l("Used for the office's digest while no person is linked."))
    submit = SubmitField(_l("Save the contact"))


def _at_least_one(form, field) -> None:
    """Not ``DataRequired``: its ``required`` attribute on every box of a group would make each mandatory."""
    if not field.data:
        raise ValidationError(_l("Choose at least one unit."))


class FromPostsForm(BaseForm):
    kind = SelectField(_l("Holders of"), choices=[SelectChoice(k.code, k.label) for k in ops.POST_KINDS.values()])
    units = SelectMultipleField(_l("Under the units"), coerce=int, widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput(), validators=[_at_least_one])
