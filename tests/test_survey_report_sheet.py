"""The report's survey sheet against what was set up: every sampled group the reader holds, no
other, each with its visit and the readiness `survey status` gives it."""

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from fieldkit.testing import BAO_HA, PHO_LU

VISIT = date(2026, 9, 15)
YEAR = str(VISIT.year)

SAMPLED = {BAO_HA: ["Thôn Bảo Vinh", "Thôn Khe Bá"], PHO_LU: ["Tổ dân phố 3"]}
HEADINGS = ["Xã, phường", "Thôn, tổ dân phố", "Ngày đoàn đến", "Số mục đã sẵn sàng", "Tổng số mục", "Còn thiếu"]


@pytest.fixture
def survey(app, runner, create_group):
    """A survey year sampling two groups of Bảo Hà and one of Phố Lu (beside groups not sampled)."""
    for commune, names in SAMPLED.items():
        for name in [*names, f"Thôn không chọn {commune}"]:
            create_group(name, commune=commune)
    picks = [arg for commune, names in SAMPLED.items() for name in names for arg in ("--group", f"{commune}:{name}")]
    result = runner.invoke(args=["survey", "year", YEAR, "--from", "01/08/2026", "--to", "30/11/2026", *picks])
    assert result.exit_code == 0, result.output
    when = VISIT.strftime("%d/%m/%Y")
    visit = [
        "survey",
        "visit",
        "--commune",
        BAO_HA,
        "--group",
        "Thôn Bảo Vinh",
        "--date",
        when,
        "--status",
        "confirmed",
    ]
    assert runner.invoke(args=visit).exit_code == 0


def status_of(runner, commune):
    """`survey status --json` by group: (ready items, all items, labels of what is missing)."""
    result = runner.invoke(args=["survey", "status", "--commune", commune, "--json"])
    assert result.exit_code == 0, result.output
    return {entry["group"]: entry for entry in json.loads(result.output)}


def survey_rows(workbook):
    sheet = workbook["survey"]
    headers = [c.value for c in sheet[1]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def downloaded(client, auth, username):
    auth.login(username)
    response = client.get("/dashboard/report.xlsx")
    assert response.status_code == 200
    return survey_rows(load_workbook(io.BytesIO(response.data)))


@pytest.mark.parametrize(
    "username, communes", [("officer", [BAO_HA]), ("pholu", [PHO_LU]), ("central", [BAO_HA, PHO_LU])]
)
def test_the_survey_sheet_holds_each_sampled_group_the_reader_holds_and_no_other(
    client, auth, runner, survey, username, communes
):
    rows = downloaded(client, auth, username)
    assert sorted(row["Thôn, tổ dân phố"] for row in rows) == sorted(
        name for commune in communes for name in SAMPLED[commune]
    )
    assert all(set(HEADINGS) <= set(row) for row in rows)
    by_group = {row["Thôn, tổ dân phố"]: row for row in rows}
    for commune in communes:
        for name, entry in status_of(runner, commune).items():
            row = by_group[name]
            ready = [item for item in entry["items"] if item["ready"]]
            assert (row["Số mục đã sẵn sàng"], row["Tổng số mục"]) == (len(ready), len(entry["items"])), name
            assert row["Mã xã"] == commune
            missing = [item["label"] for item in entry["items"] if not item["ready"]]
            assert (row["Còn thiếu"] or "") == "; ".join(missing), name
    if BAO_HA in communes:
        vinh = by_group["Thôn Bảo Vinh"]
        assert vinh["Ngày đoàn đến"].date() == VISIT and vinh["Số mục đã sẵn sàng"] >= 1
        assert by_group["Thôn Khe Bá"]["Ngày đoàn đến"] is None


def test_the_command_report_holds_every_sampled_group(runner, survey, tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    result = runner.invoke(args=["report", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = survey_rows(load_workbook(out))
    assert sorted(row["Thôn, tổ dân phố"] for row in rows) == sorted(n for names in SAMPLED.values() for n in names)
