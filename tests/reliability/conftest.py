"""An initialised instance, made once by the real CLI, copied for each test that writes to it."""

import pytest

from fieldkit.testing import BAO_HA, PHO_LU

from .servers import Server, add_user, copy_instance, run_fieldkit

USERS = (("officer", "officer", BAO_HA), ("admin", "commune_admin", BAO_HA), ("pholu", "officer", PHO_LU))


@pytest.fixture(scope="session")
def site_template(tmp_path_factory):
    instance = tmp_path_factory.mktemp("template") / "instance"
    result = run_fieldkit(instance, "init", "--role", "site", "--name", "UBND xã Bảo Hà")
    assert result.returncode == 0, result.stderr
    for name, role, commune in USERS:
        add_user(instance, name, role, commune)
    return instance


@pytest.fixture
def site_instance(site_template, tmp_path):
    """A site instance of this test's own, with an officer, an admin and an officer of another commune."""
    return copy_instance(site_template, tmp_path / "instance")


@pytest.fixture
def server(site_instance):
    """`fieldkit serve` on this test's own instance."""
    with Server(site_instance) as running:
        yield running
