"""Hit categories (what rule and watchlist forms offer) and, per severity, its label, meaning and handling."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas import categories
from gtas.model import HitCategory, SeverityGuide
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.web import audit
from gtas.web.admin.common import CHANGERS, READERS, bp, done
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.database import get_session, row_or_404


def _page(problems: list[str], form: object, status: int = 200) -> tuple[str, int]:
    session = get_session()
    return render_template("admin/categories.html", categories=categories.list_categories(session),
                           guides=categories.severity_guides(session), problems=problems, form=form,
                           may_change=signed_in_user().has_role(*CHANGERS)), status


@bp.get("/categories")
@roles(*READERS)
def hit_categories() -> tuple[str, int]:
    """The categories with their descriptions, and the guidance of each severity."""
    return _page([], {})


@bp.post("/categories")
@roles(*CHANGERS)
def create_category() -> ResponseReturnValue:
    """Add a category that rule and watchlist forms offer from now on."""
    session = get_session()
    form = request.form
    try:
        category = categories.create_category(session, form.get("key", ""), form.get("label", ""),
                                              form.get("description", ""), signed_in_user().username)
    except categories.CategoryError as exc:
        session.rollback()
        return _page([str(exc)], form, 400)
    audit.record("category.create", object_kind="hit_category", object_id=category.key,
                 after=categories.describe_category(category))
    session.commit()
    flash(f"The category {category.label} is added.", "info")
    return done(url_for("admin.hit_categories"))


@bp.post("/categories/<int:category_id>")
@roles(*CHANGERS)
def update_category(category_id: int) -> ResponseReturnValue:
    """Change a category's label and description, or retire it (forms stop offering it; records keep it)."""
    session = get_session()
    category = row_or_404(HitCategory, category_id)
    before = categories.describe_category(category)
    form = request.form
    try:
        categories.update_category(session, category, form.get("label", ""), form.get("description", ""),
                                   form.get("active") == "on", signed_in_user().username)
    except categories.CategoryError as exc:
        session.rollback()
        return _page([f"{before['key']}: {exc}"], {}, 400)
    audit.record("category.update", object_kind="hit_category", object_id=category.key, before=before,
                 after=categories.describe_category(category))
    session.commit()
    flash(f"The category {category.label} is saved.", "info")
    return done(url_for("admin.hit_categories"))


@bp.post("/severities/<severity>")
@roles(*CHANGERS)
def update_severity(severity: str) -> ResponseReturnValue:
    """Change what a severity is called, what it means and how officers handle its hits."""
    session = get_session()
    try:
        key = Severity(severity)
    except ValueError:
        return _page([f"there is no severity {severity[:20]!r}"], {}, 404)
    guide = row_or_404(SeverityGuide, key)
    before = categories.describe_guide(guide)
    form = request.form
    try:
        categories.update_guide(session, guide, form.get("label", ""), form.get("description", ""),
                                form.get("handling", ""), signed_in_user().username)
    except categories.CategoryError as exc:
        session.rollback()
        return _page([f"severity {key.value}: {exc}"], {}, 400)
    audit.record("severity.update", object_kind="severity", object_id=key.value, before=before,
                 after=categories.describe_guide(guide))
    session.commit()
    flash(f"The severity {key.value} is saved.", "info")
    return done(url_for("admin.hit_categories"))
