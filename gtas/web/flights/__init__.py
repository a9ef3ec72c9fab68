"""The officer's flights area: the board of arriving and leaving flights, and each flight's manifest."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the flights pages."""
    from gtas.web.flights import views

    app.register_blueprint(views.bp)
