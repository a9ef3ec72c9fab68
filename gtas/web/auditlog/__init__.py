"""The audit log viewer for auditors and administrators: search the trail, read an event's before and after, export."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the audit log pages."""
    from gtas.web.auditlog import views

    app.register_blueprint(views.bp)
