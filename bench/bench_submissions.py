"""Records received per second through POST /api/v1/submissions, beside a bare SQLite insert.

The API validates against the definition, hashes the canonical content, inserts the row with its
audit entry in one transaction and answers JSON; the baseline inserts the same row alone, one
transaction per row, in the same database. A re-send of a known uuid ("already have it") is
measured beside the first send.
"""

import json
import tempfile
import uuid
from pathlib import Path

from fieldkit import create_app
from fieldkit.auth.scope import SYSTEM
from fieldkit.auth.users import create_user
from fieldkit.db import get_db, migrate
from fieldkit.rosters.groups import create_group
from fieldkit.units.units import sync_units

from .harness import paired_rates, result

COMMUNE = "02989"
HEADERS = {"X-Requested-With": "fieldkit"}


def _app(folder):
    instance = Path(folder) / "instance"
    instance.mkdir()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SITE_ID": "bench",
            "DATABASE": str(instance / "db.sqlite3"),
            "WTF_CSRF_ENABLED": False,
            "FAST_PASSWORD_HASH": True,
            "LOGIN_LIMITS_ENABLED": False,
        },
        instance_path=instance,
    )
    with app.app_context():
        db = get_db()
        migrate(db)
        sync_units(db)
        create_user(db, app.extensions["fieldkit.hasher"], "bench", "toc-do-ghi-nhan-2026", "officer", [COMMUNE])
        group = create_group(db, SYSTEM, "bench", COMMUNE, "Thôn Bench")
    return app, group


def _record(group):
    return {
        "uuid": str(uuid.uuid4()),
        "form_id": "session",
        "form_version": 1,
        "commune": COMMUNE,
        "data": {
            "date": "2026-11-20",
            "start_time": "08:30",
            "residential_group": group["uuid"],
            "channel": "village_meeting",
            "topics": ["participation", "survey_participation"],
            "presenter": "Nguyễn Thị Hoa",
            "attendees_total": 40,
            "attendees_women": 21,
            "languages": ["vi", "tay"],
            "notes": "Người dân hỏi về khảo sát.",
            "location": {"lat": 22.25, "lon": 104.45},
        },
    }


def run():
    with tempfile.TemporaryDirectory() as folder:
        app, group = _app(folder)
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": "toc-do-ghi-nhan-2026"})
        sent = []

        def post_new(count):
            for _ in range(count):
                record = _record(group)
                assert client.post("/api/v1/submissions", json=record, headers=HEADERS).status_code == 201
                sent.append(record)

        def post_again(count):
            for record in sent[:count]:
                assert client.post("/api/v1/submissions", json=record, headers=HEADERS).status_code == 200

        def bare_insert(count):
            with app.app_context():
                db = get_db()
                for _ in range(count):
                    record = _record(group)
                    with db.atomic():
                        db["submissions"].insert(
                            {
                                "uuid": record["uuid"],
                                "origin_site": "bench",
                                "form_id": "session",
                                "form_version": "1",
                                "commune_code": COMMUNE,
                                "data": json.dumps(record["data"]),
                            }
                        )

        new_rate, bare_rate = paired_rates(post_new, bare_insert, 200, rounds=3)
        again_rate, first_rate = paired_rates(post_again, post_new, 200, rounds=3)
        return [
            result("submission_api_records_per_s", new_rate, bare_rate, "records/s"),
            result("submission_api_resend_per_s", again_rate, first_rate, "records/s"),
        ]
