"""A definition with its choices resolved: shared lists expanded, residential groups of a commune."""

from .definition import message
from .labels import label_text, text_in
from .types import GENERIC, field_type

CONSTRAINTS = ("required", "min", "max", "pattern", "at_most")
GENERIC_OF = {"min": "bound", "max": "bound"}


def choice_values(field_def, shared_lists, groups):
    """The (value, label) pairs a field offers; `groups` are the commune's residential groups."""
    if field_type(field_def).roster:
        return [(g["uuid"], g["name"]) for g in groups]
    if not field_type(field_def).choices:
        return []
    pairs = []
    for choice in field_def["choices"]:
        if isinstance(choice, str):
            pairs += list(shared_lists[choice])
        else:
            pairs.append((choice["value"], choice["label"]))
    return pairs


def is_required(field_def, choices):
    """Whether a field must be filled; a group field cannot be while the commune has no groups."""
    if field_type(field_def).roster and not choices:
        return False
    return field_def["required"]


def resolved_choices(definition, shared_lists, groups):
    """{field name: [(value, label)]} for every field that offers choices."""
    return {
        f["name"]: choice_values(f, shared_lists, groups)
        for f in definition.fields
        if field_type(f).choices or field_type(f).roster
    }


def field_messages(f, choices=None, lang="vi"):
    """Every message a field can show, by key: its constraints' (the form's own words) and its type's."""
    messages = {}
    for constraint in CONSTRAINTS:
        used = is_required(f, choices) if constraint == "required" else constraint in f
        if used:
            messages[constraint] = message(f, constraint, lang) or str(GENERIC[GENERIC_OF.get(constraint, constraint)])
    for key in field_type(f).message_keys(f):
        messages[key] = str(GENERIC[key])
    return messages


def as_json(definition, shared_lists, groups, lang="vi"):
    """The definition `GET /api/v1/forms/<id>` answers: id, version, title and fields (name, type, label,
    required, min, max, pattern, choices), choices resolved for the commune's groups, labels in `lang`."""
    choices = resolved_choices(definition, shared_lists, groups)
    fields = []
    for f in definition.fields:
        item = {
            "name": f["name"],
            "type": f["type"],
            "label": text_in(f["label"], lang),
            "required": is_required(f, choices.get(f["name"])),
            "min": f.get("min"),
            "max": f.get("max"),
            "pattern": f.get("pattern"),
            "choices": [{"value": v, "label": label_text(label, lang)} for v, label in choices.get(f["name"], [])],
            "messages": field_messages(f, choices.get(f["name"]), lang),
        }
        if f.get("hint"):
            item["hint"] = text_in(f["hint"], lang)
        if f.get("step") is not None:
            item["step"] = f["step"]
        if f.get("show_if"):
            item["show_if"] = f["show_if"]
        if f.get("at_most"):
            item["at_most"] = f["at_most"]
        fields.append(item)
    data = definition.data
    result = {"id": definition.id, "version": data["version"], "title": text_in(data["title"], lang), "fields": fields}
    # What the phone's validator (static/js/validate.js) says about the record as a whole.
    result["messages"] = {key: str(GENERIC[key]) for key in ("unknown", "data")}
    if data.get("description"):
        result["description"] = text_in(data["description"], lang)
    if data.get("channel"):
        result["channel"] = data["channel"]
    result["sha256"] = definition.sha256
    return result
