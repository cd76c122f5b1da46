"""Public QR scans: one phone scanning one poster again and again counts once in half an hour."""

import pytest

from fieldkit.db import get_db
from fieldkit.posters.throttle import scan_counts
from fieldkit.testing import BAO_HA


@pytest.fixture
def codes(app, runner, create_group, tmp_path):
    for name in ("Thôn Bảo Vinh", "Bản Nậm Ỏn"):
        create_group(name)
    result = runner.invoke(args=["posters", "--commune", BAO_HA, "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        return sorted(row["code"] for row in get_db()["posters"].rows)


def _scan(client, code, address):
    response = client.get(f"/p/{code}", environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 302 and response.headers["Location"].endswith("/explain/")


def _counted(app):
    with app.app_context():
        return sorted(row[0] for row in get_db().execute("SELECT poster_code FROM poster_scans"))


def test_one_phone_scanning_a_poster_many_times_counts_once(app, client, codes):
    for _ in range(5):
        _scan(client, codes[0], "10.20.0.7")
    assert _counted(app) == [codes[0]]


def test_another_phone_or_another_poster_counts_again(app, client, codes):
    _scan(client, codes[0], "10.20.0.7")
    _scan(client, codes[0], "10.20.0.8")
    _scan(client, codes[1], "10.20.0.7")
    _scan(client, codes[1], "10.20.0.7")
    assert _counted(app) == sorted([codes[0], codes[0], codes[1]])


def test_the_same_phone_counts_again_after_half_an_hour(app, codes):
    start = 1000.0
    assert scan_counts(app, "10.20.0.7", codes[0], now=start)
    assert not scan_counts(app, "10.20.0.7", codes[0], now=start + 29 * 60)
    assert scan_counts(app, "10.20.0.7", codes[0], now=start + 30 * 60 + 1)
