"""The signed-in user's personal API tokens: create one (its secret shown once), see and revoke his own."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas.model import UserToken
from gtas.numbers import whole_number
from gtas.web import audit
from gtas.web.api.user_tokens import (
    DEFAULT_DAYS,
    MAX_DAYS,
    UserTokenError,
    create_user_token,
    revoke_user_token,
    tokens_of,
)
from gtas.web.auth.guard import signed_in
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import now
from gtas.web.database import get_session

bp = Blueprint("account", __name__, url_prefix="/account")


def init_app(app: Flask) -> None:
    """Register the tokens page."""
    app.register_blueprint(bp)


def describe(token: UserToken) -> dict[str, object]:
    """A token as the audit trail records it (never its secret)."""
    return {"prefix": token.prefix, "name": token.name, "expires_at": token.expires_at.isoformat(),
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None}


def _page(secret: str | None = None, status: int = 200) -> ResponseReturnValue:
    user = signed_in_user()
    return render_template("account/tokens.html", tokens=tokens_of(get_session(), user), secret=secret, now=now(),
                           default_days=DEFAULT_DAYS, max_days=MAX_DAYS), status


@bp.get("/tokens")
@signed_in
@menu("API tokens", 90)
def tokens() -> ResponseReturnValue:
    """The user's tokens and the form to create one."""
    return _page()


@bp.post("/tokens")
@signed_in
def create() -> ResponseReturnValue:
    """Create a token (fields ``name``, ``days``) and show its secret once."""
    session = get_session()
    days_text = request.form.get("days", "").strip() or str(DEFAULT_DAYS)
    try:
        days = whole_number(days_text)
        if days is None:
            raise UserTokenError(f"the lifetime is a whole number of days, not {days_text[:10]!r}")
        token, secret = create_user_token(session, signed_in_user(), request.form.get("name", ""), days, now())
    except UserTokenError as exc:
        session.rollback()
        flash(f"No token was created: {exc}.", "error")
        return _page(status=400)
    audit.record("user_token.create", object_kind="user_token", object_id=token.id, after=describe(token))
    session.commit()
    return _page(secret=secret)


@bp.post("/tokens/<int:token_id>/revoke")
@signed_in
def revoke(token_id: int) -> ResponseReturnValue:
    """Revoke one of the user's tokens: it stops working at once."""
    session = get_session()
    try:
        token = revoke_user_token(session, signed_in_user(), token_id, now())
    except UserTokenError as exc:
        session.rollback()
        flash(f"Nothing was revoked: {exc}.", "error")
        return redirect(url_for("account.tokens"), code=303)
    audit.record("user_token.revoke", object_kind="user_token", object_id=token.id, after=describe(token))
    session.commit()
    flash(f"The token {token.prefix}… is revoked.", "info")
    return redirect(url_for("account.tokens"), code=303)
