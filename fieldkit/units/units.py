"""Administrative units: loading the generated data, listing and looking up communes.

Codes are the statistics office's. The same code can mean different communes in the two
eras (02647 was Phường Kim Tân, is now Phường Lào Cai), so a unit is (era, code).
"""

import hashlib
import json
import re
from pathlib import Path

from ..text import fold

DATA_DIR = Path(__file__).parent / "data"
ERAS = ("2023", "2025")
_DISTRICT_PREFIXES = re.compile(r"^(huyen|thanh pho|thi xa|quan)\s+")


def data_files():
    return sorted(DATA_DIR.glob("*.json"))


def sync_units(db):
    """Load the unit data files into the database when they changed since the last load."""
    files = data_files()
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stored = db.execute("SELECT value FROM meta WHERE key = 'units_sha256'").fetchone()
    if stored and stored[0] == digest:
        return False
    with db.atomic():
        for path in files:
            _load(db, json.loads(path.read_text(encoding="utf-8")))
        db["meta"].upsert({"key": "units_sha256", "value": digest}, pk="key")
    return True


def _load(db, data):
    rows = []
    for era, units in data["eras"].items():
        province = units["province"]
        rows.append(_row(era, province["code"], province["name"], "province", None))
        rows += [_row(era, d["code"], d["name"], "district", province["code"]) for d in units["districts"]]
        rows += [
            _row(era, c["code"], c["name"], "commune", c["district"] or province["code"]) for c in units["communes"]
        ]
    db["units"].upsert_all(rows, pk=("era", "code"))
    db["unit_successors"].upsert_all(
        ({"old_code": s["old"], "new_code": s["new"], "main": int(s["main"])} for s in data["successors"]),
        pk=("old_code", "new_code"),
    )


def _row(era, code, name, level, parent):
    return {"era": era, "code": code, "name": name, "level": level, "parent_code": parent, "name_key": fold(name)}


def district_key(name):
    """Fold a district name and drop its prefix: "Huyện Bảo Yên" and "bao yen" give "bao yen"."""
    return _DISTRICT_PREFIXES.sub("", fold(name))


def list_communes(db, era="2023", district=None):
    """Communes of an era, ordered by code, optionally of one district (2023 era) by name."""
    where, params = "era = ? AND level = 'commune'", [era]
    if district:
        wanted = district_key(district)
        codes = [
            row["code"]
            for row in db["units"].rows_where("era = ? AND level = 'district'", [era])
            if district_key(row["name"]) == wanted
        ]
        if not codes:
            return []
        where += f" AND parent_code IN ({', '.join('?' for _ in codes)})"
        params += codes
    return list(db["units"].rows_where(where, params, order_by="code"))


def commune_by_code(db, code, era=None):
    """The commune with this code, in `era` if given, else in either (2023 first)."""
    eras = [era] if era else list(ERAS)
    for each in eras:
        rows = list(db["units"].rows_where("era = ? AND code = ? AND level = 'commune'", [each, code]))
        if rows:
            return rows[0]
    return None


def district_of(db, commune):
    """The district row of a 2023 commune, or None in the two-tier era."""
    rows = list(
        db["units"].rows_where("era = ? AND code = ? AND level = 'district'", [commune["era"], commune["parent_code"]])
    )
    return rows[0] if rows else None


def successors(db, old_code):
    """The 2025 communes an old commune became (main one first)."""
    return list(
        db.query(
            "SELECT u.* FROM unit_successors s JOIN units u ON u.era = '2025' AND u.code = s.new_code"
            " WHERE s.old_code = ? ORDER BY s.main DESC, u.code",
            [old_code],
        )
    )
