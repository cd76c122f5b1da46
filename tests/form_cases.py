"""The shared table of validator cases (tests/form_cases.json), read for the Python and browser tests."""

import json
from pathlib import Path

from fieldkit.formspec.definition import FormDefinition, check, load_file, sha256_of
from fieldkit.formspec.resolve import as_json, resolved_choices
from fieldkit.paths import CHECKOUT_DIR
from fieldkit.reference import choice_lists

TABLE = json.loads((Path(__file__).parent / "form_cases.json").read_text(encoding="utf-8"))
CASES = TABLE["cases"]
# What the session form (forms/session.toml) says beside each required field left empty.
SESSION_REQUIRED = {
    "date": "Hãy nhập ngày tổ chức.",
    "start_time": "Hãy nhập giờ bắt đầu.",
    "residential_group": "Hãy chọn thôn, bản hoặc tổ dân phố.",
    "channel": "Hãy chọn hình thức tuyên truyền.",
    "topics": "Hãy chọn ít nhất một nội dung.",
    "presenter": "Hãy nhập tên người trình bày.",
    "attendees_total": "Hãy nhập tổng số người dự.",
}


def definition(form):
    """The FormDefinition a case names: one written in the table, or a shipped form's file."""
    spec = TABLE["forms"][form]
    if isinstance(spec, str):
        return load_file(CHECKOUT_DIR / "forms" / spec, choice_lists())
    data = check(spec, choice_lists(), form)
    return FormDefinition(data["id"], str(data["version"]), data, "(tests)", sha256_of(data))


def groups_of(case):
    return case.get("groups", TABLE["groups"])


def choices(case):
    """The choices the server's validator gets for a case."""
    return resolved_choices(definition(case["form"]), choice_lists(), groups_of(case))


def definition_json(case):
    """The definition as the phone gets it (GET /api/v1/forms/<id>) for a case; needs an app context."""
    return as_json(definition(case["form"]), choice_lists(), groups_of(case), "vi")


def case_id(case):
    return case["name"]
