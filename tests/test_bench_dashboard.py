"""The dashboard benchmark's fast build leaves the database as the product would have it.

`bench.bench_dashboard.build` loads its simulation as a bulk load (the submissions' indexes and
triggers dropped, no journal, the rollup rebuilt once). Here the same rows go one by one through the
product's own triggers into a fresh instance: both must end with the same schema, rows, `seq` and rollup.
"""

from bench.bench_dashboard import build, load_units, national_communes
from fieldkit.db import connect, get_db
from fieldkit.reports.rollup import TABLES
from fieldkit.testing import make_app

GROUP_COLUMNS = "uuid, origin_site, commune_code, name, name_key, kind, active, papi_years"
SUBMISSION_COLUMNS = (
    "uuid, origin_site, form_id, form_version, commune_code, data, received_at, root_uuid, event_date,"
    " group_uuid, channel, deleted"
)


def rows(db, sql):
    return [tuple(row) for row in db.execute(sql).fetchall()]


def test_bulk_build_ends_as_inserting_each_row_would(tmp_path):
    bulk = make_app(tmp_path / "bulk", role="central")
    steps = build(bulk, count=1500)
    assert set(steps) == {"units and groups", "rows", "indexes", "rollup", "analyze"}

    one_by_one = make_app(tmp_path / "one-by-one", role="central")
    with one_by_one.app_context():
        db = get_db()
        load_units(db, national_communes())
        db.execute("ATTACH DATABASE ? AS bulk", [bulk.config["DATABASE"]])
        with db.atomic():
            db.execute(
                f"INSERT INTO residential_groups ({GROUP_COLUMNS})"
                f" SELECT {GROUP_COLUMNS} FROM bulk.residential_groups ORDER BY id"
            )
            db.execute(
                f"INSERT INTO submissions ({SUBMISSION_COLUMNS})"
                f" SELECT {SUBMISSION_COLUMNS} FROM bulk.submissions ORDER BY id"
            )
        for schema in ("main", "bulk"):
            assert rows(db, f"SELECT COUNT(*) FROM {schema}.submissions") == [(1500,)]
        same = [
            "SELECT * FROM {}.submissions ORDER BY id",
            "SELECT * FROM {}.residential_groups ORDER BY id",
            "SELECT * FROM {}.change_counter",
            *(f"SELECT * FROM {{}}.{table} ORDER BY 1, 2, 3, 4" for table in TABLES),
            "SELECT type, name, sql FROM {}.sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        ]
        for sql in same:
            assert rows(db, sql.format("bulk")) == rows(db, sql.format("main")), sql
        db.execute("DETACH DATABASE bulk")

    reopened = connect(bulk.config["DATABASE"])
    assert reopened.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened.close()
