"""Generate fieldkit's administrative-unit data for Lào Cai from `vietnamadminunits`.

Run from a checkout, with the package installed (``pip install .[units]``)::

    python -m fieldkit.units.generate > fieldkit/units/data/lao-cai.json

The output holds the old province (until 30/6/2025: province, district, commune),
the merged province (from 1/7/2025: province, commune) and which old commune became
which new one. Nothing here is typed by hand: re-run it when the package is updated.
"""

import json
import sqlite3
import sys
from importlib import metadata, resources

PROVINCE_KEY = "tinhlaocai"


def _dataset_paths():
    data = resources.files("vietnamadminunits") / "data"
    return data / "dataset.db", data / "converter_2025.json"


def build(province_key=PROVINCE_KEY):
    """Return the unit data of one province, both eras and the mapping, as a dict."""
    db_path, converter_path = _dataset_paths()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    legacy = conn.execute(
        "select provinceCode, province, districtCode, district, districtKey,"
        " wardCode, ward, wardKey from admin_units_legacy"
        " where provinceKey = ? order by wardCode",
        [province_key],
    ).fetchall()
    current = conn.execute(
        "select provinceCode, province, wardCode, ward, wardKey from admin_units"
        " where provinceKey = ? order by wardCode",
        [province_key],
    ).fetchall()
    conn.close()
    if not legacy or not current:
        raise SystemExit(f"no units for {province_key!r} in vietnamadminunits")

    districts = {}
    for row in legacy:
        districts.setdefault(row["districtCode"], row["district"])
    old_by_key = {f"{province_key}_{row['districtKey']}_{row['wardKey']}": row["wardCode"] for row in legacy}
    new_by_key = {row["wardKey"]: row["wardCode"] for row in current}

    converter = json.loads(converter_path.read_text(encoding="utf-8"))
    successors = set()
    undivided = converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province_key, {})
    for new_key, old_keys in undivided.items():
        for old_key in old_keys:
            if old_key in old_by_key:
                successors.add((old_by_key[old_key], new_by_key[new_key], True))
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(province_key, {})
    for old_key, targets in divided.items():
        if old_key not in old_by_key:
            continue
        for target in targets:
            successors.add((old_by_key[old_key], new_by_key[target["newWardKey"]], bool(target["isDefaultNewWard"])))
    unmapped = set(old_by_key.values()) - {old for old, _, _ in successors}
    if unmapped:
        raise SystemExit(f"old communes without a successor: {sorted(unmapped)}")

    return {
        "source": f"vietnamadminunits {metadata.version('vietnamadminunits')}",
        "eras": {
            "2023": {
                "province": {"code": legacy[0]["provinceCode"], "name": legacy[0]["province"]},
                "districts": [{"code": c, "name": n} for c, n in sorted(districts.items())],
                "communes": [{"code": r["wardCode"], "name": r["ward"], "district": r["districtCode"]} for r in legacy],
            },
            "2025": {
                "province": {"code": current[0]["provinceCode"], "name": current[0]["province"]},
                "districts": [],
                "communes": [{"code": r["wardCode"], "name": r["ward"], "district": None} for r in current],
            },
        },
        "successors": [{"old": old, "new": new, "main": main} for old, new, main in sorted(successors)],
    }


def main():
    json.dump(build(), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
