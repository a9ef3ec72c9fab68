"""The administration menu entry: a page naming each administration area with what it holds."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import func, select

from gtas.model import HitCategory, Party, ReferenceList, User
from gtas.web.admin.common import READERS, bp
from gtas.web.auth.guard import roles
from gtas.web.auth.navigation import menu
from gtas.web.database import get_session


@bp.get("")
@roles(*READERS)
@menu("Administration", 90)
def index() -> str:
    """Users, carriers and providers, reference lists, categories and severities, settings: with counts."""
    session = get_session()
    counts = {name: session.scalar(select(func.count()).select_from(model)) or 0
              for name, model in (("users", User), ("parties", Party), ("lists", ReferenceList),
                                  ("categories", HitCategory))}
    return render_template("admin/index.html", counts=counts)
