"""Search for travellers by name (fuzzy, the screening matcher), document, booking, phone, e-mail or flight."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the search page."""
    from gtas.web.search import views

    app.register_blueprint(views.bp)
