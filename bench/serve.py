"""`python -m bench.serve INSTANCE`: fieldkit as `fieldkit serve` runs it, plus a hello-world route.

The load benchmarks measure fieldkit beside that route on the same server. The server runs in a
process of its own, so the load generator does not share its interpreter and the memory measured
is the server's alone. It prints its port on the first line, and stops on SIGTERM.
"""

import signal
import sys

from fieldkit import create_app
from fieldkit.db import close_connections
from fieldkit.serve import build_server

HELLO = "/__hello"
PLAIN = "/__plain"
# The smallest well-made page: what Lighthouse gives a page with nothing to fault.
PLAIN_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>fieldkit</title><meta name="description" content="Trang mẫu để so sánh."><link rel="icon" href="data:,">
</head><body><main><h1>Xin chào</h1><p>Trang mẫu để so sánh.</p></main></body></html>
"""


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(instance):
    app = create_app(instance_path=instance)
    # The baselines live only in this benchmark's server, never in the product.
    app.add_url_rule(HELLO, "bench_hello", lambda: "Hello, world!")
    app.add_url_rule(PLAIN, "bench_plain", lambda: PLAIN_PAGE)
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
