"""Poster sheet codes a person can read back: made, normalised from what was typed, checked.

A code is the commune code and eight characters of Crockford base32, grouped by four:
`02989-K7QX-4MZ2`. The alphabet has no I, L, O or U, so nothing printed can be misread as another
character, and reading is forgiving: lower case, O for 0, I or L for 1, spaces and dashes anywhere.
Sheets printed before this scheme carry codes such as `02989-yIzob_LJ` (case matters there);
they stay valid, matched exactly as printed.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 8
GROUP = 4
# Crockford's decoding: the letters a person may write for a digit.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·–—]+")
CURRENT = re.compile(rf"^(\d{{5}})-([{ALPHABET}]{{{GROUP}}})-([{ALPHABET}]{{{GROUP}}})$")
_BARE = re.compile(rf"^(\d{{5}})([{ALPHABET}]{{{RANDOM_LENGTH}}})$")
# What `secrets.token_urlsafe` gave the first printed sheets, behind the commune code.
LEGACY = re.compile(r"^[A-Za-z0-9_-]{4,40}$")


def new_code(commune_code):
    """A fresh code for one printed sheet of a commune (the caller makes sure it is not in use)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return f"{commune_code}-{body[:GROUP]}-{body[GROUP:]}"


def normalise(typed):
    """The code a person meant: the current form when the text reads as one, else the text as typed.

    `" 02989 k7qx-4mz2 "` and `"02989K7QX4MZ2"` both give `02989-K7QX-4MZ2`; an old code comes
    back unchanged (apart from surrounding spaces), since its case is part of it.
    """
    text = (typed or "").strip()
    squeezed = _SEPARATORS.sub("", text).upper().translate(_READ_AS)
    found = _BARE.match(squeezed)
    if found:
        commune, body = found.groups()
        return f"{commune}-{body[:GROUP]}-{body[GROUP:]}"
    return text


def is_well_formed(code):
    """True for a code fieldkit prints today, or printed before (as stored, not as typed)."""
    return bool(code) and (bool(CURRENT.match(code)) or bool(LEGACY.match(code)))


def candidates(typed):
    """The stored codes a typed text may stand for, best first: as normalised, then exactly as typed."""
    exact = (typed or "").strip()
    found = []
    for code in (normalise(typed), exact):
        if is_well_formed(code) and code not in found:
            found.append(code)
    return found
