"""Sign in, sign out and change password: the pages of the ``auth`` blueprint."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas.web import audit
from gtas.web.auth import sessions
from gtas.web.auth.accounts import Lockout, SignIn, SignInOutcome, change_password, sign_in
from gtas.web.auth.guard import local_target, public, signed_in
from gtas.web.auth.identity import current_session, signed_in_user
from gtas.web.database import get_session
from gtas.web.ratelimit import SlidingWindowLimit

bp = Blueprint("auth", __name__, url_prefix="/auth")
ATTEMPTS_PER_ADDRESS = 30  # sign-in attempts per minute from one address: slows guessing across many accounts

WRONG = "Wrong username or password."
REFUSED = {
    SignInOutcome.UNKNOWN_USER: WRONG,
    SignInOutcome.WRONG_PASSWORD: WRONG,
    SignInOutcome.LOCKED: "This account is locked after repeated failed sign-ins. Try again later, or ask an "
                          "administrator to reset your password.",
    SignInOutcome.LOCKED_NOW: "Too many failed sign-ins: this account is now locked for {minutes:g} minutes.",
    SignInOutcome.DISABLED: "This account is disabled. Ask an administrator.",
}


def init_app(app: Flask) -> None:
    """Register the pages, with their own limit of sign-in attempts per address."""
    app.extensions["gtas.sign_in_limit"] = SlidingWindowLimit(ATTEMPTS_PER_ADDRESS)
    app.register_blueprint(bp)


def lockout() -> Lockout:
    """The application's lockout policy."""
    return Lockout(int(current_app.config["SIGN_IN_ATTEMPTS"]),
                   timedelta(minutes=float(current_app.config["LOCKOUT_MINUTES"])))


@bp.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
@public
def sign_in_page() -> ResponseReturnValue:
    """Ask for username and password; on success start a session and go where the user was heading."""
    target = local_target(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/sign_in.html", next=target, username="")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    limit: SlidingWindowLimit = current_app.extensions["gtas.sign_in_limit"]
    wait = limit.hit(request.remote_addr)
    if wait is not None:
        flash(f"Too many sign-in attempts from your address. Wait {wait} seconds, then try again.", "error")
        return render_template("auth/sign_in.html", next=target, username=username), 429, {"Retry-After": str(wait)}
    now = sessions.now()
    result = sign_in(get_session(), username, password, lockout(), now)
    user = result.user
    if user is None or result.outcome is not SignInOutcome.SIGNED_IN:
        _audit_refusal(result, username)
        get_session().commit()
        flash(REFUSED[result.outcome].format(minutes=float(current_app.config["LOCKOUT_MINUTES"])), "error")
        return render_template("auth/sign_in.html", next=target, username=username), 401
    audit.record("auth.sign_in", user=user)
    sessions.begin(user, now)
    get_session().commit()
    if user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return redirect(target or url_for("home.index"))


def _audit_refusal(result: SignIn, username: str) -> None:
    """Audit a refused sign-in under the name typed, and the lockout it caused."""
    user = result.user
    reason = "wrong_password" if result.outcome is SignInOutcome.LOCKED_NOW else result.outcome.value
    audit.record("auth.sign_in_failed", user=user, username=username, details={"reason": reason})
    if result.outcome is SignInOutcome.LOCKED_NOW and user is not None and user.locked_until is not None:
        audit.record("auth.lockout", user=user, details={"locked_until": user.locked_until.isoformat()})


@bp.post("/sign-out")
@signed_in
def sign_out() -> ResponseReturnValue:
    """End the session and return to the sign-in page."""
    audit.record("auth.sign_out")
    sessions.end(sessions.now())
    get_session().commit()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/password", methods=["GET", "POST"], endpoint="change_password")
@signed_in
def change_password_page() -> ResponseReturnValue:
    """Let the signed-in user choose a new password under the policy (required after a reset)."""
    user = signed_in_user()
    min_length = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if request.method == "GET":
        return render_template("auth/change_password.html", min_length=min_length, problems=[])
    new = request.form.get("new_password", "")
    problems = []
    if new != request.form.get("confirm_password", ""):
        problems.append("the new password and its confirmation differ")
    now = sessions.now()
    current = current_session()
    problems = problems or change_password(get_session(), user, request.form.get("current_password", ""), new,
                                           min_length, now, keep_session=current.id if current else None)
    if problems:
        return render_template("auth/change_password.html", min_length=min_length, problems=problems), 400
    audit.record("auth.password_changed", user=user, object_kind="user", object_id=user.id)
    get_session().commit()
    flash("Your password is changed.", "info")
    return redirect(url_for("home.index"))
