"""Real `fieldkit` processes for the reliability tests: the CLI, `fieldkit serve`, and an HTTP client.

The server tests run the production server as a user would start it, in its own process, so that
it can be killed with SIGKILL and its database opened by other processes meanwhile.
"""

import http.client
import json
import re
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from fieldkit.testing import HEADERS

FIELDKIT = str(Path(sys.executable).with_name("fieldkit"))
# Long enough to pass any policy; the tests' own accounts.
STRONG_PASSWORD = "Cây tre trăm đốt 2026"


def memory_cap(megabytes):
    """A preexec_fn limiting the child's address space, so a reader that balloons fails instead."""

    def apply():
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_fieldkit(instance, *args, input=None, timeout=120, **kwargs):
    """Run `fieldkit --instance INSTANCE ARGS…`; return the CompletedProcess."""
    return subprocess.run(
        [FIELDKIT, "--instance", str(instance), *args],
        capture_output=True,
        text=True,
        input=input,
        timeout=timeout,
        **kwargs,
    )


def add_user(instance, name, role, commune=None, password=STRONG_PASSWORD):
    password_file = Path(instance) / f".password-{name}"
    password_file.write_text(password + "\n", encoding="utf-8")
    args = ["user", "add", name, "--role", role, "--password-file", str(password_file)]
    if commune:
        args += ["--commune", commune]
    result = run_fieldkit(instance, *args)
    password_file.unlink()
    assert result.returncode == 0, result.stderr


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`fieldkit serve` on 127.0.0.1 in a process of its own."""

    def __init__(self, instance, threads=None):
        self.instance = Path(instance)
        self.port = free_port()
        self.log = open(self.instance.parent / f"serve-{self.port}.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [FIELDKIT, "--instance", str(instance), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_up()

    def wait_until_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        delay = 0.05
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"fieldkit serve exited: {self.output()}")
            try:
                Client(self.port).request("GET", "/login")
                return
            except OSError:
                time.sleep(delay)  # polling the port until it answers
                delay = min(delay * 2, 0.5)
        raise RuntimeError(f"fieldkit serve did not answer within {timeout} s: {self.output()}")

    def output(self):
        if not self.log.closed:
            self.log.flush()
        return (self.instance.parent / f"serve-{self.port}.log").read_text(errors="replace")[-4000:]

    def kill(self):
        """SIGKILL: no handler runs, nothing is flushed."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if not self.log.closed:
            self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)


class Client:
    """A browser's worth of HTTP: one cookie jar, a new connection per request (or a dropped one)."""

    def __init__(self, port, cookies=None, timeout=60):
        self.port = port
        self.cookies = dict(cookies or {})
        self.timeout = timeout

    def request(self, method, path, body=None, headers=None, drop=False):
        """Send one request; with `drop`, hang up before reading the answer and return None."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=headers)
            if drop:
                connection.sock.shutdown(socket.SHUT_RDWR)
                return None
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "expires=thu, 01 jan 1970" not in header.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, data, **kwargs):
        body = urlencode(data).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, body=body, headers=headers, **kwargs)

    def post_json(self, path, payload, **kwargs):
        headers = {"Content-Type": "application/json", **HEADERS}
        return self.request("POST", path, body=json.dumps(payload).encode(), headers=headers, **kwargs)

    def csrf_token(self, path="/login"):
        page = self.get(path).text
        found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert found, f"no csrf_token on {path}"
        return found.group(1)

    def login(self, username, password=STRONG_PASSWORD):
        token = self.csrf_token("/login")
        response = self.post_form("/login", {"username": username, "password": password, "csrf_token": token})
        assert response.status == 302, (response.status, response.text[:500])
        return response

    def logout(self):
        token = self.csrf_token("/home")
        return self.post_form("/logout", {"csrf_token": token})


def copy_instance(source, target):
    """A copy of an instance folder nobody is writing to, modes kept."""
    import shutil

    shutil.copytree(source, target, symlinks=True)
    return Path(target)


def integrity(database):
    import sqlite3

    conn = sqlite3.connect(database)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
