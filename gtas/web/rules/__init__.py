"""The rules area: the rule builder, trying and back-testing rules, versions, enable/disable, rule sets as JSON, and
each rule's statistics."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the rules pages; importing ``transfer`` adds the import and export pages to the blueprint."""
    from gtas.web.rules import transfer, views  # noqa: F401

    app.register_blueprint(views.bp)
