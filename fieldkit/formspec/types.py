"""Field types: everything one type of field does, in one class per type.

A type checks its part of a definition, reads a value (JSON from a phone or the HTML form's text)
into its clean form, measures it for min/max, builds its WTForms fields and HTML attributes, reads
them back, and shows a stored value to a person. static/js/fieldtypes.js is the same table for the
phone; tests/form_cases.json holds the two to the same answers.
"""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, DateInput, ListWidget, TextInput, TimeInput

from .. import values
from ..i18n import format_date
from ..text import nfc, nfc_lines
from .labels import label_text

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) tuples

    def SelectChoice(value, label):  # noqa: N802
        return (value, label)


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PHOTO_REF = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")
PHOTO_TYPES = "image/jpeg,image/png,image/webp"
MAX_PHOTOS = 10
RADIO_LIMIT = 4  # up to this many choices show as radio buttons; more as a drop-down list

# Shown when a definition gives no message of its own.
GENERIC = {
    "required": _l("Hãy điền mục này."),
    "text": _l("Hãy nhập chữ."),
    "too_long": _l("Nội dung quá dài."),
    "integer": _l("Hãy nhập một số nguyên."),
    "decimal": _l("Hãy nhập một số."),
    "date": _l("Hãy nhập ngày theo dạng ngày/tháng/năm."),
    "time": _l("Hãy nhập giờ theo dạng giờ:phút."),
    "choice": _l("Lựa chọn này không có trong danh sách."),
    "yes_no": _l("Hãy chọn Có hoặc Không."),
    "gps": _l("Vị trí GPS không hợp lệ."),
    "outside": _l("Vị trí này nằm ngoài Việt Nam. Hãy kiểm tra vĩ độ (trước) và kinh độ (sau)."),
    "photo": _l("Ảnh đính kèm không hợp lệ."),
    "unknown": _l("Biểu mẫu không có mục này."),
    "data": _l("Dữ liệu của biểu mẫu phải là một bảng tên mục và giá trị."),
    "bound": _l("Giá trị nằm ngoài khoảng cho phép."),
    "pattern": _l("Giá trị không đúng định dạng."),
    "at_most": _l("Giá trị này lớn hơn mục mà nó là một phần."),
}


class Invalid(Exception):
    """A value that cannot be read as its type; args[0] is the message (or its key in GENERIC)."""


def _integer_bound(value):
    return isinstance(value, int) and not isinstance(value, bool)


class FieldType:
    """What every type does; subclasses change what differs. One instance per type, in TYPES."""

    name = ""
    bounds = None  # what min/max measure: "length", "value", "date", "count", or None (not allowed)
    invalid = "text"  # the GENERIC message of a value that cannot be read
    layout = "single"  # how formspec/fields.html lays it out: single, options, gps
    summary = None  # the submissions column that copies the first field of this type
    choices = False  # its definition lists choices
    roster = False  # offers the commune's residential groups
    number = False  # a number another field can be at_most
    condition = False  # a show_if can depend on it
    html_required = True  # its input can carry the HTML `required` attribute
    upload = False  # a file sent beside the record (photos), shown as a picture, not as text
    many = False  # holds a list of values

    # --- the definition -------------------------------------------------------------------

    def check_bound(self, value):
        """True when `value` can be this type's min or max."""
        return _integer_bound(value)

    def check_definition(self, f, fail):
        """Refuse what this type cannot use; `fail(text)` raises naming the file and field."""
        for bound in ("min", "max"):
            if bound not in f:
                continue
            if self.bounds is None:
                fail(f"kiểu {self.name} không dùng '{bound}' / type {self.name} takes no '{bound}'")
            if not self.check_bound(f[bound]):
                fail(self.bound_rule(bound))
        if "pattern" in f and self.name != "text":
            fail("'pattern' chỉ dùng cho kiểu text / 'pattern' is for text fields only")
        if "choices" in f and not self.choices:
            fail(f"kiểu {self.name} không có 'choices' / type {self.name} takes no 'choices'")

    def bound_rule(self, bound):
        return f"'{bound}' phải là số nguyên / '{bound}' must be an integer"

    # --- values -----------------------------------------------------------------------------

    def convert(self, value, allowed):
        """The clean value of `value`; raise Invalid otherwise. `allowed`: the choice values."""
        raise NotImplementedError

    def measure(self, value):
        """What min and max compare with."""
        return value

    def message_keys(self, f):
        """The keys of every message this field can show (see resolve.as_json)."""
        return [self.invalid]

    # --- HTML -------------------------------------------------------------------------------

    def attrs(self, f):
        """HTML attributes of the input that say what the validator will check."""
        return {}

    def widgets(self, name, label, attrs, options):
        """{input name: WTForms field} for this field."""
        return {name: StringField(label, render_kw=attrs)}

    def read_form(self, form, name):
        """The value the WTForms form holds for this field, in the shape `convert` reads."""
        return form[name].data

    def input_name(self, name):
        """The input that shows this field's error message."""
        return name

    def starting_value(self):
        """The value a new record starts with, or None."""
        return None

    def form_values(self, name, value):
        """A stored value as the form's initial values."""
        return {name: value}

    def display(self, value, choices, lang):
        """A stored value as text for a person; `choices` maps value to label."""
        return str(value)


class Text(FieldType):
    name = "text"
    bounds = "length"
    max_length = 2000

    def clean(self, value):
        return nfc(value)

    def convert(self, value, allowed):
        if not isinstance(value, str):
            raise Invalid("text")
        text = self.clean(value)
        if len(text) > self.max_length:
            raise Invalid("too_long")
        return text

    def measure(self, value):
        return len(value)

    def message_keys(self, f):
        return ["text", "too_long"]

    def attrs(self, f):
        attrs = {}
        if "min" in f:
            attrs["minlength"] = f["min"]
        if "max" in f:
            attrs["maxlength"] = f["max"]
        if "pattern" in f:
            attrs["pattern"] = f["pattern"]
        return attrs

    def check_definition(self, f, fail):
        super().check_definition(f, fail)
        if "pattern" in f:
            try:
                re.compile(f["pattern"])
            except (re.error, TypeError) as error:
                fail(f"'pattern' không hợp lệ / invalid pattern: {error}")


class LongText(Text):
    name = "long_text"
    max_length = 20000

    def clean(self, value):
        return nfc_lines(value)

    def widgets(self, name, label, attrs, options):
        return {name: TextAreaField(label, render_kw={**attrs, "rows": 4})}


class Integer(FieldType):
    name = "integer"
    bounds = "value"
    number = True
    invalid = "integer"
    inputmode = "numeric"

    def convert(self, value, allowed):
        try:
            return values.parse_integer(value)
        except ValueError:
            raise Invalid(self.invalid) from None

    def attrs(self, f):
        # Text with a number keyboard, not type=number: a browser empties a number box that holds
        # "22,5" or full-width digits, and the officer would be told the field is empty.
        attrs = {"inputmode": self.inputmode, "autocomplete": "off"}
        for bound in ("min", "max"):
            if bound in f:
                attrs[f"data-{bound}"] = f[bound]
        return attrs


class Decimal(Integer):
    name = "decimal"
    invalid = "decimal"
    inputmode = "decimal"

    def check_bound(self, value):
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    def bound_rule(self, bound):
        return f"'{bound}' phải là số / '{bound}' must be a number"

    def convert(self, value, allowed):
        try:
            return values.parse_decimal(value)
        except ValueError:
            raise Invalid(self.invalid) from None


class Date(FieldType):
    name = "date"
    bounds = "date"
    invalid = "date"
    summary = "event_date"

    def check_bound(self, value):
        return isinstance(value, str) and bool(ISO_DATE.match(value))

    def bound_rule(self, bound):
        return f"'{bound}' phải là ngày dạng YYYY-MM-DD / '{bound}' must be a YYYY-MM-DD date"

    def convert(self, value, allowed):
        try:
            return values.parse_date(value).isoformat()
        except ValueError:
            raise Invalid(self.invalid) from None

    def attrs(self, f):
        return {b: f[b] for b in ("min", "max") if b in f}

    def widgets(self, name, label, attrs, options):
        return {name: StringField(label, widget=DateInput(), render_kw=attrs)}

    def display(self, value, choices, lang):
        return format_date(value)

    def starting_value(self):
        return date.today().isoformat()  # static/js/formpage.js moves it on when the page is older


class Time(FieldType):
    name = "time"
    invalid = "time"

    def convert(self, value, allowed):
        try:
            return values.parse_time(value)
        except ValueError:
            raise Invalid(self.invalid) from None

    def widgets(self, name, label, attrs, options):
        return {name: StringField(label, widget=TimeInput(), render_kw=attrs)}


class Choice(FieldType):
    name = "choice"
    invalid = "choice"
    choices = True
    condition = True
    layout = "options"

    def convert(self, value, allowed):
        if isinstance(value, str) and value in allowed:
            return value
        raise Invalid(self.invalid)

    def widgets(self, name, label, attrs, options):
        if len(options) <= RADIO_LIMIT:
            return {name: RadioField(label, choices=options, validate_choice=False, render_kw=attrs)}
        return {name: _select(label, options, attrs)}

    def display(self, value, choices, lang):
        return label_text(choices.get(value, value), lang)


def _select(label, options, attrs):
    return SelectField(
        label, choices=[SelectChoice("", _l("— Chọn —")), *options], validate_choice=False, render_kw=attrs
    )


class ResidentialGroup(Choice):
    name = "residential_group"
    choices = False
    roster = True
    condition = False
    layout = "single"
    summary = "group_uuid"

    def widgets(self, name, label, attrs, options):
        return {name: _select(label, options, attrs)}


class MultiChoice(Choice):
    name = "multi_choice"
    bounds = "count"
    many = True
    html_required = False  # "at least one" of several check boxes: the script and the server say it

    def convert(self, value, allowed):
        chosen = [value] if isinstance(value, str) else value
        if not isinstance(chosen, list) or not all(isinstance(v, str) and v in allowed for v in chosen):
            raise Invalid(self.invalid)
        return [v for v in allowed if v in chosen]

    def measure(self, value):
        return len(value)

    def widgets(self, name, label, attrs, options):
        field = SelectMultipleField(
            label,
            choices=options,
            validate_choice=False,
            widget=ListWidget(prefix_label=False),
            option_widget=CheckboxInput(),
            render_kw=attrs,
        )
        return {name: field}

    def read_form(self, form, name):
        return [v for v in (form[name].data or []) if v]

    def display(self, value, choices, lang):
        return "; ".join(super(MultiChoice, self).display(v, choices, lang) for v in value)


class YesNo(FieldType):
    name = "yes_no"
    invalid = "yes_no"
    condition = True
    layout = "options"

    def convert(self, value, allowed):
        try:
            return values.parse_yes_no(value)
        except ValueError:
            raise Invalid(self.invalid) from None

    def widgets(self, name, label, attrs, options):
        options = [SelectChoice("yes", _l("Có")), SelectChoice("no", _l("Không"))]
        return {name: RadioField(label, choices=options, validate_choice=False, render_kw=attrs)}

    def form_values(self, name, value):
        return {name: "yes" if value else "no"}

    def display(self, value, choices, lang):
        return str(_l("Có")) if value else str(_l("Không"))


class Gps(FieldType):
    name = "gps"
    invalid = "gps"
    layout = "gps"
    html_required = False
    KEYS = {"lat", "lon", "accuracy"}

    def convert(self, value, allowed):
        if not isinstance(value, dict) or not {"lat", "lon"} <= set(value) or not set(value) <= self.KEYS:
            raise Invalid(self.invalid)
        point = {}
        for key in ("lat", "lon", "accuracy"):
            if key in value:
                try:
                    point[key] = values.parse_decimal(value[key])
                except ValueError:
                    raise Invalid(self.invalid) from None
        if point.get("accuracy", 0) < 0 or point.get("accuracy", 0) > 1e6:
            raise Invalid(self.invalid)
        if not values.in_vietnam(point["lat"], point["lon"]):
            raise Invalid("outside")
        return {key: round(number, 1 if key == "accuracy" else 6) for key, number in point.items()}

    def message_keys(self, f):
        return ["gps", "outside"]

    def widgets(self, name, label, attrs, options):
        number = {"inputmode": "decimal", "autocomplete": "off"}
        return {
            f"{name}__lat": StringField(_l("Vĩ độ"), widget=TextInput(), render_kw=number),
            f"{name}__lon": StringField(_l("Kinh độ"), widget=TextInput(), render_kw=number),
        }

    def read_form(self, form, name):
        lat, lon = form[f"{name}__lat"].data, form[f"{name}__lon"].data
        return {"lat": lat or "", "lon": lon or ""} if lat or lon else None

    def input_name(self, name):
        return f"{name}__lat"

    def form_values(self, name, value):
        return {f"{name}__lat": str(value.get("lat", "")), f"{name}__lon": str(value.get("lon", ""))}

    def display(self, value, choices, lang):
        return f"{value.get('lat')}, {value.get('lon')}"


class Photo(FieldType):
    name = "photo"
    invalid = "photo"
    html_required = False
    upload = True

    def convert(self, value, allowed):
        # References to photos sent separately: their SHA-256, or the phone's own id for a photo
        # still waiting in its outbox. The files themselves never travel in the record.
        refs = [value] if isinstance(value, str) else value
        if not isinstance(refs, list) or len(refs) > MAX_PHOTOS:
            raise Invalid(self.invalid)
        if not all(isinstance(v, str) and PHOTO_REF.match(v) for v in refs):
            raise Invalid(self.invalid)
        return list(dict.fromkeys(refs))

    def attrs(self, f):
        return {}

    def widgets(self, name, label, attrs, options):
        return {name: FileField(label, render_kw={"accept": PHOTO_TYPES, "capture": "environment"})}

    def read_form(self, form, name):
        return None  # files are read from the request (submissions/views.py), not the form

    def form_values(self, name, value):
        return {}

    def display(self, value, choices, lang):
        return str(len(value))


TYPES = {
    t.name: t
    for t in (
        Text(),
        LongText(),
        Integer(),
        Decimal(),
        Date(),
        Time(),
        Choice(),
        MultiChoice(),
        YesNo(),
        ResidentialGroup(),
        Gps(),
        Photo(),
    )
}
ALIASES = {"textarea": "long_text"}


def field_type(field_def):
    """The FieldType of a field definition (its "type" already checked)."""
    return TYPES[field_def["type"]]


def summary_columns(definition, clean):
    """The date, group and channel of a record, copied out of its data for the list filters."""
    columns = {}
    for f in definition.fields:
        column = field_type(f).summary
        if column:
            columns.setdefault(column, clean.get(f["name"]))
    return {
        "event_date": columns.get("event_date"),
        "group_uuid": columns.get("group_uuid"),
        "channel": clean.get("channel") or definition.data.get("channel"),
    }
