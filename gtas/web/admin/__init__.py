"""Administration: users and roles, carriers and providers with their tokens, reference lists, hit categories and
severities, and the settings kept in the database (score bands, retention). Administrators change, auditors read."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the administration pages."""
    from gtas.web.admin import configuration, home, parties, references, users, vocabulary  # noqa: F401 (routes)
    from gtas.web.admin.common import bp

    app.register_blueprint(bp)
