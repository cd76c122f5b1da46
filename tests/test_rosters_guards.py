"""A roster import is one transaction (issue 18: a bug planted outside it went unnoticed)."""

import pytest

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA


def test_a_failed_roster_import_writes_nothing(app):
    """Row 2 failing while it is written leaves row 1 unwritten: the import is one transaction."""
    from fieldkit.auth.scope import SYSTEM
    from fieldkit.rosters.roster_import import import_roster

    csv = "Tên thôn,Số hộ\nThôn Đầu,40\nThôn Hỏng,50\n".encode()
    with app.app_context():
        db = get_db()
        db.execute(
            "CREATE TRIGGER refuse_second BEFORE INSERT ON residential_groups"
            " WHEN NEW.name = 'Thôn Hỏng' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        with pytest.raises(Exception, match="disk full"):
            import_roster(db, SYSTEM, app.config["SITE_ID"], BAO_HA, csv, "thon.csv")
        assert db["residential_groups"].count == 0
        assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'roster.import'").fetchone()[0] == 0
