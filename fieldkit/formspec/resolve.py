"""A definition with its choices resolved: shared lists expanded, residential groups of a commune."""

from .definition import CHOICE_TYPES, message, text_in


def choice_values(field_def, shared_lists, groups):
    """The (value, label) pairs a field offers; `groups` are the commune's residential groups."""
    if field_def["type"] == "residential_group":
        return [(g["uuid"], g["name"]) for g in groups]
    if field_def["type"] not in CHOICE_TYPES:
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
    if field_def["type"] == "residential_group" and not choices:
        return False
    return field_def["required"]


def label_text(label, lang):
    """A label from a definition ({vi, en} or text) or a shared list (a lazy string)."""
    if isinstance(label, (dict, str)):
        return text_in(label, lang)
    return str(label)


def resolved_choices(definition, shared_lists, groups):
    """{field name: [(value, label)]} for every field that offers choices."""
    return {
        f["name"]: choice_values(f, shared_lists, groups)
        for f in definition.fields
        if f["type"] in (*CHOICE_TYPES, "residential_group")
    }


def as_json(definition, shared_lists, groups, lang="vi"):
    """The definition as the API gives it (DESIGN.md, Contract), choices resolved, in `lang`."""
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
            "messages": {
                c: message(f, c, lang) for c in ("required", "min", "max", "pattern", "at_most") if message(f, c, lang)
            },
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
    if data.get("description"):
        result["description"] = text_in(data["description"], lang)
    if data.get("channel"):
        result["channel"] = data["channel"]
    result["sha256"] = definition.sha256
    return result
