"""Submissions: records of the forms, their versions, conflicts and photos; the JSON API and pages."""


def init_app(app):
    from .api import bp as api_bp

    app.register_blueprint(api_bp)
    # The API's writes are guarded by session + custom header + Origin instead of a form token.
    app.extensions["csrf"].exempt(api_bp)
