"""Rosters: residential groups (thôn, bản, tổ dân phố), cultural houses, household lists."""


def init_app(app):
    pass
