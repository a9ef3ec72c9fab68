"""Text sent to the pages: a NUL character, which PostgreSQL cannot store in text, refuses the request (400)."""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest

from gtas.text import NUL

FORM = "application/x-www-form-urlencoded"


def refuse_nul() -> None:
    """Before a request: its query string, and the fields of a page's form (as the CSRF check reads them; the token
    APIs read their bodies themselves)."""
    fields = list(request.args.items(multi=True))
    if request.mimetype == FORM and request.blueprint not in current_app.extensions["gtas.token_blueprints"]:
        fields += request.form.items(multi=True)
    for name, value in fields:
        if NUL in name or NUL in value:
            raise BadRequest(f"the field {name.replace(NUL, '')[:40]!r} holds a NUL character (0x00): send text "
                             "without it")


def init_app(app: Flask) -> None:
    """Refuse NUL characters before every view (after the sign-in guard: a stranger is sent to sign in first)."""
    app.before_request(refuse_nul)
