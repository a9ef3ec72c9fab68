"""What the administration pages share: the blueprint, who may read and who may change, and form helpers."""

from __future__ import annotations

from flask import Blueprint, redirect
from werkzeug.wrappers import Response

from gtas.model import UserRole

bp = Blueprint("admin", __name__, url_prefix="/admin")
READERS = (UserRole.ADMINISTRATOR, UserRole.AUDITOR)  # auditors read settings and who may do what
CHANGERS = (UserRole.ADMINISTRATOR,)


def done(url: str) -> Response:
    """After a successful change: back to a page with GET (303, so a reload does not post again)."""
    return redirect(url, code=303)
