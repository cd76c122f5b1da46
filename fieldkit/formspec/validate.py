"""The one validator of a record against its definition, used by the API and the HTML form alike.

`validate` takes whatever arrived (JSON from a phone, or the HTML form's strings) and returns the
clean data, typed and normalised, plus a message per field in error. It never raises on bad input.
static/js/validate.js does the same on the phone, with the messages `field_messages` gives.
"""

import re

from ..text import nfc
from .resolve import field_messages, is_required
from .types import GENERIC, Invalid, field_type


def is_empty(value):
    """Nothing given: None, [], {}, a dict of empties, or text of spaces and invisible characters only
    (so a name of zero-width spaces is empty, and "required" applies to it)."""
    if value is None:
        return True
    if isinstance(value, str):
        return not nfc(value)
    if isinstance(value, list):
        return not value
    if isinstance(value, dict):
        return all(is_empty(v) for v in value.values())
    return False


def validate(definition, data, choices, lang="vi"):
    """Return (clean data, {field: message}) for `data` checked against `definition`.

    `choices` maps each choice field to its resolved (value, label) pairs. Fields hidden by a
    condition are dropped and their requirements do not apply.
    """
    if not isinstance(data, dict):
        return {}, {"data": str(GENERIC["data"])}
    clean, errors = {}, {}
    known = {f["name"] for f in definition.fields}
    for key in data:
        if key not in known:
            errors[str(key)[:60]] = str(GENERIC["unknown"])
    for f in definition.fields:
        name = f["name"]
        if not is_visible(f, clean, definition):
            continue
        offered = choices.get(name)
        problem = None
        value = data.get(name)
        if is_empty(value):
            problem = "required" if is_required(f, offered) else None
        else:
            try:
                value = field_type(f).convert(value, [v for v, _ in offered or []])
                problem = check_rules(f, value, clean)
            except Invalid as invalid:
                problem = invalid.args[0]
            if problem is None:
                clean[name] = value
        if problem:
            errors[name] = field_messages(f, offered, lang).get(problem) or str(GENERIC[problem])
    return clean, errors


def check_rules(f, value, clean):
    """The key of the first rule (min, max, pattern, at_most) the clean value breaks, or None."""
    kind = field_type(f)
    if kind.bounds:
        measure = kind.measure(value)
        if "min" in f and measure < f["min"]:
            return "min"
        if "max" in f and measure > f["max"]:
            return "max"
    if "pattern" in f and not re.fullmatch(f["pattern"], value):
        return "pattern"
    whole = clean.get(f.get("at_most"))
    if "at_most" in f and isinstance(whole, (int, float)) and value > whole:
        return "at_most"
    return None


def is_visible(field_def, clean, definition):
    """True unless the field's show_if condition is false for the values read so far."""
    condition = field_def.get("show_if")
    if not condition:
        return True
    source = definition.field(condition["field"])
    if source is None or not is_visible(source, clean, definition):
        return False
    value = clean.get(condition["field"])
    if isinstance(value, list):
        return any(v in condition["equals"] for v in value)
    return value is not None and value in condition["equals"]
