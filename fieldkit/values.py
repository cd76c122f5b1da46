"""Values as people type them, read one way everywhere: forms, roster spreadsheets, poster pages.

Each parser takes text (or a number) and returns the value, or raises ValueError; the caller says
why in its own words (a form field's message, a spreadsheet row's). static/js/fieldtypes.js reads
form values by the same rules, and tests/form_cases.json holds both to them.
"""

import math
import re
import unicodedata
from datetime import date

from .text import INVISIBLE

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DAY_FIRST = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4})")
_INTEGER = re.compile(r"[+-]?[0-9]{1,15}")
# A decimal comma (22,25) is how Vietnamese writes 22.25; thousands separators are not read.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)")
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9](?:\.[0-9]+)?)?")
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2100, 12, 31)
LIMIT = 10**15
YES = frozenset({"yes", "true", "1", "co", "có", "on"})
NO = frozenset({"no", "false", "0", "khong", "không", "off"})
# Lào Cai sits well inside these; they catch swapped or mistyped coordinates.
VIETNAM_LAT = (8.0, 24.0)
VIETNAM_LON = (102.0, 110.0)


def plain(text):
    """Text with full-width digits and signs (typed on some phone keyboards) as ASCII, ends trimmed."""
    return unicodedata.normalize("NFKC", INVISIBLE.sub("", str(text))).strip()


def parse_integer(value):
    """A whole number: 12, 12.0, "12", "１２", "+12"; raise ValueError otherwise (True is not 1)."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if abs(value) >= LIMIT:
            raise ValueError(value)
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(plain(value)):
        return int(plain(value))
    raise ValueError(value)


def parse_decimal(value):
    """A number: 22.25, "22.25", "22,25", "２２，２５"; raise ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        text = plain(value)
        if len(text) > 30 or not _DECIMAL.fullmatch(text):
            raise ValueError(value)
        value = float(text.replace(",", "."))
    if isinstance(value, (int, float)) and math.isfinite(value) and abs(value) < LIMIT:
        return float(value)
    raise ValueError(value)


def parse_date(value):
    """A date written ISO (2026-11-20) or day first (20/11/2026, 20-11-2026, 20.11.2026), 1900 to 2100."""
    if not isinstance(value, str) or len(value) > 20:
        raise ValueError(value)
    text = plain(value)
    found = _ISO_DATE.fullmatch(text)
    if found:
        year, month, day = (int(part) for part in found.groups())
    else:
        found = _DAY_FIRST.fullmatch(text)
        if not found:
            raise ValueError(value)
        day, month, year = (int(part) for part in found.groups())
    parsed = date(year, month, day)  # ValueError for 30/02
    if not FIRST_DAY <= parsed <= LAST_DAY:
        raise ValueError(value)
    return parsed


def parse_time(value):
    """A time of day as "HH:MM": "7:30", "07:30", "07:30:15"; raise ValueError otherwise."""
    found = _TIME.fullmatch(plain(value)) if isinstance(value, str) and len(value) < 30 else None
    if not found:
        raise ValueError(value)
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def parse_yes_no(value):
    """True or False from a bool or a word: có/không, yes/no, 1/0, x; raise ValueError otherwise."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = unicodedata.normalize("NFC", INVISIBLE.sub("", value)).strip().lower()
        if word in YES:
            return True
        if word in NO:
            return False
    raise ValueError(value)


def in_vietnam(lat, lon):
    """True when a point lies in Việt Nam's box (a point outside is most often swapped or mistyped)."""
    return VIETNAM_LAT[0] <= lat <= VIETNAM_LAT[1] and VIETNAM_LON[0] <= lon <= VIETNAM_LON[1]


_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


def phone_digits(text):
    """A Vietnamese phone number as digits with its leading 0: "+84 912.345.678" -> "0912345678".

    Raise ValueError("foreign") for another country's number, ("digits") for other signs, ("length").
    """
    digits = _PHONE_SEPARATORS.sub("", plain(text))
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("84"):
            raise ValueError("foreign")
        digits = "0" + digits[2:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("digits")
    if not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits  # Excel drops the leading 0 of a number typed as a number
    if not re.fullmatch(r"0[0-9]{9,10}", digits):
        raise ValueError("length")
    return digits
