from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(
        _l("Tên đăng nhập"),
        validators=[DataRequired(_l("Hãy nhập tên đăng nhập.")), Length(max=80)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "autofocus": True},
    )
    password = PasswordField(
        _l("Mật khẩu"),
        validators=[DataRequired(_l("Hãy nhập mật khẩu.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
