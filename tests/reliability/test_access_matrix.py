"""Every route of the app × each role × another commune's objects: who gets what.

Generated from the app's URL map, so a new route is covered without editing this test. Only the
routes named PUBLIC may answer a visitor who is not signed in; a new public route must be added
there on purpose. Officers and admins of Bảo Hà must never see Phố Lu's data, whatever id or
commune they put in the address.
"""

import re
import uuid

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.testing import HEADERS, PASSWORD, PHO_LU, build_record, make_app, url_arguments

# What residents and the login page need (docs/SECURITY.md, "From whom"), and the phone's own pages that
# hold no server data (the outbox lives in the browser): everything else needs a login.
PUBLIC = re.compile(r"^/(login|logout|language|sw\.js|offline|outbox|ca|ca\.crt|p/.*|static/.*|explain/(?!manage).*)?$")
SECRET = "Bí Mật Phố Lu"
ROLES = {"visitor": None, "officer": "officer", "admin": "admin", "central": "central"}


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory):
    """An app with Phố Lu's group, household and record, each holding SECRET."""
    from fieldkit.rosters.groups import create_group
    from fieldkit.rosters.households import import_households

    app = make_app(tmp_path_factory.mktemp("matrix"))
    with app.app_context():
        db = get_db()
        group = create_group(db, SYSTEM, app.config["SITE_ID"], PHO_LU, f"Tổ {SECRET}")
        households = f"STT,Họ tên chủ hộ\n1,Hộ {SECRET}\n".encode()
        assert import_households(db, SYSTEM, group, households, "ho.csv").applied
        household = db.execute("SELECT uuid FROM households").fetchone()[0]
    client = app.test_client()
    client.post("/login", data={"username": "pholu", "password": PASSWORD})
    definition = client.get("/api/v1/forms/broadcast", headers=HEADERS).get_json()
    data = build_record(definition) | {"script": f"Kịch bản {SECRET}"}
    record = {"uuid": str(uuid.uuid4()), "form_id": "broadcast", "form_version": definition["version"]}
    response = client.post("/api/v1/submissions", json=record | {"commune": PHO_LU, "data": data}, headers=HEADERS)
    assert response.status_code == 201, response.get_json()
    foreign = url_arguments(
        group["uuid"], record["uuid"], household_uuid=household, sha256="0" * 64, name="x.jpg", filename="css/app.css"
    )
    return app, foreign


def _requests(app, foreign):
    """(method, url, public) for every rule and method, its arguments filled with Phố Lu's objects."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        values = {name: foreign.get(name, str(uuid.UUID(int=7))) for name in rule.arguments}
        path = app.url_map.bind("localhost").build(rule.endpoint, values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path, bool(PUBLIC.match(rule.rule))


def _call(client, method, path):
    query = {"commune": PHO_LU, "format": "csv"}
    if method == "GET":
        return client.get(path, query_string=query, headers=HEADERS if path.startswith("/api/") else None)
    return client.post(path, query_string=query, data={"commune": PHO_LU}, headers=HEADERS)


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_route_for_every_role_and_another_commune(matrix_app, role):
    app, foreign = matrix_app
    client = app.test_client()
    if ROLES[role]:
        assert client.post("/login", data={"username": ROLES[role], "password": PASSWORD}).status_code == 302
    seen = 0
    for method, path, public in _requests(app, foreign):
        if path == "/logout":
            continue  # would end this role's session for the rest of the matrix
        response = _call(client, method, path)
        where = f"{role} {method} {path} -> {response.status_code}"
        assert response.status_code < 500, where
        if role == "visitor" and not public:
            assert response.status_code in (302, 401), where
            if response.status_code == 302:
                assert "/login" in response.headers["Location"], where
        if role in ("officer", "admin"):
            # Binary answers (PDF, audio, calendars) are read as text too: the secret must be in none of them.
            raw = response.get_data() if not response.is_streamed or response.status_code < 300 else b""
            body = raw.decode("utf-8", "replace")
            assert SECRET not in body, where
            if any(value in path for value in (foreign["group_uuid"], foreign["household_uuid"], foreign["root_uuid"])):
                assert response.status_code in (403, 404), where
        seen += 1
    assert seen > 60
