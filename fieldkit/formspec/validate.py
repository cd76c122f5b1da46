"""The one validator of a record against its definition, used by the API and the HTML form alike.

`validate` takes whatever arrived (JSON from a phone, or the HTML form's strings) and returns the
clean data, typed and normalised, plus a message per field in error. It never raises on bad input.
"""

import math
import re
import unicodedata
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from ..text import nfc
from .definition import message
from .resolve import is_required

HARD_MAX_LENGTH = {"text": 2000, "long_text": 20000}
MAX_PHOTOS = 10
INTEGER = re.compile(r"^[+-]?\d{1,15}$")
PHOTO_REF = re.compile(r"^[\w.:-]{1,200}$")
TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d(\.\d+)?)?$")
YES = {"yes", "true", "1", "co", "có", "on"}
NO = {"no", "false", "0", "khong", "không", "off"}

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
    "photo": _l("Ảnh đính kèm không hợp lệ."),
    "unknown": _l("Biểu mẫu không có mục này."),
    "data": _l("Dữ liệu của biểu mẫu phải là một bảng tên mục và giá trị."),
    "bound": _l("Giá trị nằm ngoài khoảng cho phép."),
    "pattern": _l("Giá trị không đúng định dạng."),
    "at_most": _l("Giá trị này lớn hơn mục mà nó là một phần."),
}


class Invalid(Exception):
    """A value that cannot be read as its type; carries the message key or text."""


def is_empty(value):
    return value is None or value == "" or value == [] or value == {} or (isinstance(value, str) and not value.strip())


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
        value = data.get(name)
        if is_empty(value):
            if is_required(f, choices.get(name)):
                errors[name] = message(f, "required", lang) or str(GENERIC["required"])
            continue
        try:
            clean_value = convert(f, value, [v for v, _ in choices.get(name, [])])
            check_bounds(f, clean_value, lang)
        except Invalid as problem:
            errors[name] = str(problem.args[0])
            continue
        if "at_most" in f and isinstance(clean.get(f["at_most"]), (int, float)) and clean_value > clean[f["at_most"]]:
            errors[name] = message(f, "at_most", lang) or str(GENERIC["at_most"])
            continue
        clean[name] = clean_value
    return clean, errors


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


def convert(f, value, allowed):
    """One value as its field type wants it; raise Invalid with a message otherwise."""
    kind = f["type"]
    if kind in ("text", "long_text"):
        if not isinstance(value, str):
            raise Invalid(GENERIC["text"])
        text = nfc(value) if kind == "text" else unicodedata.normalize("NFC", value).strip().replace("\r\n", "\n")
        if len(text) > HARD_MAX_LENGTH[kind]:
            raise Invalid(GENERIC["too_long"])
        return text
    if kind == "integer":
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**15:
            return value
        if isinstance(value, float) and value.is_integer() and abs(value) < 10**15:
            return int(value)
        if isinstance(value, str) and INTEGER.match(value.strip()):
            return int(value.strip())
        raise Invalid(GENERIC["integer"])
    if kind == "decimal":
        return _decimal(value)
    if kind == "date":
        return read_date(value)
    if kind == "time":
        if isinstance(value, str) and TIME.match(value.strip()):
            return value.strip()[:5]
        raise Invalid(GENERIC["time"])
    if kind in ("choice", "residential_group"):
        if isinstance(value, str) and value in allowed:
            return value
        raise Invalid(GENERIC["choice"])
    if kind == "multi_choice":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) and v in allowed for v in values):
            raise Invalid(GENERIC["choice"])
        return [v for v in allowed if v in values]
    if kind == "yes_no":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in YES | NO:
            return value.strip().lower() in YES
        raise Invalid(GENERIC["yes_no"])
    if kind == "gps":
        return _gps(value)
    if kind == "photo":
        # References to photos sent separately: their SHA-256, or the phone's own id for a photo
        # still waiting in its outbox. The files themselves never travel in the record.
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or len(values) > MAX_PHOTOS:
            raise Invalid(GENERIC["photo"])
        if not all(isinstance(v, str) and PHOTO_REF.match(v) for v in values):
            raise Invalid(GENERIC["photo"])
        return list(dict.fromkeys(values))
    raise Invalid(GENERIC["unknown"])


def check_bounds(f, value, lang):
    """min/max (length, number, date or count) and pattern, with the definition's messages."""
    kind = f["type"]
    measure = len(value) if kind in ("text", "long_text", "multi_choice") else value
    if kind not in ("text", "long_text", "multi_choice", "integer", "decimal", "date"):
        return
    if "min" in f and measure < f["min"]:
        raise Invalid(message(f, "min", lang) or GENERIC["bound"])
    if "max" in f and measure > f["max"]:
        raise Invalid(message(f, "max", lang) or GENERIC["bound"])
    if "pattern" in f and not re.fullmatch(f["pattern"], value):
        raise Invalid(message(f, "pattern", lang) or GENERIC["pattern"])


def _decimal(value):
    if isinstance(value, bool):
        raise Invalid(GENERIC["decimal"])
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if len(text) > 30:
            raise Invalid(GENERIC["decimal"])
        try:
            value = float(text)
        except ValueError:
            raise Invalid(GENERIC["decimal"]) from None
    if isinstance(value, (int, float)) and math.isfinite(value) and abs(value) < 1e15:
        return float(value)
    raise Invalid(GENERIC["decimal"])


def read_date(value):
    """An ISO or dd/mm/yyyy date as ISO text; raise Invalid otherwise."""
    if not isinstance(value, str) or len(value) > 20:
        raise Invalid(GENERIC["date"])
    text = value.strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            parsed = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if date(1900, 1, 1) <= parsed <= date(2100, 12, 31):
            return parsed.isoformat()
    raise Invalid(GENERIC["date"])


def _gps(value):
    if not isinstance(value, dict) or not {"lat", "lon"} <= set(value) or not set(value) <= {"lat", "lon", "accuracy"}:
        raise Invalid(GENERIC["gps"])
    point = {}
    for key, limit in (("lat", 90), ("lon", 180), ("accuracy", 1e6)):
        if key not in value:
            continue
        try:
            number = _decimal(value[key])
        except Invalid:
            raise Invalid(GENERIC["gps"]) from None
        if abs(number) > limit or (key == "accuracy" and number < 0):
            raise Invalid(GENERIC["gps"])
        point[key] = round(number, 6 if key != "accuracy" else 1)
    return point
