"""Instances driven through the `fieldkit` command, as a user would: a central and its enrolled sites."""

import json
import sqlite3
import subprocess

from fieldkit.testing import BAO_HA

from .reliability.servers import FIELDKIT

PUBLIC = "https://papi.example.org"


class Instance:
    """An instance folder driven through the `fieldkit` command, as a user would."""

    def __init__(self, path, role, name, demo=False):
        self.path = path
        self.run("init", "--role", role, "--name", name, *(["--demo"] if demo else []))

    def run(self, *args, check=True):
        result = subprocess.run(
            [FIELDKIT, "--instance", str(self.path), *args], capture_output=True, text=True, timeout=300
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def json(self, *args):
        return json.loads(self.run(*args).stdout.strip().splitlines()[-1])

    @property
    def database(self):
        return self.path / "fieldkit.sqlite3"

    def query(self, sql, params=()):
        with sqlite3.connect(self.database) as conn:
            return conn.execute(sql, params).fetchall()

    def dump(self):
        """Every row of every table: what "nothing changed" is measured against."""
        with sqlite3.connect(self.database) as conn:
            return list(conn.iterdump())

    def set_config(self, key, value):
        config = self.path / "config.toml"
        lines = [line for line in config.read_text().splitlines() if not line.startswith(f"{key} =")]
        config.write_text("\n".join([*lines, f"{key} = {json.dumps(value)}"]) + "\n")


def enrolled_site(central, folder, communes=(BAO_HA,), demo=True):
    """A site instance (Bảo Hà demo data) enrolled with the central for `communes`."""
    site = Instance(folder / "instance", "site", "UBND xã Bảo Hà", demo=demo)
    args = [arg for code in communes for arg in ("--commune", code)]
    code = central.run("sites", "add", "UBND xã Bảo Hà", *args).stdout.strip().splitlines()[-1]
    site.run("sync", "enroll", central.url, code)
    return site
