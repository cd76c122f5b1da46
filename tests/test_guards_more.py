"""More guards of data and access, each written against a mutant `make mutate` found alive (issue 18).

Every assertion is on what a user or an attacker would see: which rows a scope reads, which
commune a record lands in, what a refused write leaves behind.
"""

import json

import pytest

from fieldkit.auth.scope import Scope
from fieldkit.db import get_db
from fieldkit.errors import Forbidden, NotFound
from fieldkit.formspec import registry
from fieldkit.submissions import records
from fieldkit.testing import BAO_HA, HEADERS, PHO_LU, record_for
from fieldkit.testing import post_record as post

BAC_HA = "02839"  # Thị trấn Bắc Hà
DUYEN_HAI = "02635"  # Phường Duyên Hải


def officer(*communes, role="officer"):
    return Scope(7, "mo", role, frozenset(communes))


@pytest.fixture
def groups(app, create_group):
    """A group in each of three communes; yields the open database with {commune: group row}."""
    made = {code: create_group(f"Thôn {code}", commune=code) for code in (BAO_HA, PHO_LU, BAC_HA)}
    with app.app_context():
        yield get_db(), made


@pytest.fixture
def session_form(client, auth, villages):
    """The session form as the officer's phone reads it, Bảo Hà's villages to choose from; logged in."""
    auth.login()
    return client.get("/api/v1/forms/session").get_json()


class TestScope:
    def test_get_gives_a_row_of_a_held_commune_and_404_otherwise(self, groups):
        db, made = groups
        table = db["residential_groups"]
        scope = officer(BAO_HA)
        mine = made[BAO_HA]
        assert scope.get(table, mine["id"])["uuid"] == mine["uuid"]
        with pytest.raises(NotFound):
            scope.get(table, made[PHO_LU]["id"])  # exists, but in another commune: no hint of that
        with pytest.raises(NotFound):
            scope.get(table, 10_000)

    def test_get_limits_by_the_column_it_is_given(self, groups):
        db, made = groups
        db["notes"].insert_all([{"id": 1, "xa": BAO_HA, "commune_code": PHO_LU}, {"id": 2, "xa": PHO_LU}], pk="id")
        scope = officer(BAO_HA)
        assert scope.get(db["notes"], 1, column="xa")["id"] == 1
        with pytest.raises(NotFound):
            scope.get(db["notes"], 2, column="xa")
        with pytest.raises(NotFound):
            scope.get(db["notes"], 1)  # by commune_code, row 1 is Phố Lu's

    def test_several_communes_read_exactly_those(self, groups):
        db, made = groups
        table = db["residential_groups"]
        scope = officer(PHO_LU, BAO_HA)
        assert {row["commune_code"] for row in scope.rows(table)} == {BAO_HA, PHO_LU}
        assert scope.count(table) == 2
        assert scope.allows(PHO_LU) and not scope.allows(BAC_HA)
        assert scope.require(BAO_HA) == BAO_HA
        with pytest.raises(Forbidden):
            scope.require(BAC_HA)

    def test_a_condition_narrows_the_scope_and_never_widens_it(self, groups):
        db, made = groups
        table = db["residential_groups"]
        scope = officer(BAO_HA)
        other = made[PHO_LU]["uuid"]
        assert list(scope.rows(table, "uuid = ?", [other])) == []
        assert scope.count(table, "uuid = ?", [other]) == 0
        assert scope.count(table, "uuid = ? OR 1 = 1", [other]) == 1
        mine = made[BAO_HA]["uuid"]
        assert [row["uuid"] for row in scope.rows(table, "uuid = ?", [mine])] == [mine]
        assert scope.count(table, "uuid = ?", [mine]) == 1

    def test_a_scope_on_another_column(self, groups):
        db, _ = groups
        db["notes"].insert_all([{"id": 1, "xa": BAO_HA, "commune_code": PHO_LU}, {"id": 2, "xa": PHO_LU}], pk="id")
        scope = officer(BAO_HA)
        assert [row["id"] for row in scope.rows(db["notes"], column="xa")] == [1]
        assert scope.count(db["notes"], column="xa") == 1
        assert scope.count(db["notes"], "id > ?", [1], column="xa") == 0

    def test_central_holds_every_commune(self, groups):
        db, _ = groups
        central = Scope(1, "so", "central_admin", None)
        assert central.is_central and not officer(BAO_HA).is_central
        assert central.count(db["residential_groups"]) == 3
        assert central.allows(BAC_HA)

    def test_roles(self):
        scope = officer(BAO_HA, role="commune_admin")
        assert scope.can("commune_admin", "central_admin")
        assert not scope.can("central_admin")


class TestApiChecks:
    @pytest.mark.parametrize(
        "query, field",
        [
            ("limit=0", "limit"),
            ("limit=501", "limit"),
            ("limit=-1", "limit"),
            ("limit=ten", "limit"),
            ("offset=-1", "offset"),
            ("offset=1000000001", "offset"),
            ("since=2026-13-45", "since"),
        ],
    )
    def test_a_paging_parameter_out_of_range_is_named(self, client, auth, query, field):
        auth.login()
        response = client.get(f"/api/v1/submissions?{query}")
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == [field]

    def test_paging_at_its_limits(self, client, auth):
        auth.login()
        body = client.get("/api/v1/submissions?limit=500&offset=1000000000").get_json()
        assert (body["limit"], body["offset"], body["total"]) == (500, 1000000000, 0)
        assert client.get("/api/v1/submissions?limit=1&offset=0").get_json()["limit"] == 1
        assert client.get("/api/v1/submissions?limit=&offset=").get_json()["limit"] == 50
        message = client.get("/api/v1/submissions?limit=0").get_json()["errors"]["limit"]
        assert message == "Tham số limit phải là số nguyên từ 1 đến 500."

    @pytest.mark.parametrize("method", ["HEAD", "OPTIONS"])
    def test_reads_need_no_write_header(self, client, auth, method):
        auth.login()
        response = client.open("/api/v1/submissions", method=method, headers={"Sec-Fetch-Site": "cross-site"})
        assert response.status_code != 403

    def test_a_body_that_is_not_json_is_a_422_naming_the_body(self, client, auth):
        auth.login()
        for body in (b"not json", b"[" * 100_000):
            response = client.post("/api/v1/submissions", data=body, content_type="application/json", headers=HEADERS)
            assert response.status_code == 422
            assert list(response.get_json()["errors"]) == ["body"]

    def test_an_origin_with_the_same_scheme_host_and_port_is_accepted(self, client, auth):
        auth.login()
        headers = {**HEADERS, "Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}
        response = client.post("/api/v1/submissions", data=b"{}", content_type="application/json", headers=headers)
        assert response.status_code == 422  # past the origin check, refused for its content


class TestPosterRegister:
    @pytest.fixture
    def printed(self, app, create_group):
        """Two Bảo Hà groups with an A5 sheet each (two codes per group) and a Phố Lu group with one."""
        from fieldkit.auth.scope import SYSTEM
        from fieldkit.posters.register import print_sheets

        first, second = create_group("Thôn Một"), create_group("Thôn Hai")
        other = create_group("Tổ 1", commune=PHO_LU)
        with app.app_context():
            db = get_db()
            site = app.config["SITE_ID"]
            sheets = print_sheets(db, SYSTEM, site, BAO_HA, [first, second], "A5", "https://papi.example.org/")
            far = print_sheets(db, SYSTEM, site, PHO_LU, [other], "A4", "https://papi.example.org")
            yield db, {"sheets": sheets, "groups": (first, second), "far": far[0]}

    def test_each_sheet_is_registered_to_its_own_group(self, printed):
        db, made = printed
        first, second = made["groups"]
        sheets = made["sheets"]
        assert [s.group_name for s in sheets] == ["Thôn Một", "Thôn Một", "Thôn Hai", "Thôn Hai"]
        owners = dict(db.execute("SELECT code, group_uuid FROM posters WHERE commune_code = ?", [BAO_HA]))
        assert [owners[s.code] for s in sheets] == [first["uuid"], first["uuid"], second["uuid"], second["uuid"]]
        assert len({s.code for s in sheets}) == 4
        assert all(s.url == f"https://papi.example.org/p/{s.code}" for s in sheets)
        assert all(s.commune_name == "Xã Bảo Hà" and s.lang == "vi" for s in sheets)
        rows = list(db["posters"].rows_where("commune_code = ?", [BAO_HA]))
        assert {(r["size"], r["lang"], r["status"], r["printed_by"], r["origin_site"]) for r in rows} == {
            ("A5", "vi", "printed", "system", "test-site")
        }
        events = list(db["poster_events"].rows_where("commune_code = ?", [BAO_HA]))
        assert sorted(e["poster_code"] for e in events) == sorted(s.code for s in sheets)
        assert {(e["event"], e["username"]) for e in events} == {("printed", "system")}
        audit = next(db["audit_log"].rows_where("action = 'posters.print' AND commune_code = ?", [BAO_HA]))
        assert sorted(json.loads(audit["detail"])["codes"]) == sorted(s.code for s in sheets)

    def test_an_officer_prints_only_for_a_commune_held(self, printed):
        from fieldkit.posters.register import print_sheets

        db, made = printed
        count = db["posters"].count
        with pytest.raises(Forbidden):
            print_sheets(db, officer(PHO_LU), "s", BAO_HA, list(made["groups"]), "A4", "https://papi.example.org")
        assert db["posters"].count == count

    def test_a_poster_is_found_by_what_was_typed_within_the_scope(self, printed):
        from fieldkit.posters.register import get_poster

        db, made = printed
        code = made["sheets"][2].code
        typed = " " + code.lower().replace("-", " ") + " "
        assert get_poster(db, officer(BAO_HA), typed)["code"] == code
        assert get_poster(db, officer(PHO_LU), code) is None
        assert get_poster(db, officer(BAO_HA), made["far"].code) is None
        assert get_poster(db, officer(BAO_HA), "02989-0000-0000") is None

    @pytest.mark.parametrize(
        "event, condition, status",
        [
            ("posted", "", "posted"),
            ("checked", "ok", "posted"),
            ("checked", "damaged", "damaged"),
            ("replaced", "", "replaced"),
            ("removed", "", "removed"),
        ],
    )
    def test_an_event_sets_the_posters_status_and_is_kept(self, printed, event, condition, status):
        from fieldkit.posters.register import events_of, get_poster, record_event

        db, made = printed
        code = made["sheets"][0].code
        scope = officer(BAO_HA)
        poster = get_poster(db, scope, code)
        row = record_event(
            db, scope, "s-1", poster, event, place="Nhà văn hoá\u0301", condition=condition, note="", photo=""
        )
        assert get_poster(db, scope, code)["status"] == status
        kept = events_of(db, scope, code)[-1]
        assert kept["uuid"] == row["uuid"]
        assert (kept["event"], kept["condition"], kept["note"], kept["photo"], kept["username"]) == (
            event,
            condition or None,
            None,
            None,
            "mo",
        )
        assert kept["place"] == "Nhà văn hoá\u0301".replace("a\u0301", "á") and kept["commune_code"] == BAO_HA
        assert kept["origin_site"] == "s-1" and kept["at"]
        audit = list(db["audit_log"].rows_where("action = ?", [f"poster.{event}"]))
        assert [a["entity_id"] for a in audit] == [poster["uuid"]]
        other = get_poster(db, scope, made["sheets"][2].code)
        assert other["status"] == "printed"  # only that poster changed

    @pytest.mark.parametrize(
        "event, condition", [("torn", ""), ("checked", ""), ("checked", "lost")], ids=["event", "no cond", "cond"]
    )
    def test_an_unknown_event_or_condition_writes_nothing(self, printed, event, condition):
        from fieldkit.posters.register import get_poster, record_event

        db, made = printed
        poster = get_poster(db, officer(BAO_HA), made["sheets"][0].code)
        count = db["poster_events"].count
        with pytest.raises(ValueError):
            record_event(db, officer(BAO_HA), "s", poster, event, condition=condition)
        assert db["poster_events"].count == count
        assert get_poster(db, officer(BAO_HA), poster["code"])["status"] == "printed"

    def test_an_officer_records_events_only_in_a_commune_held(self, printed):
        from fieldkit.posters.register import get_poster, record_event

        db, made = printed
        poster = get_poster(db, officer(BAO_HA), made["sheets"][0].code)
        with pytest.raises(Forbidden):
            record_event(db, officer(PHO_LU), "s", poster, "removed")
        assert get_poster(db, officer(BAO_HA), poster["code"])["status"] == "printed"

    def test_the_register_and_the_houses_without_a_poster(self, printed):
        from fieldkit.posters.register import get_poster, houses_without_poster, record_event, record_scan, register

        db, made = printed
        scope = officer(BAO_HA)
        sheets = made["sheets"]
        assert record_scan(db, "s", sheets[0].code) and record_scan(db, "s", sheets[0].code)
        listed = register(db, scope, BAO_HA)
        assert [row["code"] for row in listed] == [s.code for s in reversed(sheets)]  # newest first
        scans = {row["code"]: row["scans"] for row in listed}
        assert scans[sheets[0].code] == 2 and scans[sheets[1].code] == 0
        assert {row["group_name"] for row in listed} == {"Thôn Một", "Thôn Hai"}
        with pytest.raises(Forbidden):
            register(db, officer(PHO_LU), BAO_HA)
        assert [g["name"] for g in houses_without_poster(db, scope, BAO_HA)] == ["Thôn Hai", "Thôn Một"]
        record_event(db, scope, "s", get_poster(db, scope, sheets[2].code), "posted")
        assert [g["name"] for g in houses_without_poster(db, scope, BAO_HA)] == ["Thôn Một"]
        record_event(db, scope, "s", get_poster(db, scope, sheets[2].code), "removed")
        assert [g["name"] for g in houses_without_poster(db, scope, BAO_HA)] == ["Thôn Hai", "Thôn Một"]
        with pytest.raises(Forbidden):
            houses_without_poster(db, officer(PHO_LU), BAO_HA)

    def test_scans_are_counted_for_known_codes_only(self, printed):
        from fieldkit.posters.register import record_scan

        db, made = printed
        code = made["sheets"][1].code
        assert record_scan(db, None, code) is True
        assert record_scan(db, "s", "02989-0000-0000") is False
        assert record_scan(db, "s", "not a code!") is False
        assert record_scan(db, "s", "not a code!", count_unknown=True) is False
        assert record_scan(db, "central", "02989-0000-0000", count_unknown=True) is True
        rows = [(r["poster_code"], r["commune_code"], r["origin_site"]) for r in db["poster_scans"].rows]
        assert rows == [(code, BAO_HA, "unknown"), ("02989-0000-0000", None, "central")]

    def test_a_groups_code_is_its_first_sheets_or_a_new_one(self, printed, create_group):
        from fieldkit.auth.scope import SYSTEM
        from fieldkit.posters.register import code_for_group

        db, made = printed
        first = made["groups"][0]
        assert code_for_group(db, SYSTEM, "s", first, "http://127.0.0.1:8080") == made["sheets"][0].code
        fresh = create_group("Thôn Mới")
        code = code_for_group(db, SYSTEM, "s", fresh, "http://127.0.0.1:8080")  # LAN address: no sheet leaves
        assert db.execute("SELECT group_uuid, size FROM posters WHERE code = ?", [code]).fetchone() == (
            fresh["uuid"],
            "A4",
        )
        assert code_for_group(db, SYSTEM, "s", fresh, "http://127.0.0.1:8080") == code


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


def row_digest(db, record_uuid):
    return db.execute("SELECT content_sha256 FROM submissions WHERE uuid = ?", [record_uuid]).fetchone()[0]


class TestRecords:
    """What a phone sends, what the server keeps and gives back, and what a conflict leaves for review."""

    def stored(self, app, record_uuid):
        with app.app_context():
            return list(get_db()["submissions"].rows_where("uuid = ?", [record_uuid]))

    def test_a_record_is_kept_as_sent_and_given_back(self, app, client, session_form):
        record = record_for(session_form, created_at="2026-11-20T08:30:00+07:00")
        record["uuid"] = " " + record["uuid"].upper() + " "
        record["commune"] = f" {BAO_HA} "
        response = post(client, record)
        assert response.status_code == 201
        key = record["uuid"].strip().lower()
        body = response.get_json()
        assert body["status"] == "created" and body["uuid"] == key
        item = client.get(f"/api/v1/submissions/{key}").get_json()
        assert item == body["record"]
        assert (item["uuid"], item["root_uuid"], item["replaces"], item["commune"]) == (key, key, None, BAO_HA)
        assert (item["form_id"], item["form_version"]) == ("session", session_form["version"])
        assert item["data"] == record["data"] and item["created_at"] == "2026-11-20T08:30:00+07:00"
        assert item["submitted_by"] == "officer" and item["deleted"] is False and item["received_at"]
        (row,) = self.stored(app, key)
        with app.app_context():
            officer_id = next(get_db()["users"].rows_where("username = 'officer'"))["id"]
        assert (row["origin_site"], row["submitted_by_id"], row["deleted"]) == ("test-site", officer_id, 0)
        assert row["event_date"] == record["data"]["date"] and row["group_uuid"] == record["data"]["residential_group"]
        assert item["content_sha256"] == row["content_sha256"] and len(row["content_sha256"]) == 64

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"commune": "0" * 21}, "commune"),
            ({"commune": "   "}, "commune"),
            ({"commune": 2989}, "commune"),
            ({"created_at": "2026-02-30"}, "created_at"),
            ({"created_at": "hôm qua"}, "created_at"),
            ({"replaces": "not-a-uuid"}, "replaces"),
            ({"replaces": 5}, "replaces"),
            ({"form_id": None}, "form_id"),
            ({"form_version": "99"}, "form_version"),
            ({"uuid": None}, "uuid"),
            ({"uuid": ""}, "uuid"),
        ],
    )
    def test_an_envelope_out_of_shape_is_refused_naming_only_that_field(self, app, client, session_form, change, field):
        record = record_for(session_form, **change)
        response = post(client, record)
        assert response.status_code == 422
        assert list(response.get_json()["errors"]) == [field]
        with app.app_context():
            assert get_db()["submissions"].count == 0

    def test_an_unknown_commune_is_refused_for_the_central_too(self, app, client, auth, session_form):
        auth.logout()
        auth.login("central")
        response = post(client, record_for(session_form, commune="0" * 20))
        assert response.status_code == 422 and list(response.get_json()["errors"]) == ["commune"]

    def test_a_body_that_is_not_an_object_names_the_body(self, client, session_form):
        response = client.post("/api/v1/submissions", data="[1]", content_type="application/json", headers=HEADERS)
        assert response.status_code == 422 and list(response.get_json()["errors"]) == ["body"]

    def test_an_edit_is_a_new_version_of_the_same_record(self, app, client, session_form):
        original = record_for(session_form)
        assert post(client, original).status_code == 201
        edit = record_for(session_form, replaces=original["uuid"])
        edit["data"]["presenter"] = "Lò Văn Minh"
        response = post(client, edit)
        assert response.status_code == 201
        item = response.get_json()["record"]
        assert (item["root_uuid"], item["replaces"]) == (original["uuid"], original["uuid"])
        with app.app_context():
            db = get_db()
            actions = [a["action"] for a in db["audit_log"].rows_where("entity = 'submissions'", order_by="id")]
            assert actions == ["submission.create", "submission.edit"]
            current = records.current_version(db, officer(BAO_HA), original["uuid"])
            assert current["uuid"] == edit["uuid"]
            history = records.history(db, officer(BAO_HA), original["uuid"])
            assert [v["uuid"] for v in history] == [original["uuid"], edit["uuid"]]
            assert history[1]["data"]["presenter"] == "Lò Văn Minh"
            with pytest.raises(NotFound):
                records.current_version(db, officer(PHO_LU), original["uuid"])
            assert records.history(db, officer(PHO_LU), original["uuid"]) == []

    def test_an_edit_must_name_a_live_version_of_the_same_form_and_commune(self, app, client, session_form):
        original = record_for(session_form)
        assert post(client, original).status_code == 201
        unknown = record_for(session_form, replaces="00000000-0000-4000-8000-000000000000")
        assert post(client, unknown).get_json()["errors"] == {"replaces": records.MESSAGES["replaces"]}
        broadcast = client.get("/api/v1/forms/broadcast").get_json()
        other_form = record_for(broadcast, replaces=original["uuid"])
        assert post(client, other_form).get_json()["errors"] == {"replaces": records.MESSAGES["replaces_form"]}
        with app.app_context():
            tombstone = records.delete(get_db(), officer(BAO_HA), "s", registry(), original["uuid"]).row
        deleted = record_for(session_form, replaces=tombstone["uuid"])
        assert post(client, deleted).get_json()["errors"] == {"replaces": records.MESSAGES["deleted"]}
        stale = record_for(session_form, replaces=original["uuid"])  # an edit of a version replaced since
        stale["data"]["presenter"] = "Lò Văn Minh"
        assert post(client, stale).status_code == 409
        with app.app_context():
            (kept,) = get_db()["conflicts"].rows
        assert (kept["submission_uuid"], kept["reason"]) == (stale["uuid"], "stale_edit")

    def test_a_deleted_record_leaves_a_tombstone_and_the_lists(self, app, client, session_form):
        kept, gone = record_for(session_form), record_for(session_form)
        assert post(client, kept).status_code == 201 and post(client, gone).status_code == 201
        with app.app_context():
            db = get_db()
            outcome = records.delete(db, officer(BAO_HA, role="commune_admin"), "s", registry(), gone["uuid"])
            assert outcome.status == "created" and outcome.row["deleted"] == 1
            assert outcome.row["replaces_uuid"] == gone["uuid"] and outcome.row["root_uuid"] == gone["uuid"]
            total, rows = records.search(db, officer(BAO_HA))
            assert total == 1 and [r["uuid"] for r in rows] == [kept["uuid"]]
            total, rows = records.search(db, officer(BAO_HA), include_deleted=True)
            assert total == 2
            tombstone = records.current_version(db, officer(BAO_HA), gone["uuid"])
            assert records.as_api_item(tombstone)["deleted"] is True
            assert [a["action"] for a in db["audit_log"].rows_where("entity_id = ?", [outcome.row["uuid"]])] == [
                "submission.delete"
            ]

    def test_search_filters_each_narrow_the_list(self, app, client, session_form):
        first = record_for(session_form)
        second = record_for(session_form)
        second["data"]["date"] = "2026-11-25"
        groups = [
            c["value"] for c in next(f for f in session_form["fields"] if f["name"] == "residential_group")["choices"]
        ]
        second["data"]["residential_group"] = groups[1]
        for record in (first, second):
            assert post(client, record).status_code == 201
        with app.app_context():
            db = get_db()
            scope = officer(BAO_HA)

            def found(**filters):
                total, rows = records.search(db, scope, **filters)
                assert total == len(rows) or "limit" in filters
                return [r["uuid"] for r in rows]

            assert found() == [second["uuid"], first["uuid"]]  # newest event first
            assert found(date_from="2026-11-21") == [second["uuid"]]
            assert found(date_to="2026-11-21") == [first["uuid"]]
            assert found(date_from="2026-11-20", date_to="2026-11-20") == [first["uuid"]]
            assert found(group_uuid=groups[1]) == [second["uuid"]]
            assert found(form_id="broadcast") == []
            assert found(form_id="session", limit=1) == [second["uuid"]]
            assert records.search(db, scope, limit=1)[0] == 2
            assert found(limit=1, offset=1) == [first["uuid"]]
            assert found(channel="radio") == []
            assert found(since="2999-01-01") == []
            assert found(communes=[PHO_LU]) == [] and len(found(communes=[BAO_HA, PHO_LU])) == 2
            assert records.search(db, officer(PHO_LU)) == (0, [])

    def test_a_conflict_is_kept_once_for_review_with_who_sent_it(self, app, client, session_form):
        record = record_for(session_form)
        assert post(client, record).status_code == 201
        other = {**record, "data": {**record["data"], "presenter": "Người khác"}}
        first = post(client, other)
        assert first.status_code == 409
        again = post(client, other)
        assert again.status_code == 409 and again.get_json()["conflict"] == first.get_json()["conflict"]
        with app.app_context():
            db = get_db()
            (kept,) = db["conflicts"].rows
            assert kept["uuid"] == first.get_json()["conflict"]
            assert (kept["submission_uuid"], kept["commune_code"], kept["reason"]) == (
                record["uuid"],
                BAO_HA,
                "same_uuid_other_content",
            )
            assert (kept["submitted_by"], kept["origin_site"], kept["form_id"]) == ("officer", "test-site", "session")
            assert json.loads(kept["data"])["presenter"] == "Người khác" and kept["received_at"]
            # The copy's own content hash, so a reviewer can tell it from the stored version and from other copies.
            digest = records.content_hash("session", session_form["version"], BAO_HA, json.loads(kept["data"]))
            assert kept["content_sha256"] == digest != row_digest(db, record["uuid"])
            (audit,) = db["audit_log"].rows_where("action = 'conflict.create'")
            assert (audit["entity_id"], audit["commune_code"]) == (kept["uuid"], BAO_HA)
            assert json.loads(audit["detail"]) == {"submission": record["uuid"], "reason": "same_uuid_other_content"}
            (row,) = db["submissions"].rows
            assert json.loads(row["data"])["presenter"] == record["data"]["presenter"]  # the original stays
