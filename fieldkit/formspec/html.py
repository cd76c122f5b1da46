"""The WTForms class of a definition: fields whose HTML carries the definition's constraints.

WTForms binds the request and renders the inputs; the checking itself is `validate.validate`,
the same function the JSON API uses, so a rule lives in one place. Each field's inputs come from
its type (types.py).
"""

from flask_wtf import FlaskForm
from wtforms import HiddenField

from .labels import label_text, text_in
from .resolve import is_required
from .types import SelectChoice, field_type


class SpecForm(FlaskForm):
    """A form built from a definition; `definition` is set on each built class."""

    definition = None
    uuid = HiddenField()

    def raw_data(self):
        """The submitted values keyed by field name, in the shape the validator reads."""
        data = {}
        for f in self.definition.fields:
            value = field_type(f).read_form(self, f["name"])
            if value is not None:
                data[f["name"]] = value
        return data

    def show_errors(self, errors):
        """Put the validator's messages on the fields; return those that belong to no field."""
        rest = {}
        for name, text in errors.items():
            spec = self.definition.field(name)
            target = field_type(spec).input_name(name) if spec else name
            if target in self._fields:
                self[target].errors = [*getattr(self[target], "errors", []), text]
            else:
                rest[name] = text
        return rest


def form_values(definition, data):
    """A stored record's data (or values given in a link) as the form's initial values."""
    values = {}
    for f in definition.fields:
        value = data.get(f["name"])
        if value is not None:
            values.update(field_type(f).form_values(f["name"], value))
    return values


def form_class(definition, choices, lang="vi"):
    """Build the WTForms class of a definition, with its choices resolved for one commune."""
    attrs = {"definition": definition}
    for f in definition.fields:
        offered = choices.get(f["name"], [])
        options = [SelectChoice(value, label_text(text, lang)) for value, text in offered]
        attrs.update(field_type(f).widgets(f["name"], text_in(f["label"], lang), constraint_attrs(f, offered), options))
    return type(f"{definition.id.title().replace('_', '')}Form", (SpecForm,), attrs)


def constraint_attrs(f, choices=None):
    """HTML attributes that say what the validator will check (the form has novalidate: the page's
    script shows the definition's own messages instead of the browser's)."""
    attrs = field_type(f).attrs(f)
    if is_required(f, choices) and field_type(f).html_required:
        # A field shown by a condition becomes required only when shown (static/js/conditions.js).
        attrs["data-required" if f.get("show_if") else "required"] = True
    if f.get("inputmode"):
        attrs["inputmode"] = f["inputmode"]
    if f.get("placeholder"):
        attrs["placeholder"] = text_in(f["placeholder"], "vi")
    return attrs
