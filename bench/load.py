"""A demo instance served in its own process, a logged-in session, and many clients at once.

The load comes from one asyncio loop in the benchmark's process: keep-alive connections, each
sending its next request as soon as the answer to the last one is in, every status checked.
"""

import asyncio
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

from fieldkit.auth.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
OFFICER = "canbo.baoha"


def demo_instance():
    """A fresh site instance made by `fieldkit init --demo`, as a commune would make it."""
    instance = Path(tempfile.mkdtemp(prefix="fieldkit-bench-")) / "instance"
    subprocess.run(
        [sys.executable, "-c", "from fieldkit.cli import main; main()", "--instance", str(instance), "init", "--demo"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return instance


class ServerProcess:
    """`python -m bench.serve` on 127.0.0.1 and a free port."""

    def __init__(self, instance):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.serve", str(instance)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        self.port = int(self.process.stdout.readline())

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def rss_mb(self):
        """Resident memory of the server process now, in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024

    def login(self, username=OFFICER, password=DEMO_PASSWORD):
        """Log in through the form, as a browser does; return the Cookie header of the session."""
        jar = CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = browser.open(self.url("/login")).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = {"username": username, "password": password, "csrf_token": token}
        browser.open(self.url("/login"), urlencode(form).encode())
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar if c.name == "session")
        if not cookie:
            raise RuntimeError("login failed")
        return cookie

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def request_bytes(method, path, headers=None, body=b""):
    """One HTTP/1.1 request, ready to send."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader):
    """(status, body, whether the server closes the connection after it)."""
    status = int((await reader.readline()).split()[1])
    length, closing = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "connection":
            closing = value == "close"
    return status, await reader.readexactly(length), closing


async def _send_all(port, requests, clients, expect, latencies):
    pending = iter(requests)

    async def client():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for request in pending:
            start = time.perf_counter()
            writer.write(request)
            status, body, closing = await _read_response(reader)
            latencies.append(time.perf_counter() - start)
            if status != expect:
                raise RuntimeError(f"{status} instead of {expect}: {body[:300]!r}")
            if closing:
                # cheroot keeps at most ten idle connections and closes the others after each
                # answer, saying so; a browser opens a new one, and so does this client.
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()
        await writer.wait_closed()

    await asyncio.gather(*(client() for _ in range(clients)))


def send_all(port, requests, clients=32, expect=200, latencies=None):
    """Send every request over `clients` connections at once; record each one's seconds in `latencies`."""
    asyncio.run(_send_all(port, requests, clients, expect, [] if latencies is None else latencies))


def percentile(values, fraction):
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]
