"""The survey year, its sampled residential groups and the survey team's visits. Append-only.

All three are made with `synced_table`: a year and its samples are made at Sở Nội vụ and travel
down to the sites on pull; visits are edited on either side. Their uuids are derived from what
they are (the year, the sampled group, the visit's sample), so the same thing made on two
installations is one row, not two.
"""

from sqlite_utils.migrations import Migrations

from ..changes import synced_table

migrations = Migrations("fieldkit.survey")


@migrations()
def m001_survey_years_samples_visits(db):
    synced_table(
        db,
        "survey_years",
        {
            "year": int,
            # ISO dates of the fieldwork window.
            "fieldwork_from": str,
            "fieldwork_to": str,
            # JSON: the readiness settings of this year (items and their N), from readiness.toml.
            "readiness": str,
            "note": str,
            "created_at": str,
            "updated_at": str,
            "updated_by": str,
        },
    )
    db["survey_years"].create_index(["year"], unique=True)
    synced_table(
        db,
        "survey_samples",
        {
            "year": int,
            # The commune in both unit eras: the code given (2023 era) and its main 2025 successor.
            "commune_code": str,
            "commune_code_2025": str,
            "district_code": str,
            "group_name": str,
            # fold(group_name): how a site finds the group in its roster.
            "group_key": str,
            # 1 once the central takes the group out of the sample; the row stays so the change travels.
            "removed": int,
            "created_at": str,
            "updated_at": str,
        },
        defaults={"removed": 0},
    )
    db["survey_samples"].create_index(["year", "commune_code"])
    db["survey_samples"].create_index(["year", "commune_code_2025"])
    synced_table(
        db,
        "survey_visits",
        {
            "sample_uuid": str,
            "year": int,
            "commune_code": str,
            "commune_code_2025": str,
            # ISO dates: the first and last day the team is in the village.
            "start_date": str,
            "end_date": str,
            "place": str,
            "team_contact": str,
            "guide": str,
            # planned, confirmed, done, moved
            "status": str,
            "note": str,
            "updated_at": str,
            "updated_by": str,
        },
    )
    db["survey_visits"].create_index(["sample_uuid"], unique=True)
    db["survey_visits"].create_index(["commune_code"])
    db["survey_visits"].create_index(["commune_code_2025"])
