"""`python -m bench.serve INSTANCE`: fieldkit as `fieldkit serve` runs it, plus a hello-world route.

The load benchmarks measure fieldkit beside that route on the same server. The server runs in a
process of its own, so the load generator does not share its interpreter and the memory measured
is the server's alone. It prints its port on the first line, and stops on SIGTERM.
"""

import json
import signal
import sys

from flask import jsonify, request

from fieldkit import create_app
from fieldkit.auth.access import login_required
from fieldkit.db import close_connections, connect, get_db
from fieldkit.serve import build_server

HELLO = "/__hello"
PLAIN = "/__plain"
# The least a route that stores a record can do: the signed-in user's session, the JSON body, one row
# written and committed (WAL, synchronous=NORMAL, a unique uuid index), a JSON answer. No checks,
# no history, no dashboard. What any record route pays on this server, whatever else it does.
FLOOR = "/__floor"
# The smallest well-made page: what Lighthouse gives a page with nothing to fault.
PLAIN_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fieldkit</title><meta name="description" content="Trang mẫu để so sánh."><link rel="icon" href="data:,">
</head><body><main><h1>Xin chào</h1><p>Trang mẫu để so sánh.</p></main></body></html>
"""


@login_required
def store_bare_row():
    payload = request.get_json()
    db = get_db()
    with db.atomic():
        db.execute("INSERT INTO bench_floor (uuid, body) VALUES (?, ?)", [payload["uuid"], json.dumps(payload)])
    return jsonify(status="created", uuid=payload["uuid"]), 201


def add_floor_route(app):
    db = connect(app.config["DATABASE"])
    db.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, body TEXT)")
    db.close()
    app.extensions["csrf"].exempt(store_bare_row)  # as the API is: JSON, not a form
    app.add_url_rule(FLOOR, "bench_floor", store_bare_row, methods=["POST"])


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(instance):
    app = create_app(instance_path=instance)
    # The baselines live only in this benchmark's server, never in the product.
    app.add_url_rule(HELLO, "bench_hello", lambda: "Hello, world!")
    app.add_url_rule(PLAIN, "bench_plain", lambda: PLAIN_PAGE)
    add_floor_route(app)
    server = build_server(app, "127.0.0.1", 0)  # the threads `fieldkit serve` runs with
    server.prepare()
    signal.signal(signal.SIGTERM, _interrupt)
    print(server.bind_addr[1], flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        close_connections(app)


if __name__ == "__main__":
    main(sys.argv[1])
