"""Reference lists (airports of concern, countries, other values) that rules test membership of; a change re-screens
the travellers still to arrive, since the rules naming the list may now decide otherwise."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from gtas.model import ReferenceKind, ReferenceList
from gtas.rules.rescreen import request_rescreen
from gtas.web import audit
from gtas.web.admin import reference_lists as lists
from gtas.web.admin.common import CHANGERS, READERS, bp, done
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.database import get_session, row_or_404


@bp.get("/reference-lists")
@roles(*READERS)
def reference_lists() -> str:
    """Every reference list with its kind, size and last change."""
    found_lists = get_session().scalars(select(ReferenceList).order_by(ReferenceList.name)).all()
    return render_template("admin/reference_lists.html", lists=found_lists,
                           may_change=signed_in_user().has_role(*CHANGERS))


@bp.get("/reference-lists/new")
@roles(*CHANGERS)
def new_reference_list() -> str:
    """The form for a new reference list."""
    return render_template("admin/reference_list.html", reference=None, form={}, kinds=list(ReferenceKind),
                           problems=[], may_change=True, used_by=[])


@bp.post("/reference-lists")
@roles(*CHANGERS)
def create_reference_list() -> ResponseReturnValue:
    """Create a reference list; airport and country items must be known codes."""
    session = get_session()
    user = signed_in_user()
    form = request.form
    try:
        reference = lists.create_list(session, form.get("name", ""), form.get("kind", ""),
                                      form.get("description", ""), lists.split_items(form.get("items", "")),
                                      user.username)
    except lists.ReferenceListError as exc:
        session.rollback()
        return render_template("admin/reference_list.html", reference=None, form=form, kinds=list(ReferenceKind),
                               problems=[str(exc)], may_change=True, used_by=[]), 400
    audit.record("reference_list.create", object_kind="reference_list", object_id=reference.id,
                 after=lists.describe(reference))
    session.commit()
    flash(f"The list {reference.name} is saved.", "info")
    return done(url_for("admin.reference_list", list_id=reference.id))


@bp.get("/reference-lists/<int:list_id>")
@roles(*READERS)
def reference_list(list_id: int) -> str:
    """A list's items and the rules that use it; administrators change them here."""
    reference = row_or_404(ReferenceList, list_id)
    return render_template("admin/reference_list.html", reference=reference, form={}, kinds=list(ReferenceKind),
                           problems=[], may_change=signed_in_user().has_role(*CHANGERS),
                           used_by=lists.rules_using(get_session(), reference.name))


@bp.post("/reference-lists/<int:list_id>")
@roles(*CHANGERS)
def update_reference_list(list_id: int) -> ResponseReturnValue:
    """Replace a list's description and items; travellers still to arrive are re-screened."""
    session = get_session()
    user = signed_in_user()
    reference = row_or_404(ReferenceList, list_id)
    before = lists.describe(reference)
    try:
        lists.update_list(session, reference, request.form.get("description", ""),
                          lists.split_items(request.form.get("items", "")), user.username)
    except lists.ReferenceListError as exc:
        session.rollback()
        reference = row_or_404(ReferenceList, list_id)
        return render_template("admin/reference_list.html", reference=reference, form=request.form,
                               kinds=list(ReferenceKind), problems=[str(exc)], may_change=True,
                               used_by=lists.rules_using(session, reference.name)), 400
    after = lists.describe(reference)
    if after["items"] != before["items"]:
        request_rescreen(session, f"reference list {reference.name} changed", by=user.username)
    audit.record("reference_list.update", object_kind="reference_list", object_id=reference.id, before=before,
                 after=after)
    session.commit()
    flash(f"The list {reference.name} is saved.", "info")
    return done(url_for("admin.reference_list", list_id=list_id))


@bp.post("/reference-lists/<int:list_id>/delete")
@roles(*CHANGERS)
def delete_reference_list(list_id: int) -> ResponseReturnValue:
    """Delete a list that no rule uses."""
    session = get_session()
    reference = row_or_404(ReferenceList, list_id)
    before = lists.describe(reference)
    try:
        lists.delete_list(session, reference)
    except lists.ReferenceListError as exc:
        session.rollback()
        flash(f"Not deleted: {exc}.", "error")
        return done(url_for("admin.reference_list", list_id=list_id))
    audit.record("reference_list.delete", object_kind="reference_list", object_id=list_id, before=before)
    session.commit()
    flash(f"The list {before['name']} is deleted.", "info")
    return done(url_for("admin.reference_lists"))
