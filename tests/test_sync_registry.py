"""The registry of what travels: areas add tables from init_app; household lists never travel."""

import pytest

from fieldkit.sync.registry import rules, travels


def test_core_tables_travel_up_and_content_down(app):
    up = {rule.table for rule in rules(app, "up")}
    down = {rule.table for rule in rules(app, "down")}
    assert {"residential_groups", "submissions", "posters", "poster_events", "poster_scans"} <= up
    assert {"explainer_pages", "form_versions", "units"} <= down
    assert "households" not in up | down
    assert not up & {"explainer_pages", "form_versions", "units"}


def test_an_area_registers_a_table_both_ways(app):
    travels(app, "audio_recordings", up=True, down=True, media="sha256")
    assert "audio_recordings" in {r.table for r in rules(app, "up")}
    assert "audio_recordings" in {r.table for r in rules(app, "down")}


def test_a_rule_must_say_where_and_up_needs_a_commune(app):
    with pytest.raises(ValueError):
        travels(app, "survey_years")
    with pytest.raises(ValueError):
        travels(app, "survey_years", up=True, commune_column=None)
