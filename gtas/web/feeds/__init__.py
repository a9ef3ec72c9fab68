"""Feed health for administrators and supervisors: is data arriving, per carrier and feed, and why messages failed."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the dashboard, the message browser and the message page."""
    from gtas.web.feeds import views

    app.register_blueprint(views.bp)
