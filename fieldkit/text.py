"""Vietnamese text: stored in NFC, compared and searched without case or diacritics."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Characters nobody types on purpose: NUL and other controls (tab and line breaks aside), and the
# zero-width ones, which make "empty" names look filled and equal texts look different. Removing
# the C0/C1 controls also makes Python's \s and JavaScript's \s the same set (static/js/fieldtypes.js).
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n?")


def nfc(text):
    """Return text in NFC, invisible characters removed, runs of spaces collapsed, ends trimmed; None stays None."""
    if text is None:
        return None
    return _SPACES.sub(" ", unicodedata.normalize("NFC", INVISIBLE.sub("", str(text)))).strip()


def nfc_lines(text):
    """Like nfc() for a text of several lines: line breaks kept (as \\n), only the ends trimmed."""
    if text is None:
        return None
    return unicodedata.normalize("NFC", INVISIBLE.sub("", _LINE_BREAKS.sub("\n", str(text)))).strip()


def fold(text):
    """Return a key that ignores case, diacritics and spacing: "Thôn Bảo Vinh" -> "thon bao vinh"."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", bare.casefold()).strip()


def register_sql_functions(db):
    """Make fold() callable from SQL on this connection, for diacritic-insensitive search."""
    db.register_function(fold, deterministic=True, replace=True)


# A spreadsheet program runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Return a cell value a spreadsheet will show as text, never run: "=HYPERLINK(…)" -> "'=HYPERLINK(…)".

    Every export that writes xlsx or csv passes each text cell through this; numbers pass unchanged.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def restore_formula_text(value):
    """Undo `neutralise_formula` on a cell read back from a file fieldkit wrote: "'=x" -> "=x"."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
    return value
