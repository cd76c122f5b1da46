"""One site id: every row an installation makes is stamped with config.toml's `site_id`, by every area.

The id reaches code only through `fieldkit.instance.site_id(app)`, which has no fallback: a row stamped
"local" here and "demo" there could not be told apart at Sở Nội vụ.
"""

import re
from pathlib import Path

import pytest

import fieldkit
from fieldkit.db import get_db
from fieldkit.demo import load_demo
from fieldkit.explainer.content import SEED_SITE
from fieldkit.instance import NotInitialised, site_id
from fieldkit.testing import make_app

PACKAGE = Path(fieldkit.__file__).parent


def stamped_tables(db):
    return [name for name in db.table_names() if "origin_site" in db[name].columns_dict]


def test_every_area_stamps_the_same_site_id(tmp_path):
    app = make_app(tmp_path, SITE_ID="mot-may-xa")
    with app.app_context():
        db = get_db()
        assert load_demo(db, app, "site")
        seen = {}
        for table in stamped_tables(db):
            for (origin,) in db.execute(f"SELECT DISTINCT origin_site FROM [{table}]"):
                seen.setdefault(origin, set()).add(table)
    # The site's demo fills rosters, submissions, posters and survey rows on this one machine.
    assert {"residential_groups", "submissions", "posters", "poster_scans", "survey_samples"} <= seen["mot-may-xa"]
    # Shipped explainer pages are one row on every installation, so they carry no installation's id.
    assert seen.pop(SEED_SITE, set()) <= {"explainer_pages"}
    assert set(seen) == {"mot-may-xa"}, f"rows stamped with another site id: {seen}"


def test_the_site_id_is_read_in_one_place():
    readers = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if re.search(r"""["']SITE_ID["']""", path.read_text(encoding="utf-8"))
    ]
    # config.py gives its default, testing.py sets it for the test app, instance.py reads it.
    assert sorted(readers) == ["config.py", "instance.py", "testing.py"], "read it with fieldkit.instance.site_id(app)"


def test_an_installation_without_a_site_id_is_refused_not_stamped_local(app):
    app.config["SITE_ID"] = None
    with pytest.raises(NotInitialised, match="fieldkit init"):
        site_id(app)
