"""`pip install .` (not only editable) carries everything the app needs."""

import subprocess
import sys
import zipfile

import pytest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), "."],
        check=True,
    )
    (built,) = out.glob("fieldkit-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_holds_forms_static_templates_and_data(wheel):
    names = wheel.namelist()
    assert any(n.endswith("fieldkit/templates/base.html") for n in names)
    assert any(n.endswith("fieldkit/units/data/lao-cai.json") for n in names)
    assert any(n.endswith("/LC_MESSAGES/messages.mo") for n in names)
    assert any(n.endswith("share/fieldkit/static/css/app.css") for n in names)
    assert any(n.endswith("entry_points.txt") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "fieldkit = fieldkit.cli:main" in wheel.read(entry_points).decode()


def test_wheel_carries_the_form_definitions(wheel):
    from fieldkit.paths import CHECKOUT_DIR

    shipped = {p.name for p in (CHECKOUT_DIR / "forms").glob("*.toml")}
    in_wheel = {n.rsplit("/", 1)[1] for n in wheel.namelist() if "share/fieldkit/forms/" in n}
    assert shipped <= in_wheel
