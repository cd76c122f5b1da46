"""Guards of data and access written against mutants `make mutate` found alive (issue 18):
the poster register.

Every assertion is on what a user or an attacker would see.
"""

import json
import unicodedata

import pytest

from fieldkit.db import get_db
from fieldkit.errors import Forbidden
from fieldkit.testing import BAO_HA, PHO_LU
from fieldkit.testing import scope_of as officer


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
        note = unicodedata.normalize("NFD", "Dán lại ở bảng tin")
        row = record_event(
            db, scope, "s-1", poster, event, place="Nhà văn hoá\u0301", condition=condition, note=note, photo=""
        )
        assert get_poster(db, scope, code)["status"] == status
        kept = events_of(db, scope, code)[-1]
        assert kept["uuid"] == row["uuid"]
        assert (kept["event"], kept["condition"], kept["note"], kept["photo"], kept["username"]) == (
            event,
            condition or None,
            "Dán lại ở bảng tin",  # stored composed (NFC)
            None,
            "mo",
        )
        assert kept["place"] == "Nhà văn hoá\u0301".replace("a\u0301", "á") and kept["commune_code"] == BAO_HA
        assert kept["origin_site"] == "s-1" and kept["at"]
        assert row == {key: kept[key] for key in row}  # the event given back is the one kept
        (audit,) = db["audit_log"].rows_where("action = ?", [f"poster.{event}"])
        assert (audit["username"], audit["user_id"], audit["commune_code"]) == ("mo", 7, BAO_HA)
        assert (audit["entity"], audit["entity_id"]) == ("posters", poster["uuid"])
        assert json.loads(audit["detail"]) == {"code": code, "condition": condition, "place": kept["place"]}
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
        with pytest.raises(ValueError, match=f"^{event if event == 'torn' else condition}$"):
            record_event(db, officer(BAO_HA), "s", poster, event, condition=condition)
        assert db["poster_events"].count == count
        assert get_poster(db, officer(BAO_HA), poster["code"])["status"] == "printed"

    def test_an_event_given_only_its_kind_keeps_nothing_else(self, printed):
        from fieldkit.posters.register import events_of, get_poster, record_event

        db, made = printed
        poster = get_poster(db, officer(BAO_HA), made["sheets"][0].code)
        record_event(db, officer(BAO_HA), "s", poster, "posted")
        (printed_event, posted) = events_of(db, officer(BAO_HA), poster["code"])
        assert (printed_event["event"], posted["event"]) == ("printed", "posted")
        assert (posted["place"], posted["condition"], posted["note"], posted["photo"]) == (None, None, None, None)
        assert posted["submission_uuid"] is None

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
        assert db.execute("SELECT group_uuid, commune_code, size FROM posters WHERE code = ?", [code]).fetchone() == (
            fresh["uuid"],
            BAO_HA,
            "A4",
        )
        assert code_for_group(db, SYSTEM, "s", fresh, "http://127.0.0.1:8080") == code

    def test_a_sheet_carries_its_house_its_contact_and_its_meeting_time(self, printed, create_group):
        from fieldkit.posters.contacts import save_contact, save_schedule
        from fieldkit.posters.register import print_sheets

        db, _ = printed
        scope = officer(BAO_HA)
        house = create_group("Thôn Có Nhà", cultural_house_name="Nhà văn hóa Có Nhà")
        bare = create_group("Thôn Trống")
        base = "https://papi.example.org/LAOCAI-X/"  # an address with a path, kept whole
        (early,) = print_sheets(db, scope, "s", BAO_HA, [bare], "A4", base)
        assert (early.officer_name, early.officer_phone, early.cultural_house, early.meeting_schedule) == ("",) * 4
        save_contact(db, scope, "s", BAO_HA, "Lò Thị Mai", "0912 345 678")
        save_schedule(db, scope, "s", house, "Tối thứ Bảy, 19 giờ")
        with_house, without = print_sheets(db, scope, "s", BAO_HA, [house, bare], "A4", base)
        assert (with_house.group_name, with_house.cultural_house) == ("Thôn Có Nhà", "Nhà văn hóa Có Nhà")
        assert with_house.meeting_schedule == "Tối thứ Bảy, 19 giờ"
        assert (without.group_name, without.cultural_house, without.meeting_schedule) == ("Thôn Trống", "", "")
        assert {(s.officer_name, s.officer_phone) for s in (with_house, without)} == {("Lò Thị Mai", "0912 345 678")}
        assert with_house.url == f"https://papi.example.org/LAOCAI-X/p/{with_house.code}"
        (audit,) = db["audit_log"].rows_where(
            "action = 'posters.print' AND username = 'mo'", order_by="id desc", limit=1
        )
        assert (audit["entity"], audit["user_id"], audit["commune_code"]) == ("posters", 7, BAO_HA)
        assert json.loads(audit["detail"]) == {"size": "A4", "codes": sorted([with_house.code, without.code])}

    def test_a_qr_to_a_lan_address_is_printed_only_when_asked_for(self, printed):
        from fieldkit.posters.register import print_sheets
        from fieldkit.sync.public_url import NotPublic

        db, made = printed
        group = made["groups"][0]
        count = db["posters"].count
        with pytest.raises(NotPublic):
            print_sheets(db, officer(BAO_HA), "s", BAO_HA, [group], "A4", "http://192.168.1.10:8080")
        assert db["posters"].count == count
        (sheet,) = print_sheets(
            db, officer(BAO_HA), "s", BAO_HA, [group], "A4", "http://192.168.1.10:8080", lan_only=True
        )
        assert sheet.url == f"http://192.168.1.10:8080/p/{sheet.code}"

    def test_a_code_already_in_the_register_is_never_given_again(self, printed, monkeypatch):
        from fieldkit.posters import codes
        from fieldkit.posters.register import print_sheets

        db, made = printed
        taken = made["sheets"][0].code
        drawn = iter([taken, "02989-AAAA-AAAA", taken, "02989-AAAA-AAAA", "02989-BBBB-BBBB", "02989-CCCC-CCCC"])
        monkeypatch.setattr(codes, "new_code", lambda commune: next(drawn))
        sheets = print_sheets(db, officer(BAO_HA), "s", BAO_HA, [made["groups"][1]], "A5", "https://papi.example.org")
        assert [s.code for s in sheets] == ["02989-AAAA-AAAA", "02989-BBBB-BBBB"]
        assert db.execute("SELECT count(*) FROM posters WHERE code = ?", [taken]).fetchone()[0] == 1

    def test_a_commune_missing_from_the_unit_list_is_printed_under_its_code(self, printed):
        """A group may come by sync for a commune this machine's unit list lacks: its sheet still prints."""
        from fieldkit.auth.scope import SYSTEM
        from fieldkit.posters.register import print_sheets

        db, _ = printed
        group = {"uuid": "00000000-0000-4000-8000-000000000009", "name": "Thôn Mới Nhập", "commune_code": "99999"}
        (sheet,) = print_sheets(db, SYSTEM, "s", "99999", [group], "A4", "https://papi.example.org")
        assert (sheet.commune_name, sheet.group_name) == ("99999", "Thôn Mới Nhập")
        assert sheet.code.startswith("99999-")
