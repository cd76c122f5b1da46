"""The WTForms class of a definition: fields whose HTML carries the definition's constraints.

WTForms binds the request and renders the inputs; the checking itself is `validate.validate`,
the same function the JSON API uses, so a rule lives in one place.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, NumberInput, TimeInput

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) tuples

    def SelectChoice(value, label):  # noqa: N802
        return (value, label)


from .definition import text_in
from .resolve import is_required, label_text

PHOTO_TYPES = "image/jpeg,image/png,image/webp"
RADIO_LIMIT = 4  # up to this many choices show as radio buttons; more as a drop-down list


class SpecForm(FlaskForm):
    """A form built from a definition; `definition` is set on each built class."""

    definition = None
    uuid = HiddenField()

    def raw_data(self):
        """The submitted values keyed by field name, in the shape the validator reads."""
        data = {}
        for f in self.definition.fields:
            name = f["name"]
            if f["type"] == "photo":
                continue
            if f["type"] == "gps":
                lat, lon = self[f"{name}__lat"].data, self[f"{name}__lon"].data
                if lat or lon:
                    data[name] = {"lat": lat or "", "lon": lon or ""}
                continue
            value = self[name].data
            if f["type"] == "multi_choice":
                value = [v for v in (value or []) if v]
            data[name] = value
        return data

    def show_errors(self, errors):
        """Put the validator's messages on the fields; return those that belong to no field."""
        rest = {}
        for name, text in errors.items():
            spec = self.definition.field(name)
            target = f"{name}__lat" if spec and spec["type"] == "gps" else name
            if target in self._fields:
                self[target].errors = [*getattr(self[target], "errors", []), text]
            else:
                rest[name] = text
        return rest


def form_values(definition, data):
    """A stored record's data as the form's initial values (for editing)."""
    values = {}
    for f in definition.fields:
        name, value = f["name"], data.get(f["name"])
        if value is None:
            continue
        if f["type"] == "gps":
            values[f"{name}__lat"], values[f"{name}__lon"] = str(value.get("lat", "")), str(value.get("lon", ""))
        elif f["type"] == "yes_no":
            values[name] = "yes" if value else "no"
        elif f["type"] in ("integer", "decimal"):
            values[name] = str(value)
        elif f["type"] != "photo":
            values[name] = value
    return values


def form_class(definition, choices, lang="vi"):
    """Build the WTForms class of a definition, with its choices resolved for one commune."""
    attrs = {"definition": definition}
    for f in definition.fields:
        attrs.update(_fields(f, choices.get(f["name"], []), lang))
    return type(f"{definition.id.title().replace('_', '')}Form", (SpecForm,), attrs)


def constraint_attrs(f, choices=None):
    """HTML attributes that say what the validator will check."""
    kind, attrs = f["type"], {}
    if is_required(f, choices) and kind not in ("multi_choice", "gps", "photo"):
        # A field shown by a condition becomes required only when shown (static/js/conditions.js).
        attrs["data-required" if f.get("show_if") else "required"] = True
    if kind in ("text", "long_text"):
        if "min" in f:
            attrs["minlength"] = f["min"]
        if "max" in f:
            attrs["maxlength"] = f["max"]
        if "pattern" in f:
            attrs["pattern"] = f["pattern"]
    if kind in ("integer", "decimal", "date"):
        for bound in ("min", "max"):
            if bound in f:
                attrs[bound] = f[bound]
    if kind == "integer":
        attrs.update(step=f.get("step", 1), inputmode="numeric")
    if kind == "decimal":
        attrs.update(step=f.get("step", "any"), inputmode="decimal")
    if f.get("inputmode"):
        attrs["inputmode"] = f["inputmode"]
    if f.get("placeholder"):
        attrs["placeholder"] = text_in(f["placeholder"], "vi")
    return attrs


def _fields(f, choices, lang):
    name, kind = f["name"], f["type"]
    label = text_in(f["label"], lang)
    attrs = constraint_attrs(f, choices)
    options = [SelectChoice(value, label_text(text, lang)) for value, text in choices]
    if kind == "text":
        return {name: StringField(label, render_kw=attrs)}
    if kind == "long_text":
        return {name: TextAreaField(label, render_kw={**attrs, "rows": 4})}
    if kind in ("integer", "decimal"):
        return {name: StringField(label, widget=NumberInput(), render_kw=attrs)}
    if kind == "date":
        return {name: StringField(label, widget=DateInput(), render_kw=attrs)}
    if kind == "time":
        return {name: StringField(label, widget=TimeInput(), render_kw=attrs)}
    if kind == "yes_no":
        return {
            name: RadioField(
                label,
                choices=[SelectChoice("yes", _l("Có")), SelectChoice("no", _l("Không"))],
                validate_choice=False,
                render_kw=attrs,
            )
        }
    if kind == "choice" and len(options) <= RADIO_LIMIT:
        return {name: RadioField(label, choices=options, validate_choice=False, render_kw=attrs)}
    if kind in ("choice", "residential_group"):
        return {
            name: SelectField(
                label, choices=[SelectChoice("", _l("— Chọn —")), *options], validate_choice=False, render_kw=attrs
            )
        }
    if kind == "multi_choice":
        field = SelectMultipleField(
            label,
            choices=options,
            validate_choice=False,
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
            render_kw=attrs,
        )
        return {name: field}
    if kind == "gps":
        number = {"step": "any", "inputmode": "decimal"}
        return {
            f"{name}__lat": StringField(_l("Vĩ độ"), widget=NumberInput(), render_kw={**number, "min": -90, "max": 90}),
            f"{name}__lon": StringField(
                _l("Kinh độ"), widget=NumberInput(), render_kw={**number, "min": -180, "max": 180}
            ),
        }
    if kind == "photo":
        return {name: FileField(label, render_kw={"accept": PHOTO_TYPES, "capture": "environment"})}
    raise ValueError(kind)
