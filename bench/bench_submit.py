"""`submit_api` and `server_rss_mb`: records through POST /api/v1/submissions under load.

32 clients post at once to a demo instance served as `fieldkit serve` serves it (cheroot, eight
threads, its own process); the baseline is a hello-world route on the same server under the
same 32 clients, in rounds alternating with the posts. Every record is new (its own uuid) and
must be answered 201. The same route requested with the officer's cookie and headers, as a
logged-in phone's browser would, pays for the session and the user's lookup too; it is reported
beside (`logged_in_hello_req_s`, `ratio_to_logged_in_hello`).
Beside them, the floor (`floor_req_s`): a bench-only route that does the least any record route
must (the session, the JSON body, one row committed, a JSON answer; bench/serve.py), so the
report shows how much of the gap to hello world is the server's and how much is fieldkit's.
`server_rss_mb` is the server's resident memory when the load is over, beside the
same server's just after start.
"""

import json
import statistics
import time
import urllib.request
import uuid

from .harness import result
from .load import ServerProcess, demo_instance, percentile, request_bytes, send_all
from .serve import FLOOR, HELLO

CLIENTS = 32
RECORDS = 600  # per round
HELLOS = 1500
ROUNDS = 5


def session_record(definition, commune):
    """A new awareness-session record, its choices taken from the definition the server gives."""
    choices = {f["name"]: [c["value"] for c in f["choices"]] for f in definition["fields"]}
    data = {
        "date": "2026-11-20",
        "start_time": "08:30",
        "residential_group": choices["residential_group"][0],
        "channel": choices["channel"][0],
        "topics": choices["topics"][:2],
        "presenter": "Nguyễn Thị Hoa",
        "attendees_total": 40,
        "attendees_women": 21,
        "languages": choices["languages"][:2],
        "notes": "Người dân hỏi về khảo sát.",
        "location": {"lat": 22.25, "lon": 104.45},
    }
    return {
        "uuid": str(uuid.uuid4()),
        "form_id": definition["id"],
        "form_version": definition["version"],
        "commune": commune,
        "data": data,
    }


def run():
    server = ServerProcess(demo_instance())
    try:
        cookie = server.login()
        headers = {"Cookie": cookie, "X-Requested-With": "fieldkit"}
        get = urllib.request.Request(server.url("/api/v1/forms/session"), headers=headers)
        definition = json.load(urllib.request.urlopen(get))
        started_mb = server.rss_mb()

        def posts(count, path="/api/v1/submissions"):
            bodies = (json.dumps(session_record(definition, definition["commune"])).encode() for _ in range(count))
            json_headers = {**headers, "Content-Type": "application/json"}
            return [request_bytes("POST", path, json_headers, body) for body in bodies]

        send_all(server.port, posts(100), CLIENTS, expect=201)  # warm up every thread's connection
        send_all(server.port, posts(100, FLOOR), CLIENTS, expect=201)
        prepared = iter([posts(RECORDS) for _ in range(ROUNDS)])
        hello = [request_bytes("GET", HELLO, headers)] * HELLOS
        bare = [request_bytes("GET", HELLO)] * HELLOS
        floors = iter([posts(RECORDS, FLOOR) for _ in range(ROUNDS)])
        post_seconds, hello_seconds = [], []
        rates = {"post": [], "hello": [], "bare": [], "floor": []}
        for _ in range(ROUNDS):  # in alternation, so all four see the same noise
            for side, requests, expect, seconds in (
                ("post", next(prepared), 201, post_seconds),
                ("hello", hello, 200, hello_seconds),
                ("bare", bare, 200, []),
                ("floor", next(floors), 201, []),
            ):
                start = time.perf_counter()
                send_all(server.port, requests, CLIENTS, expect=expect, latencies=seconds)
                rates[side].append(len(requests) / (time.perf_counter() - start))
        posted, helloed, bare_rate, floor_rate = (
            statistics.median(rates[side]) for side in ("post", "hello", "bare", "floor")
        )
        loaded_mb = server.rss_mb()
    finally:
        server.stop()
    api = result("submit_api", posted, bare_rate, "req/s")
    api["p99_ms"] = round(percentile(post_seconds, 0.99) * 1000, 1)
    api["p50_ms"] = round(statistics.median(post_seconds) * 1000, 1)
    api["logged_in_hello_req_s"] = round(helloed, 1)
    api["logged_in_hello_p99_ms"] = round(percentile(hello_seconds, 0.99) * 1000, 1)
    api["ratio_to_logged_in_hello"] = round(posted / helloed, 3)
    api["floor_req_s"] = round(floor_rate, 1)
    api["floor_ratio_to_hello"] = round(floor_rate / bare_rate, 3)
    api["ratio_to_floor"] = round(posted / floor_rate, 3)
    return [api, result("server_rss_mb", loaded_mb, started_mb, "MiB", higher_is_better=False)]
