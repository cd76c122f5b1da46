"""Pages served by cheroot, beside a hello-world route on the same server in the same run."""

from .apps import Served, bench_app
from .harness import paired_rates, result

REQUESTS = 400


def run():
    app = bench_app()
    # The baseline lives only in this benchmark's app, never in the product.
    app.add_url_rule("/__hello", "bench_hello", lambda: "Hello, world!")
    served = Served(app)
    try:
        served.get_many("/login", 50)  # warm up templates and connections
        login, hello = paired_rates(
            lambda n: served.get_many("/login", n), lambda n: served.get_many("/__hello", n), REQUESTS
        )
    finally:
        served.stop()
    return [result("login page, requests per second (cheroot, 4 clients)", login, hello, "req/s")]
