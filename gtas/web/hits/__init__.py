"""The officer's hits area: the priority queue of open hits, and claiming, assigning, releasing and deciding them."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the queue and the decision forms, and the category labels and severity guidance templates show."""
    from gtas.web.hits import views, vocabulary

    app.register_blueprint(views.bp)
    vocabulary.init_app(app)
