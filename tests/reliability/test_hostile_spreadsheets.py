"""Hostile spreadsheets are refused with a Vietnamese message, in bounded time, under a memory cap."""

import json
import subprocess
import sys
import textwrap

import pytest

from fieldkit.testing import BAO_HA, PASSWORD

from . import hostile_files
from .servers import memory_cap, run_fieldkit

# Python, Flask and openpyxl take about 150 MB of address space before reading anything.
MEMORY_CAP_MB = 512
SECONDS_PER_FILE = 10

EXPECTED = {
    "far_cell": "XFD1048576",
    "many_rows": "quá lớn",
    "rows_over_limit": "A10001",
    "broken_xml": "Không đọc được tệp Excel",
    "external_entity": "DTD",
    "billion_laughs": "DTD",
    "macros": "macro",
    "no_workbook": "không chứa bảng tính",
    "not_a_zip": "Không đọc được tệp Excel",
    "zip_bomb": "quá lớn",
    "unevaluated_formula": "công thức",
    "csv_over_limit": "10.000 dòng",
    "csv_huge_field": "Không đọc được tệp CSV",
}

_PARSE_ALL = textwrap.dedent(
    """
    import json, sys, time
    from fieldkit.rosters.roster_file import parse_roster
    answers = {}
    for path in sys.argv[1:]:
        started = time.monotonic()
        with open(path, "rb") as f:
            parsed = parse_roster(f.read(), path)
        answers[path] = {"problems": [str(p) for p in parsed.problems], "records": len(parsed.records),
                         "seconds": time.monotonic() - started}
    print(json.dumps(answers))
    """
)


@pytest.fixture(scope="module")
def hostile_paths(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, make in hostile_files.HOSTILE_XLSX.items():
        paths[name] = folder / f"{name}.xlsx"
        paths[name].write_bytes(make())
    paths["csv_over_limit"] = folder / "csv_over_limit.csv"
    paths["csv_over_limit"].write_bytes(hostile_files.csv_rows(200_000))
    paths["csv_huge_field"] = folder / "csv_huge_field.csv"
    paths["csv_huge_field"].write_bytes(hostile_files.csv_huge_field())
    return paths


def test_every_hostile_file_is_refused_with_its_reason_under_a_memory_cap(hostile_paths):
    assert set(EXPECTED) == set(hostile_paths)
    names = sorted(hostile_paths)
    result = subprocess.run(
        [sys.executable, "-c", _PARSE_ALL, *(str(hostile_paths[name]) for name in names)],
        capture_output=True,
        text=True,
        timeout=SECONDS_PER_FILE * len(names),
        preexec_fn=memory_cap(MEMORY_CAP_MB),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout)
    for name in names:
        answer = answers[str(hostile_paths[name])]
        assert answer["records"] == 0, name
        assert len(answer["problems"]) == 1, (name, answer)
        assert EXPECTED[name] in answer["problems"][0], (name, answer)
        assert answer["seconds"] < SECONDS_PER_FILE, (name, answer)


@pytest.mark.parametrize("name", ["far_cell", "many_rows"])
def test_the_cli_refuses_the_reported_files_under_a_memory_cap(site_instance, hostile_paths, name):
    result = run_fieldkit(
        site_instance,
        "roster",
        "import",
        str(hostile_paths[name]),
        "--commune",
        BAO_HA,
        preexec_fn=memory_cap(MEMORY_CAP_MB),
        timeout=60,
    )
    assert result.returncode == 1
    assert EXPECTED[name] in result.stderr
    assert "Traceback" not in result.stderr


def test_the_import_page_answers_each_hostile_file_with_its_reason(client, auth, hostile_paths):
    auth.login("admin", PASSWORD)
    for name, path in sorted(hostile_paths.items()):
        response = client.post(
            f"/rosters/import?commune={BAO_HA}",
            data={"file": (path.open("rb"), path.name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200, name
        assert EXPECTED[name] in response.get_data(as_text=True), name
