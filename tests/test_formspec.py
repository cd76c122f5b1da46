"""Form definitions: checked at start with errors naming file and field; published versions frozen."""

import shutil
import textwrap

import pytest

from fieldkit import create_app
from fieldkit.formspec import registry
from fieldkit.formspec.definition import FormDefinitionError, load_dir
from fieldkit.formspec.resolve import resolved_choices
from fieldkit.formspec.validate import validate
from fieldkit.paths import CHECKOUT_DIR
from fieldkit.reference import choice_lists
from fieldkit.testing import make_app

GOOD = """
id = "demo"
version = "2026.1"
title = { vi = "Thử", en = "Try" }

[[fields]]
name = "count"
type = "integer"
label = "Số lượng"
required = true
min = 1
messages = { required = "Hãy nhập số lượng.", min = "Ít nhất là 1." }
"""


def write(folder, name, text):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def test_shipped_forms_are_valid_and_at_least_four():
    forms = load_dir(CHECKOUT_DIR / "forms", choice_lists())
    assert {"session", "broadcast", "poster", "household_visit"} <= set(forms)


@pytest.mark.parametrize(
    "change, words",
    [
        (('type = "integer"', 'type = "number"'), ["bad.toml", "count", "number"]),
        (('min = "Ít nhất là 1."', 'max = "x"'), ["bad.toml", "count", "messages.min"]),
        (("min = 1\n", 'min = "một"\n'), ["bad.toml", "count", "min"]),
        (('name = "count"', 'name = "Count!"'), ["bad.toml", "Count!"]),
        (('label = "Số lượng"', 'label = { en = "Count" }'), ["bad.toml", "count", "label"]),
        (('version = "2026.1"', "version = 1.5"), ["bad.toml", "version"]),
    ],
)
def test_a_bad_definition_is_refused_naming_file_and_field(tmp_path, change, words):
    folder = write(tmp_path / "forms", "bad.toml", GOOD.replace(*change))
    with pytest.raises(FormDefinitionError) as error:
        load_dir(folder, choice_lists())
    for word in words:
        assert word in str(error.value)


def test_unknown_shared_list_and_bad_condition_are_named(tmp_path):
    bad_list = GOOD + '\n[[fields]]\nname = "topic"\ntype = "choice"\nlabel = "Chủ đề"\nchoices = "colours"\n'
    with pytest.raises(FormDefinitionError, match="topic.*colours"):
        load_dir(write(tmp_path / "a", "f.toml", bad_list), choice_lists())
    bad_condition = (
        GOOD
        + '\n[[fields]]\nname = "why"\ntype = "text"\nlabel = "Vì sao"\nshow_if = { field = "later", equals = "x" }\n'
    )
    with pytest.raises(FormDefinitionError, match="why"):
        load_dir(write(tmp_path / "b", "f.toml", bad_condition), choice_lists())


def test_app_refuses_a_changed_definition_under_a_published_version(tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(CHECKOUT_DIR / "forms", forms)
    app = make_app(tmp_path, FORMS_DIR=str(forms))
    with app.app_context():
        from fieldkit.db import get_db

        registry().publish(get_db())
    text = (forms / "broadcast.toml").read_text(encoding="utf-8")
    (forms / "broadcast.toml").write_text(text.replace("max = 180", "max = 240"), encoding="utf-8")
    config = {"TESTING": True, "SECRET_KEY": "x", "DATABASE": app.config["DATABASE"], "FORMS_DIR": str(forms)}
    with pytest.raises(FormDefinitionError, match="broadcast.toml.*broadcast.*2"):
        create_app(config, instance_path=tmp_path / "instance")
    # A new version is accepted, and records of the old one stay readable from the stored copy.
    (forms / "broadcast.toml").write_text(
        text.replace("max = 180", "max = 240").replace("version = 2", "version = 3"), encoding="utf-8"
    )
    app = create_app(config, instance_path=tmp_path / "instance")
    with app.app_context():
        from fieldkit.db import get_db

        old = registry().get(get_db(), "broadcast", 2)
        assert old.field("minutes")["max"] == 180 and registry().current("broadcast").version == "3"


def test_validator_types_and_conditions(app):
    with app.app_context():
        definition = registry().current("session")
        choices = resolved_choices(definition, choice_lists(), [{"uuid": "g1", "name": "Thôn A"}])
        data = {
            "date": "20/11/2026",
            "start_time": "08:30:00",
            "residential_group": "g1",
            "channel": "loudspeaker",
            "topics": "survey_participation",
            "presenter": "  Lò  Văn Minh ",
            "attendees_total": "12",
            "materials_handed_out": "no",
            "materials": ["poster"],
            "location": {"lat": "22.1", "lon": 104},
        }
        clean, errors = validate(definition, data, choices)
        assert errors == {}
        assert (
            clean["date"] == "2026-11-20"
            and clean["start_time"] == "08:30"
            and clean["topics"] == ["survey_participation"]
        )
        assert clean["presenter"] == "Lò Văn Minh" and clean["attendees_total"] == 12 and "materials" not in clean
        assert clean["location"] == {"lat": 22.1, "lon": 104.0}
        _, errors = validate(
            definition, {**data, "attendees_total": True, "residential_group": "g2", "extra": 1}, choices
        )
        assert set(errors) == {"attendees_total", "residential_group", "extra"}


def test_a_part_cannot_exceed_its_whole(app):
    """Women and ethnic-minority attendees are counted among all attendees, never above them."""
    with app.app_context():
        definition = registry().current("session")
        choices = resolved_choices(definition, choice_lists(), [{"uuid": "g1", "name": "Thôn A"}])
        data = {
            "date": "2026-11-20",
            "start_time": "08:30",
            "residential_group": "g1",
            "channel": "loudspeaker",
            "topics": ["survey_participation"],
            "presenter": "Lò Văn Minh",
            "attendees_total": 30,
        }
        assert validate(definition, {**data, "attendees_women": 30, "attendees_ethnic_minority": 12}, choices)[1] == {}
        _, errors = validate(definition, {**data, "attendees_women": 31, "attendees_ethnic_minority": 40}, choices)
        assert errors == {
            "attendees_women": "Số nữ không được lớn hơn tổng số người dự.",
            "attendees_ethnic_minority": "Số người dân tộc thiểu số không được lớn hơn tổng số người dự.",
        }


@pytest.mark.parametrize(
    "extra, words",
    [
        (
            'name = "part"\ntype = "integer"\nlabel = "Phần"\nat_most = "later"\nmessages = { at_most = "Quá lớn." }\n',
            ["part", "at_most"],
        ),
        (
            'name = "part"\ntype = "text"\nlabel = "Phần"\nat_most = "count"\nmessages = { at_most = "Quá lớn." }\n',
            ["part", "at_most"],
        ),
        ('name = "part"\ntype = "integer"\nlabel = "Phần"\nat_most = "count"\n', ["part", "messages.at_most"]),
    ],
)
def test_at_most_must_name_an_earlier_number_field_and_say_why(tmp_path, extra, words):
    folder = write(tmp_path / "forms", "bad.toml", GOOD + "\n[[fields]]\n" + extra)
    with pytest.raises(FormDefinitionError) as error:
        load_dir(folder, choice_lists())
    for word in words:
        assert word in str(error.value)
