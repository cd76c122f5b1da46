"""The survey year travels: made at Sở Nội vụ, it reaches an enrolled site on pull; the site's visit goes up."""

import json

from fieldkit.testing import BAO_HA

from .instances import enrolled_site

YEAR = "2027"


def test_a_survey_year_made_at_the_central_reaches_the_site_and_the_sites_visit_comes_back(central, tmp_path):
    site = enrolled_site(central, tmp_path)
    central.run("survey", "year", YEAR, "--from", "01/08/2027", "--to", "30/11/2027", "--group", "02989:thon bao vinh")
    # Before the pull the site knows nothing of 2027.
    assert site.run("survey", "status", "--commune", BAO_HA, "--year", YEAR, "--json", check=False).returncode != 0
    site.run("sync", "pull")
    entries = json.loads(site.run("survey", "status", "--commune", BAO_HA, "--year", YEAR, "--json").stdout)
    assert [entry["group"] for entry in entries] == ["Thôn Bảo Vinh"]
    assert entries[0]["group_uuid"] and entries[0]["ready"] is False
    # The sampled group is marked on the site's roster.
    years = site.query("SELECT papi_years FROM residential_groups WHERE name = 'Thôn Bảo Vinh'")[0][0]
    assert 2027 in json.loads(years)
    site.run("survey", "visit", "--commune", BAO_HA, "--group", "Thôn Bảo Vinh", "--date", "15/09/2027", "--year", YEAR)
    site.run("sync", "push")
    at_central = json.loads(central.run("survey", "status", "--commune", BAO_HA, "--year", YEAR, "--json").stdout)
    assert at_central[0]["visit"]["date"] == "2027-09-15"
