"""A record's values as a person reads them: labels instead of codes, dd/mm/yyyy dates."""

from flask_babel import lazy_gettext as _l

from ..i18n import format_date
from .definition import text_in
from .resolve import label_text


def display_value(field_def, value, choices, lang="vi"):
    """One value as text; choices maps value to label."""
    kind = field_def["type"]
    if value is None or value == [] or value == "":
        return ""
    if kind == "date":
        return format_date(value)
    if kind == "yes_no":
        return str(_l("Có")) if value else str(_l("Không"))
    if kind in ("choice", "residential_group"):
        return label_text(choices.get(value, value), lang)
    if kind == "multi_choice":
        return "; ".join(label_text(choices.get(v, v), lang) for v in value)
    if kind == "gps":
        return f"{value.get('lat')}, {value.get('lon')}"
    if kind == "photo":
        return str(len(value))
    return str(value)


def display_rows(definition, data, choices, lang="vi"):
    """[(label, text, type, name)] for the fields that have a value, in the definition's order."""
    rows = []
    for f in definition.fields:
        value = data.get(f["name"])
        if f["type"] == "photo" or value in (None, "", []):
            continue
        lookup = dict(choices.get(f["name"], []))
        rows.append((text_in(f["label"], lang), display_value(f, value, lookup, lang), f["type"], f["name"]))
    return rows
