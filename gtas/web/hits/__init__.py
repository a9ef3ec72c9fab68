"""The officer's hits area: the priority queue of open hits, and claiming, assigning, releasing and deciding them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the queue and the decision forms."""
    from gtas.web.hits import views

    app.register_blueprint(views.bp)
