"""The survey year: sampled groups, the team's visit, readiness computed from the records logged."""

import json
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, PHO_LU, build_record, post_record, record_for

from .pdftools import pdf_fonts, pdf_text, qr_codes_per_page

VISIT = date(2026, 9, 15)
YEAR = str(VISIT.year)


def day(offset):
    """The ISO date `offset` days from the visit (negative: before it)."""
    return (VISIT + timedelta(days=offset)).isoformat()


@pytest.fixture
def sampled(app, runner, create_group):
    """Bảo Hà with two sampled groups (one with its head's phone) and one not sampled; the year made by CLI."""
    groups = {
        "vinh": create_group("Thôn Bảo Vinh", head_phone="0912 345 678", cultural_house_name="Nhà văn hóa Bảo Vinh"),
        "khe_ba": create_group("Thôn Khe Bá"),
        "other": create_group("Thôn Tân Thành"),
    }
    result = runner.invoke(
        args=[
            "survey",
            "year",
            YEAR,
            "--from",
            "01/08/2026",
            "--to",
            "30/11/2026",
            "--group",
            "02989:Thôn Bảo Vinh",
            "--group",
            "02989:thon khe ba",
        ]
    )
    assert result.exit_code == 0, result.output
    return groups


def schedule(runner, group="Thôn Bảo Vinh", *extra):
    result = runner.invoke(
        args=["survey", "visit", "--commune", BAO_HA, "--group", group, "--date", VISIT.strftime("%d/%m/%Y"), *extra]
    )
    assert result.exit_code == 0, result.output
    return result


def status(runner, commune=BAO_HA):
    result = runner.invoke(args=["survey", "status", "--commune", commune, "--json"])
    assert result.exit_code == 0, result.output
    return {entry["group"]: entry for entry in json.loads(result.output)}


def items(entry):
    return {item["key"]: item for item in entry["items"]}


def log(client, form_id, group_uuid, when, **changes):
    """Post a record through the API as the officer's phone does; return its uuid."""
    definition = client.get(f"/api/v1/forms/{form_id}").get_json()
    data = build_record(definition)
    data.update(date=when, **changes)
    if group_uuid is None:
        data.pop("residential_group", None)
    else:
        data["residential_group"] = group_uuid
    body = record_for(definition, data=data)
    response = post_record(client, body)
    assert response.status_code == 201, response.get_json()
    return body["uuid"]


def test_sampled_groups_are_marked_on_the_roster(app, sampled):
    with app.app_context():
        rows = {row["name"]: json.loads(row["papi_years"] or "[]") for row in get_db()["residential_groups"].rows}
    assert rows["Thôn Bảo Vinh"] == [2026]
    assert rows["Thôn Khe Bá"] == [2026]
    assert rows["Thôn Tân Thành"] == []


def test_a_group_sampled_under_its_old_commune_is_found_under_the_new_one(app, runner, create_group):
    # Xã Xuân Thượng (02971) became part of Xã Bảo Hà (02989) on 1/7/2025.
    group = create_group("Thôn Lâm Sơn")
    result = runner.invoke(
        args=["survey", "year", YEAR, "--from", "2026-08-01", "--to", "2026-11-30", "--group", "02971:Thôn Lâm Sơn"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        sample = next(get_db()["survey_samples"].rows)
        marked = get_db()["residential_groups"].get(group["id"])
    assert (sample["commune_code"], sample["commune_code_2025"], sample["district_code"]) == ("02971", BAO_HA, "087")
    assert json.loads(marked["papi_years"]) == [2026]
    assert status(runner)["Thôn Lâm Sơn"]["group_uuid"] == group["uuid"]


def test_with_no_records_a_group_is_not_ready(runner, sampled):
    schedule(runner)
    entries = status(runner)
    assert set(entries) == {"Thôn Bảo Vinh", "Thôn Khe Bá"}
    vinh = entries["Thôn Bảo Vinh"]
    assert vinh["visit"]["date"] == VISIT.isoformat() and vinh["visit"]["status"] == "planned"
    assert vinh["visit"]["place"] == "Nhà văn hóa Bảo Vinh"
    assert vinh["ready"] is False
    found = items(vinh)
    assert list(found) == ["session", "broadcast", "poster", "head_phone", "visit_confirmed"]
    for key in ("session", "broadcast", "poster", "visit_confirmed"):
        assert found[key]["ready"] is False and found[key]["records"] == [], key
        assert found[key]["missing"], key
    # The one item the roster already answers.
    assert found["head_phone"]["ready"] is True
    assert items(entries["Thôn Khe Bá"])["head_phone"]["ready"] is False
    assert entries["Thôn Khe Bá"]["visit"] is None


def test_a_session_and_three_consecutive_days_of_broadcasts_turn_ready(client, auth, runner, sampled):
    schedule(runner)
    vinh = sampled["vinh"]["uuid"]
    auth.login()
    session = log(client, "session", vinh, day(-5))
    broadcasts = [log(client, "broadcast", vinh, day(offset)) for offset in (-4, -3)]
    # A broadcast for the whole commune (no group) counts for every group of it.
    broadcasts.append(log(client, "broadcast", None, day(-2)))
    entry = status(runner)["Thôn Bảo Vinh"]
    found = items(entry)
    assert found["session"]["ready"] is True
    assert [r["uuid"] for r in found["session"]["records"]] == [session]
    assert found["broadcast"]["ready"] is True
    assert [r["uuid"] for r in found["broadcast"]["records"]] == broadcasts
    assert found["session"]["missing"] == "" and found["broadcast"]["missing"] == ""
    # The links lead to the records themselves.
    for record in found["session"]["records"] + found["broadcast"]["records"]:
        assert record["url"] == f"/records/{record['uuid']}"
        assert client.get(record["url"]).status_code == 200
    # The other sampled group has its session still missing; it shares only the commune-wide broadcast.
    other = items(status(runner)["Thôn Khe Bá"])
    assert other["session"]["ready"] is False and other["broadcast"]["ready"] is False


@pytest.mark.parametrize(
    "offsets",
    [
        pytest.param((-5, -4, -2), id="a gap between the days"),
        pytest.param((-3, -3, -2), id="two records on one day"),
        pytest.param((-1, 0, 1), id="the last one after the visit"),
        pytest.param((-33, -32, -31), id="too long before the visit"),
    ],
)
def test_broadcasts_that_are_not_three_consecutive_days_before_the_visit_do_not_count(
    client, auth, runner, sampled, offsets
):
    schedule(runner)
    auth.login()
    for offset in offsets:
        log(client, "broadcast", sampled["vinh"]["uuid"], day(offset))
    found = items(status(runner)["Thôn Bảo Vinh"])["broadcast"]
    assert found["ready"] is False
    assert "3 ngày liên tục" in found["missing"]


def test_a_session_too_long_before_the_visit_or_of_another_group_does_not_count(client, auth, runner, sampled):
    schedule(runner)
    auth.login()
    log(client, "session", sampled["vinh"]["uuid"], day(-31))
    log(client, "session", sampled["other"]["uuid"], day(-3))
    assert items(status(runner)["Thôn Bảo Vinh"])["session"]["ready"] is False


def test_a_deleted_session_no_longer_counts(client, auth, runner, sampled):
    schedule(runner)
    auth.login()
    record = log(client, "session", sampled["vinh"]["uuid"], day(-3))
    assert items(status(runner)["Thôn Bảo Vinh"])["session"]["ready"] is True
    client.post(f"/records/{record}/delete")
    assert items(status(runner)["Thôn Bảo Vinh"])["session"]["ready"] is False


def test_a_poster_posted_then_checked_makes_the_poster_item_ready(app, runner, sampled):
    from fieldkit.posters import register

    schedule(runner)
    with app.app_context():
        db = get_db()
        sheet = register.print_sheets(db, SYSTEM, "test", BAO_HA, [sampled["vinh"]], "A4", "https://papi.example.vn")[0]
        poster = register.get_poster(db, SYSTEM, sheet.code)
        register.record_event(db, SYSTEM, "test", poster, "posted", place="Nhà văn hóa")
    # Posted but never checked: not yet.
    assert items(status(runner)["Thôn Bảo Vinh"])["poster"]["ready"] is False
    with app.app_context():
        db = get_db()
        poster = register.get_poster(db, SYSTEM, sheet.code)
        register.record_event(db, SYSTEM, "test", poster, "checked", condition="ok")
        # The check is dated as the officer's phone would date it: some days before the visit.
        db.execute("UPDATE poster_events SET at = ? WHERE event = 'checked'", [day(-2) + "T02:00:00+00:00"])
        db.execute("UPDATE poster_events SET at = ? WHERE event = 'posted'", [day(-6) + "T02:00:00+00:00"])
        db.conn.commit()
    found = items(status(runner)["Thôn Bảo Vinh"])["poster"]
    assert found["ready"] is True
    assert [r["code"] for r in found["records"]] == [sheet.code]
    assert found["records"][0]["url"] == f"/posters/sheet/{sheet.code}"


def test_confirming_the_visit_makes_that_item_ready(runner, sampled):
    schedule(runner)
    assert items(status(runner)["Thôn Bảo Vinh"])["visit_confirmed"]["ready"] is False
    schedule(runner, "Thôn Bảo Vinh", "--status", "confirmed")
    found = items(status(runner)["Thôn Bảo Vinh"])["visit_confirmed"]
    assert found["ready"] is True and found["records"][0]["kind"] == "visit"


def test_the_readiness_settings_are_data(app, runner, sampled, client, auth, tmp_path):
    # The same session, judged by a year whose settings ask for one in the 3 days before the visit.
    settings = tmp_path / "readiness.toml"
    settings.write_text(
        '[[items]]\nkey = "session"\ncheck = "record_within_days"\nform = "session"\ndays = 3\n'
        'label = { vi = "Buổi tuyên truyền trong {days} ngày" }\n',
        encoding="utf-8",
    )
    schedule(runner)
    auth.login()
    log(client, "session", sampled["vinh"]["uuid"], day(-5))
    assert items(status(runner)["Thôn Bảo Vinh"])["session"]["ready"] is True
    result = runner.invoke(
        args=["survey", "year", YEAR, "--from", "01/08/2026", "--to", "30/11/2026", "--readiness", str(settings)]
    )
    assert result.exit_code == 0, result.output
    entry = status(runner)["Thôn Bảo Vinh"]
    assert [item["key"] for item in entry["items"]] == ["session"]
    assert entry["items"][0]["ready"] is False
    assert entry["items"][0]["label"] == "Buổi tuyên truyền trong 3 ngày"


def test_the_calendar_parses_and_holds_the_visit(runner, sampled, tmp_path):
    schedule(runner, "Thôn Bảo Vinh", "--to", "16/09/2026", "--team-contact", "Đoàn khảo sát, 0912 000 111")
    out = tmp_path / "visits.ics"
    result = runner.invoke(args=["survey", "ics", "--commune", BAO_HA, "-o", str(out)])
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == VISIT
    # DTEND of an all-day event is the day after the last day.
    assert event.decoded("dtend") == date(2026, 9, 17)
    assert "Thôn Bảo Vinh" in str(event["summary"])
    assert "Nhà văn hóa Bảo Vinh" in str(event["location"])
    assert "0912 000 111" in str(event["description"])
    assert str(event["status"]) == "TENTATIVE"


def test_the_notice_has_the_dates_and_a_qr_that_decodes(app, runner, sampled, tmp_path):
    schedule(runner)
    out = tmp_path / "notice.pdf"
    result = runner.invoke(args=["survey", "notice", "--commune", BAO_HA, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(pdf_text(out).split())
    assert "15/09/2026" in text
    assert "Thôn Bảo Vinh" in text and "Nhà văn hóa Bảo Vinh" in text
    assert "tự nguyện" in text and "bí mật" in text and "ngẫu nhiên" in text
    assert all(embedded for _, embedded in pdf_fonts(out))
    assert not any("Helvetica" in name for name, _ in pdf_fonts(out))
    assert qr_codes_per_page(out, tmp_path) == [[app.config["PUBLIC_BASE_URL"] + "/explain/survey-visit"]]


@pytest.mark.parametrize(
    "args, message",
    [
        (["visit", "--commune", BAO_HA, "--group", "Thôn Tân Thành", "--date", "15/09/2026"], "không được chọn"),
        (["visit", "--commune", BAO_HA, "--group", "Thôn Bảo Vinh", "--date", "31/02/2026"], "không phải là ngày"),
        (["year", YEAR, "--from", "01/08/2026", "--to", "30/11/2026", "--group", "Thôn Bảo Vinh"], "MÃ_XÃ:TÊN_THÔN"),
        (["year", YEAR, "--from", "30/11/2026", "--to", "01/08/2026"], "phải sau ngày bắt đầu"),
        (["year", YEAR, "--from", "01/08/2026", "--to", "30/11/2026", "--group", "99999:Thôn X"], "Không có xã"),
    ],
)
def test_bad_input_gets_a_clear_vietnamese_error_and_changes_nothing(app, runner, sampled, args, message):
    with app.app_context():
        before = [list(get_db()[t].rows) for t in ("survey_years", "survey_samples", "survey_visits")]
    result = runner.invoke(args=["survey", *args])
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert [list(get_db()[t].rows) for t in ("survey_years", "survey_samples", "survey_visits")] == before


def test_status_of_a_commune_with_no_year_says_so(runner):
    result = runner.invoke(args=["survey", "status", "--commune", BAO_HA, "--json"])
    assert result.exit_code != 0
    assert "Chưa có năm khảo sát" in result.output


def test_the_same_year_and_sample_made_twice_is_one_row_with_the_same_uuid(app, runner, sampled):
    result = runner.invoke(
        args=["survey", "year", YEAR, "--from", "01/08/2026", "--to", "30/11/2026", "--group", "02989:Thôn Bảo Vinh"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        db = get_db()
        assert db["survey_years"].count == 1 and db["survey_samples"].count == 2
        from fieldkit.survey.years import sample_uuid, year_uuid

        assert next(db["survey_years"].rows)["uuid"] == year_uuid(2026)
        assert sample_uuid(2026, BAO_HA, "thon bao vinh") in {r["uuid"] for r in db["survey_samples"].rows}


def test_survey_tables_travel_in_sync(app):
    from fieldkit.sync.registry import rules

    assert {r.table for r in rules(app, "down")} >= {"survey_years", "survey_samples", "survey_visits"}
    assert "survey_visits" in {r.table for r in rules(app, "up")}
    with app.app_context():
        db = get_db()
        for table in ("survey_years", "survey_samples", "survey_visits"):
            assert {"uuid", "origin_site", "seq"} <= set(db[table].columns_dict), table
            assert db.execute(f"SELECT count(*) FROM sqlite_master WHERE name = '{table}_seq_insert'").fetchone()[0]


# --- pages ------------------------------------------------------------------------------


def test_the_commune_page_shows_readiness_days_to_go_and_what_fieldkit_never_does(client, auth, runner, sampled):
    schedule(runner)
    auth.login()
    record = log(client, "session", sampled["vinh"]["uuid"], day(-5))
    html = client.get("/survey/").get_data(as_text=True)
    assert "Thôn Bảo Vinh" in html and "Thôn Khe Bá" in html
    assert "15/09/2026" in html
    assert "Sẵn sàng 2/5" in html
    assert f'href="/records/{record}"' in html
    assert "không bao giờ ghi lại ai đã được phỏng vấn" in html


def test_officers_read_visits_and_admins_edit_them(client, auth, runner, sampled, app):
    with app.app_context():
        sample = next(get_db()["survey_samples"].rows_where("group_key = 'thon khe ba'"))
    url = f"/survey/visits/{sample['uuid']}"
    form = {"start_date": "2026-10-02", "end_date": "", "status": "confirmed", "place": "", "guide": "Lan, 0988"}
    auth.login("officer")
    assert client.get(url).status_code == 200
    assert client.post(url, data=form).status_code == 403
    auth.logout()
    auth.login("admin")
    response = client.post(url, data=form)
    assert response.status_code == 302
    entry = status(runner)["Thôn Khe Bá"]
    assert entry["visit"]["date"] == "2026-10-02" and entry["visit"]["status"] == "confirmed"
    assert entry["visit"]["guide"] == "Lan, 0988"
    bad = client.post(url, data={**form, "start_date": "2026-10-05", "end_date": "2026-10-01"})
    assert bad.status_code == 422
    assert "Ngày kết thúc phải cùng ngày hoặc sau" in bad.get_data(as_text=True)
    assert status(runner)["Thôn Khe Bá"]["visit"]["date"] == "2026-10-02"


def test_another_communes_officer_cannot_see_the_visit(client, auth, runner, sampled, app):
    with app.app_context():
        sample = next(get_db()["survey_samples"].rows)
    auth.login("pholu")
    assert client.get(f"/survey/visits/{sample['uuid']}").status_code == 404
    assert client.get(f"/survey/?commune={BAO_HA}").status_code == 403
    html = client.get("/survey/").get_data(as_text=True)
    assert "Thôn Bảo Vinh" not in html
    assert client.get(f"/survey/?commune={PHO_LU}").status_code == 200


def test_the_province_page_sorts_by_nearest_visit_then_least_ready(client, auth, runner, sampled, app, create_group):
    create_group("Tổ dân phố 1", commune=PHO_LU)
    runner.invoke(
        args=["survey", "year", YEAR, "--from", "01/08/2026", "--to", "30/11/2026", "--group", "02905:Tổ dân phố 1"]
    )
    today = date.today()
    with app.app_context():
        from fieldkit.survey.visits import save_visit
        from fieldkit.survey.years import find_sample

        db = get_db()
        for commune, name, offset in ((BAO_HA, "Thôn Bảo Vinh", 9), (PHO_LU, "Tổ dân phố 1", 3)):
            sample = find_sample(db, SYSTEM, 2026, commune, name)
            save_visit(db, SYSTEM, "test", sample, (today + timedelta(days=offset)).isoformat())
    auth.login("central")
    html = client.get("/survey/province").get_data(as_text=True)
    order = [html.index(name) for name in ("Tổ dân phố 1", "Thôn Bảo Vinh", "Thôn Khe Bá")]
    assert order == sorted(order)
    assert "không bao giờ ghi lại ai đã được phỏng vấn" in html
    auth.logout()
    auth.login("admin")
    assert client.get("/survey/province").status_code == 403


def test_central_admins_make_the_year_on_a_page(client, auth, app):
    auth.login("central")
    response = client.post(
        "/survey/years",
        data={"year": "2027", "date_from": "2027-08-01", "date_to": "2027-11-30", "groups": "02989:Thôn Bảo Vinh\n"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert [r["group_name"] for r in get_db()["survey_samples"].rows] == ["Thôn Bảo Vinh"]
    auth.logout()
    auth.login("admin")
    assert client.get("/survey/years").status_code == 403


def test_the_calendar_and_notice_download_from_the_page(client, auth, runner, sampled):
    schedule(runner)
    auth.login()
    ics = client.get(f"/survey/visits.ics?commune={BAO_HA}")
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    assert len(list(Calendar.from_ical(ics.data).walk("VEVENT"))) == 1
    pdf = client.get(f"/survey/notice.pdf?commune={BAO_HA}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_report_rows_list_every_sampled_group_nearest_visit_first(app, runner, sampled):
    from fieldkit.survey.report import COLUMNS, sampled_group_rows

    schedule(runner)
    # As a command (the report export) calls it: no request.
    with app.app_context():
        rows = sampled_group_rows(get_db(), SYSTEM)
    # The visit on 15/09/2026 is past: a group with no date yet comes before it.
    assert [row["group"] for row in rows] == ["Thôn Khe Bá", "Thôn Bảo Vinh"]
    assert all(list(row) == [key for key, _ in COLUMNS] for row in rows)
    first = rows[1]
    assert (first["visit_date"], first["visit_status"], first["ready_count"], first["item_count"]) == (
        VISIT.isoformat(),
        "planned",
        1,
        5,
    )
    assert "Buổi tuyên truyền" in first["missing"]


def test_the_demo_has_a_survey_year_with_visits_in_the_coming_weeks(tmp_path):
    from click.testing import CliRunner

    from fieldkit.cli import main

    instance = tmp_path / "demo"
    assert CliRunner().invoke(main, ["--instance", str(instance), "init", "--demo"]).exit_code == 0
    result = CliRunner().invoke(main, ["--instance", str(instance), "survey", "status", "--commune", BAO_HA, "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert len(entries) == 2
    assert all(entry["visit"] and entry["days_to_visit"] > 0 for entry in entries)


def test_the_status_as_json_on_the_page_matches_the_command(client, auth, runner, sampled):
    schedule(runner)
    auth.login()
    response = client.get(f"/survey/status.json?commune={BAO_HA}")
    assert response.status_code == 200
    by_page = {entry["group"]: entry for entry in response.get_json()}
    assert by_page == status(runner)
    auth.logout()
    auth.login("pholu")
    assert client.get(f"/survey/status.json?commune={BAO_HA}").status_code == 403


def test_a_poster_posted_and_checked_with_the_poster_form_counts_by_the_forms_dates(app, client, auth, runner, sampled):
    from fieldkit.posters import register

    schedule(runner)
    vinh = sampled["vinh"]
    with app.app_context():
        code = register.print_sheets(get_db(), SYSTEM, "test", BAO_HA, [vinh], "A4", "https://papi.example.vn")[0].code
    auth.login()
    log(client, "poster", vinh["uuid"], day(-10), poster_code=code, action="posted")
    log(client, "poster", vinh["uuid"], day(-40), poster_code=code, action="checked", status="good")
    # Checked, but too long before the visit.
    assert items(status(runner)["Thôn Bảo Vinh"])["poster"]["ready"] is False
    log(client, "poster", vinh["uuid"], day(-1), poster_code=code, action="checked", status="good")
    found = items(status(runner)["Thôn Bảo Vinh"])["poster"]
    assert found["ready"] is True
    assert found["records"] == [{"kind": "poster", "code": code, "date": day(-1), "url": f"/posters/sheet/{code}"}]


def test_a_notice_whose_qr_would_point_at_the_lan_is_refused_unless_asked_for(app, runner, sampled, tmp_path):
    schedule(runner)
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:8080"
    out = tmp_path / "notice.pdf"
    result = runner.invoke(args=["survey", "notice", "--commune", BAO_HA, "-o", str(out)])
    assert result.exit_code != 0 and "public_base_url" in result.output and not out.exists()
    result = runner.invoke(args=["survey", "notice", "--commune", BAO_HA, "--lan-only", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert qr_codes_per_page(out, tmp_path) == [["http://127.0.0.1:8080/explain/survey-visit"]]


def test_the_coverage_report_carries_the_sampled_groups(tmp_path):
    """Issue 15: the province's sampled groups and their readiness are in the report export too."""
    from openpyxl import load_workbook

    from fieldkit.testing import make_app

    app = make_app(tmp_path / "central", role="central")
    runner = app.test_cli_runner()
    with app.app_context():
        from fieldkit.db import get_db
        from fieldkit.demo import load_demo

        load_demo(get_db(), app, "central")
    out = tmp_path / "bao-cao.xlsx"
    result = runner.invoke(args=["report", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    workbook = load_workbook(out)
    assert "survey" in workbook.sheetnames
    sheet = workbook["survey"]
    headers = [c.value for c in sheet[1]]
    assert "Thôn, tổ dân phố" in headers and "Số mục đã sẵn sàng" in headers
    assert sheet.max_row > 1
