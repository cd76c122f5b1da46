"""The translation layer: Vietnamese first, English second; dates as dd/mm/yyyy on screen.

Message ids are the Vietnamese text, so a string nobody translated still shows in Vietnamese.
Each area keeps its own English catalog in <area>/translations/ (see `make translations`).
"""

from datetime import date, datetime

from flask import current_app, has_request_context, session
from flask_babel import Babel, get_locale

from .paths import PACKAGE_DIR


def translation_directories():
    return ";".join(str(path) for path in sorted(PACKAGE_DIR.glob("**/translations")) if path.is_dir())


def select_locale():
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language():
    """The language code ("vi", "en") of this request's pages and labels; Vietnamese when there is none."""
    return str(get_locale() or "vi")


def format_date(value):
    """ISO date or datetime (string or object) to dd/mm/yyyy; empty stays empty."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value):
    """ISO datetime to dd/mm/yyyy HH:MM in Vietnam time."""
    if not value:
        return ""
    from flask_babel import to_user_timezone

    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        value = to_user_timezone(value)
    return value.strftime("%d/%m/%Y %H:%M")


def init_app(app):
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translation_directories())
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime

    @app.context_processor
    def language():
        return {"current_language": current_language(), "languages": app.config["LANGUAGES"]}
