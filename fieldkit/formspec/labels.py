"""Texts of a definition in a language: labels given as {"vi": …, "en": …} or as plain Vietnamese."""


def text_in(value, lang):
    """A label given as {"vi": …, "en": …} or a plain (Vietnamese) string, in `lang`."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("vi") or ""
    return value or ""


def label_text(label, lang):
    """A label from a definition ({vi, en} or text) or a shared list (a lazy string)."""
    if isinstance(label, (dict, str)):
        return text_in(label, lang)
    return str(label)
