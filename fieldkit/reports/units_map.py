"""Which reporting commune a record's commune code counts under, in either era.

Records keep the code they were entered under. A code is read as a 2023 commune when one has it
(as `units.commune_by_code` does), else as a 2025 one. Shown in 2025, a 2023 commune counts under
the commune it became (the main successor); shown in 2023, a 2025 commune counts under the one
2023 commune it came from, or stays itself when it was made of several.
"""

from dataclasses import dataclass

ERAS = ("2023", "2025")


@dataclass(frozen=True)
class Unit:
    """A reporting commune: its code and name in the era shown, and its district (or province)."""

    code: str
    name: str
    era: str
    parent_code: str
    parent_name: str


class UnitMap:
    """Maps record codes to reporting communes of one era, and back."""

    def __init__(self, db, era="2023"):
        self.era = era if era in ERAS else "2023"
        units = {
            (row[0], row[1]): row
            for row in db.execute("SELECT era, code, name, level, parent_code, name_key FROM units")
        }
        self._units = units
        main = {}
        sources = {}
        for old, new, is_main in db.execute("SELECT old_code, new_code, main FROM unit_successors ORDER BY main"):
            if is_main or old not in main:
                main[old] = new
            sources.setdefault(new, set()).add(old)
        self._main, self._sources = main, sources
        self._cache = {}

    def _unit(self, era, code):
        row = self._units.get((era, code))
        if row is None or row[3] != "commune":
            return None
        parent = self._units.get((era, row[4]))
        return Unit(code, row[2], era, row[4] or "", parent[2] if parent else "")

    def target(self, code):
        """The reporting commune a record's code counts under (a Unit; unknown codes stay themselves)."""
        if code in self._cache:
            return self._cache[code]
        entered_era = "2023" if ("2023", code) in self._units else "2025"
        unit = None
        if entered_era == self.era:
            unit = self._unit(self.era, code)
        elif self.era == "2025":
            unit = self._unit("2025", self._main.get(code, ""))
        else:
            old = self._sources.get(code, set())
            unit = self._unit("2023", next(iter(old))) if len(old) == 1 else None
        if unit is None:
            unit = self._unit(entered_era, code) or Unit(code, code, entered_era, "", "")
        self._cache[code] = unit
        return unit

    def sort_key(self, code):
        """(district, commune) name keys of a reporting commune: the order rows are shown in."""
        unit = self.target(code)
        row = self._units.get((unit.era, code))
        parent = self._units.get((unit.era, unit.parent_code))
        return ((parent[5] or "") if parent else "~", (row[5] or "") if row else code)

    def codes_for(self, codes, wanted_targets=None, wanted_parent=None):
        """The record codes among `codes` that count under one of `wanted_targets` / in `wanted_parent`."""
        found = []
        for code in codes:
            unit = self.target(code)
            if wanted_targets and unit.code not in wanted_targets:
                continue
            if wanted_parent and unit.parent_code != wanted_parent:
                continue
            found.append(code)
        return found

    def candidate_codes(self, targets):
        """Every record code that could count under these reporting communes (both eras' codes)."""
        codes = set(targets)
        for target in targets:
            codes |= self._sources.get(target, set())
            codes |= {old for old, new in self._main.items() if new == target}
        return codes

    def parents(self):
        """(code, name) of the districts (2023) or provinces (2025) of the era, by name."""
        level = "district" if self.era == "2023" else "province"
        rows = [(code, row[2]) for (era, code), row in self._units.items() if era == self.era and row[3] == level]
        return sorted(rows, key=lambda item: item[1])
