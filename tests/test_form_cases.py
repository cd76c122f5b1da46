"""The server's validator against the shared case table; tests/test_browser_form_cases.py runs the
same table through the phone's validator (static/js/validate.js), so both refuse the same records."""

import pytest

from fieldkit.formspec.validate import validate
from fieldkit.testing import make_app

from .form_cases import CASES, case_id, choices, definition


@pytest.fixture(scope="module")
def one_app(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("cases"))


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_server_validator(one_app, case):
    with one_app.test_request_context():
        clean, errors = validate(definition(case["form"]), case["data"], choices(case), "vi")
        assert errors == case["errors"]
        for name, value in case.get("clean", {}).items():
            assert clean.get(name) == value, name
