"""Guards of data and access written against mutants `make mutate` found alive (issue 18):
the roster import.

Every assertion is on what a user or an attacker would see.
"""

import json

import pytest

from fieldkit.db import get_db
from fieldkit.errors import Forbidden
from fieldkit.testing import BAO_HA, PHO_LU
from fieldkit.testing import scope_of as officer

DUYEN_HAI = "02635"  # Phường Duyên Hải


class TestRosterImport:
    CSV = "Tên thôn,Số hộ,Loại\nThôn Một,40,thon\nThôn Hai,50,thon\n"

    def run(self, app, text, commune=BAO_HA, scope=None, dry_run=False):
        from fieldkit.auth.scope import SYSTEM
        from fieldkit.rosters.roster_import import import_roster

        with app.app_context():
            return import_roster(get_db(), scope or SYSTEM, "s", commune, text.encode(), "thon.csv", dry_run=dry_run)

    def rows(self, app, commune=BAO_HA):
        with app.app_context():
            return {
                g["name"]: g
                for g in get_db()["residential_groups"].rows_where("commune_code = ?", [commune], order_by="id")
            }

    def test_an_import_adds_updates_and_is_audited_once(self, app):
        plan = self.run(app, self.CSV)
        assert plan.applied and plan.summary() == {"added": 2, "updated": 0, "unchanged": 0}
        plan = self.run(app, "Tên thôn,Số hộ\nThôn Một,41\nThôn Hai,50\nThôn Ba,7\n", scope=officer(BAO_HA))
        assert plan.applied and plan.summary() == {"added": 1, "updated": 1, "unchanged": 1}
        held = self.rows(app)
        assert {name: g["households"] for name, g in held.items()} == {"Thôn Một": 41, "Thôn Hai": 50, "Thôn Ba": 7}
        assert held["Thôn Ba"]["origin_site"] == "s" and held["Thôn Ba"]["kind"] == "thon"
        with app.app_context():
            entries = list(get_db()["audit_log"].rows_where("action = 'roster.import'", order_by="id"))
        assert [json.loads(e["detail"]) for e in entries] == [
            {"file": "thon.csv", "added": 2, "updated": 0, "unchanged": 0},
            {"file": "thon.csv", "added": 1, "updated": 1, "unchanged": 1},
        ]
        assert {e["commune_code"] for e in entries} == {BAO_HA}
        assert [(e["username"], e["entity"]) for e in entries] == [
            ("system", "residential_groups"),
            ("mo", "residential_groups"),
        ]
        with app.app_context():
            edits = list(get_db()["audit_log"].rows_where("action = 'group.import'"))
        assert [(e["username"], e["entity_id"]) for e in edits] == [("mo", held["Thôn Một"]["uuid"])]

    def test_a_dry_run_or_a_file_with_problems_writes_nothing(self, app):
        plan = self.run(app, self.CSV, dry_run=True)
        assert not plan.applied and len(plan.added) == 2 and self.rows(app) == {}
        plan = self.run(app, "Tên thôn,Số hộ\nThôn Một,40\nThôn Hai,nhiều\n")
        assert not plan.applied and plan.problems and self.rows(app) == {}
        with app.app_context():
            assert get_db()["audit_log"].count_where("action = 'roster.import'") == 0

    def test_an_officer_imports_only_for_a_commune_held(self, app):
        with pytest.raises(Forbidden):
            self.run(app, self.CSV, commune=PHO_LU, scope=officer(BAO_HA))
        assert self.rows(app, PHO_LU) == {}

    def test_an_officer_imports_for_the_commune_held(self, app):
        plan = self.run(app, self.CSV, scope=officer(BAO_HA))
        assert plan.applied and set(self.rows(app)) == {"Thôn Một", "Thôn Hai"}

    def test_an_unknown_commune_is_the_first_problem_named(self, app):
        plan = self.run(app, "Tên thôn,Số hộ\nThôn Một,nhiều\n", commune="99999")
        assert not plan.applied and str(plan.problems[0]) == "Không có xã mã 99999."
        assert len(plan.problems) == 2 and plan.added == []

    def test_a_name_is_matched_within_the_commune_only(self, app, create_group):
        create_group("Thôn Một", commune=PHO_LU, households=9)
        plan = self.run(app, self.CSV)
        assert plan.summary() == {"added": 2, "updated": 0, "unchanged": 0}
        assert self.rows(app, PHO_LU)["Thôn Một"]["households"] == 9
        assert self.rows(app)["Thôn Một"]["households"] == 40

    def test_a_town_gets_to_dan_pho_and_a_kind_set_by_hand_stays(self, app):
        self.run(app, "Tên thôn,Số hộ\nThôn Một,40\n")  # Xã Bảo Hà
        # A name that does not say its kind: a town's or a ward's is a tổ dân phố, a commune's a thôn.
        for commune in (PHO_LU, DUYEN_HAI, BAO_HA):
            self.run(app, "Tên thôn,Số hộ\nKhu Ba,40\n", commune=commune)
        kinds = [self.rows(app, commune)["Khu Ba"]["kind"] for commune in (PHO_LU, DUYEN_HAI, BAO_HA)]
        assert kinds == ["to_dan_pho", "to_dan_pho", "thon"]
        again = self.run(app, "Tên thôn,Số hộ\nKhu Ba,40\n")  # the same file again: nothing to do
        assert again.applied and again.summary() == {"added": 0, "updated": 0, "unchanged": 1}
        assert self.rows(app)["Thôn Một"]["kind"] == "thon"
        with app.app_context():
            get_db().execute("UPDATE residential_groups SET kind = 'ban' WHERE name = 'Thôn Một'")
            get_db().conn.commit()
        plan = self.run(app, "Tên thôn,Số hộ\nThôn Một,40\n")
        assert plan.summary()["unchanged"] == 1 and self.rows(app)["Thôn Một"]["kind"] == "ban"
        self.run(app, "Tên thôn,Số hộ,Loại\nThôn Một,40,tổ dân phố\n")
        assert self.rows(app)["Thôn Một"]["kind"] == "to_dan_pho"  # named in the file: taken

    def test_groups_the_file_does_not_name(self, app):
        self.run(app, self.CSV + "Thôn Ba,9,thon\n")
        with app.app_context():
            get_db().execute("UPDATE residential_groups SET active = 0 WHERE name = 'Thôn Ba'")
            get_db().conn.commit()
        plan = self.run(app, "Tên thôn,Số hộ\nThôn Một,40\n", dry_run=True)
        assert [g["name"] for g in plan.not_in_file] == ["Thôn Hai"]  # the closed one is not listed

    @pytest.mark.parametrize(
        "stored, incoming, kept",
        [
            ("Thôn Bảo Vinh", "Thon Bao Vinh", "Thôn Bảo Vinh"),
            ("Thôn Bảo Vinh", "THON BAO VINH", "Thôn Bảo Vinh"),
            ("Thon Bao Vinh", "Thôn Bảo Vinh", "Thôn Bảo Vinh"),
            ("Thôn Bảo Vinh", "Thôn Bảo Vính", "Thôn Bảo Vính"),
            ("Thôn Bảo Vinh", "Thôn Khác", "Thôn Khác"),
            ("Đồng Tâm", "Dong Tam", "Đồng Tâm"),
            ("Đam", "Dam", "Đam"),
            ("Đam", "Đam", "Đam"),
        ],
    )
    def test_a_file_without_diacritics_keeps_the_stored_marks(self, stored, incoming, kept):
        from fieldkit.rosters.roster_import import better_text

        assert better_text(stored, incoming) == kept

    @pytest.mark.parametrize(
        "text, marked", [("Thôn Bảo Vinh", True), ("Thon Bao Vinh", False), ("Đam", True), ("đam", True), ("", False)]
    )
    def test_which_text_carries_vietnamese_marks(self, text, marked):
        from fieldkit.rosters.roster_import import has_diacritics

        assert has_diacritics(text) is marked

    def test_a_plan_says_which_headers_it_ignored_and_what_each_row_changes(self, app):
        self.run(app, self.CSV)
        plan = self.run(app, "Tên thôn,Số hộ,Cột lạ\nThôn Một,45,x\nThôn Hai,50,y\n", dry_run=True)
        assert plan.ignored_headers == ["Cột lạ"] and plan.sheet is None
        ((group, changes, record),) = plan.updated
        assert group["name"] == "Thôn Một" and changes == {"households": (40, 45)} and record["row"] == 2
        assert [g["name"] for g in plan.unchanged] == ["Thôn Hai"]
        assert plan.commune_code == BAO_HA and plan.problems == []
