"""The officer's travellers area: one traveller's page (everything known about him, his hits and decisions) and
what the inspection found."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the traveller pages."""
    from gtas.web.travellers import views

    app.register_blueprint(views.bp)
