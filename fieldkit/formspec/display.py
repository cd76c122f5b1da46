"""A record's values as a person reads them: labels instead of codes, dd/mm/yyyy dates."""

from .labels import text_in
from .types import field_type


def display_value(field_def, value, choices, lang="vi"):
    """One value as text; choices maps value to label."""
    if value is None or value == [] or value == "":
        return ""
    return field_type(field_def).display(value, choices, lang)


def display_rows(definition, data, choices, lang="vi"):
    """[(label, text, type, name)] for the fields that have a value, in the definition's order."""
    rows = []
    for f in definition.fields:
        value = data.get(f["name"])
        if field_type(f).upload or value in (None, "", []):
            continue
        lookup = dict(choices.get(f["name"], []))
        rows.append((text_in(f["label"], lang), display_value(f, value, lookup, lang), f["type"], f["name"]))
    return rows
