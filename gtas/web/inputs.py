"""Text sent to the pages: a NUL character or a lone surrogate, which the databases cannot store, refuses the
request (400)."""

from __future__ import annotations

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest

from gtas.text import UNSTORABLE, storable

FORM = "application/x-www-form-urlencoded"


def refuse_unstorable() -> None:
    """Before a request: its query string, and the fields of a page's form (as the CSRF check reads them; the token
    APIs read their bodies themselves)."""
    fields = list(request.args.items(multi=True))
    if request.mimetype == FORM and request.blueprint not in current_app.extensions["gtas.token_blueprints"]:
        fields += request.form.items(multi=True)
    for name, value in fields:
        if not (storable(name) and storable(value)):
            raise BadRequest(f"the field {name[:40]!r} holds {UNSTORABLE}: send text without it")


def init_app(app: Flask) -> None:
    """Refuse text the databases cannot store before every view (after the sign-in guard: a stranger is sent to
    sign in first)."""
    app.before_request(refuse_unstorable)
