"""Users: the list, create (the generated password shown once), edit, disable and enable, unlock, reset password."""

from __future__ import annotations

from flask import current_app, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas.model import User, UserRole
from gtas.web import audit
from gtas.web.admin import people
from gtas.web.admin.common import CHANGERS, READERS, bp, done
from gtas.web.auth.accounts import AccountError, create_user, describe, list_users, reset_password
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.sessions import now
from gtas.web.database import get_session, row_or_404


def _split(text: str) -> list[str]:
    return text.replace(",", " ").split()


@bp.get("/users")
@roles(*READERS)
def users() -> str:
    """Every user with roles, airports, whether enabled or locked, and the last sign-in."""
    return render_template("admin/users.html", users=list_users(get_session()), now=now(),
                           may_change=signed_in_user().has_role(*CHANGERS))


@bp.get("/users/new")
@roles(*CHANGERS)
def new_user() -> str:
    """The form for a new user."""
    return render_template("admin/user_form.html", user=None, form={}, all_roles=list(UserRole), problems=[])


@bp.post("/users")
@roles(*CHANGERS)
def create() -> ResponseReturnValue:
    """Create a user with a generated password, shown once on the answer; he changes it at the first sign-in."""
    session = get_session()
    form = request.form
    try:
        user, password = create_user(session, form.get("username", ""), form.getlist("roles"),
                                     display_name=people.clean_name(form.get("display_name", ""), ""),
                                     email=people.clean_email(form.get("email", "")),
                                     airports=people.check_airports(session, _split(form.get("airports", ""))))
    except AccountError as exc:
        session.rollback()
        return render_template("admin/user_form.html", user=None, form=form, all_roles=list(UserRole),
                               problems=[str(exc)]), 400
    audit.record("user.create", object_kind="user", object_id=user.id, after=describe(user))
    session.commit()
    return render_template("admin/password.html", user=user, password=password, created=True,
                           min_length=current_app.config["PASSWORD_MIN_LENGTH"])


@bp.get("/users/<int:user_id>")
@roles(*READERS)
def user(user_id: int) -> str:
    """A user's details; administrators change them here."""
    shown = row_or_404(User, user_id)
    return render_template("admin/user_form.html", user=shown, form={}, all_roles=list(UserRole), problems=[],
                           may_change=signed_in_user().has_role(*CHANGERS), now=now())


@bp.post("/users/<int:user_id>")
@roles(*CHANGERS)
def update(user_id: int) -> ResponseReturnValue:
    """Change a user's display name, e-mail, roles and airports."""
    session = get_session()
    changed = row_or_404(User, user_id)
    before = describe(changed)
    form = request.form
    try:
        people.update_user(session, changed, display_name=form.get("display_name", ""), email=form.get("email", ""),
                           roles=form.getlist("roles"), airports=_split(form.get("airports", "")),
                           acting=signed_in_user())
    except AccountError as exc:
        session.rollback()
        return render_template("admin/user_form.html", user=row_or_404(User, user_id), form=form,
                               all_roles=list(UserRole), problems=[str(exc)], may_change=True, now=now()), 400
    audit.record("user.update", object_kind="user", object_id=changed.id, before=before, after=describe(changed))
    session.commit()
    flash(f"{changed.username} is saved.", "info")
    return done(url_for("admin.user", user_id=changed.id))


def _switch(user_id: int, enabled: bool) -> ResponseReturnValue:
    session = get_session()
    changed = row_or_404(User, user_id)
    before = describe(changed)
    try:
        people.change_enabled(session, changed, enabled, signed_in_user())
    except AccountError as exc:
        session.rollback()
        flash(f"Not done: {exc}.", "error")
        return done(url_for("admin.user", user_id=user_id))
    audit.record("user.enable" if enabled else "user.disable", object_kind="user", object_id=changed.id,
                 before=before, after=describe(changed))
    session.commit()
    flash(f"{changed.username} is {'enabled' if enabled else 'disabled; his sessions have ended'}.", "info")
    return done(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/disable")
@roles(*CHANGERS)
def disable(user_id: int) -> ResponseReturnValue:
    """Disable a user: he can no longer sign in, and his sessions end (never yourself, never the last admin)."""
    return _switch(user_id, False)


@bp.post("/users/<int:user_id>/enable")
@roles(*CHANGERS)
def enable(user_id: int) -> ResponseReturnValue:
    """Enable a disabled user again."""
    return _switch(user_id, True)


@bp.post("/users/<int:user_id>/unlock")
@roles(*CHANGERS)
def unlock(user_id: int) -> ResponseReturnValue:
    """Lift the lockout that failed sign-ins caused."""
    session = get_session()
    changed = row_or_404(User, user_id)
    before = {"failed_sign_ins": changed.failed_sign_ins,
              "locked_until": changed.locked_until.isoformat() if changed.locked_until else None}
    people.unlock(session, changed)
    audit.record("user.unlock", object_kind="user", object_id=changed.id, before=before,
                 after={"failed_sign_ins": 0, "locked_until": None})
    session.commit()
    flash(f"{changed.username} is unlocked.", "info")
    return done(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/reset-password")
@roles(*CHANGERS)
def reset(user_id: int) -> ResponseReturnValue:
    """Give another user a new generated password, shown once; his sessions end and he chooses his own at sign-in."""
    session = get_session()
    changed = row_or_404(User, user_id)
    if changed.id == signed_in_user().id:
        flash("Not done: change your own password on the Password page.", "error")
        return done(url_for("admin.user", user_id=user_id))
    before = describe(changed)
    _, password = reset_password(session, changed.username)
    audit.record("user.reset_password", object_kind="user", object_id=changed.id, before=before,
                 after=describe(changed))
    session.commit()
    return render_template("admin/password.html", user=changed, password=password, created=False,
                           min_length=current_app.config["PASSWORD_MIN_LENGTH"])
