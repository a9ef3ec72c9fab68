"""The watchlists area: lists, entries and their history, import with a dry run, export, and the re-screening
each change asks for."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the watchlist pages (the file pages add their routes to the same blueprint)."""
    from gtas.web.watchlists import transfer  # noqa: F401
    from gtas.web.watchlists.views import bp

    app.register_blueprint(bp)
