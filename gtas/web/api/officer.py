"""The officers' JSON API under ``/api/v1``: flights, travellers, hits, decisions and search, for a user's session or
personal token, with the OpenAPI document generated from the routes' declarations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, request, url_for

from gtas.text import UNSTORABLE, storable
from gtas.web.api.access import authenticate
from gtas.web.api.schemas import SCHEMAS
from gtas.web.api.spec import ApiDescription, Parameter
from gtas.web.errors import ApiError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(authenticate)
API = ApiDescription(bp, "GTAS officers' API", "1.0.0",
                     "Flights, travellers, hits, decisions and search; the same reads, decisions, access rules and "
                     "audit trail as the officers' pages.", schemas=SCHEMAS)
PAGE = Parameter("page", "Page number, from 1 (each page holds page_size items).", {"type": "integer", "minimum": 1})


def init_app(app: Flask) -> None:
    """Declare the routes (importing their modules) and register the blueprint."""
    from gtas.web.api import decisions, documentation, flights, hits, intake_docs, search, travellers

    del decisions, documentation, flights, hits, intake_docs, search, travellers  # imported for their routes
    app.register_blueprint(bp)


def refuse(problems: list[str]) -> None:
    """Refuse a request whose parameters had problems (the pages fall back to defaults; the API says so).

    :raises ApiError: 400 naming every problem.
    """
    if problems:
        raise ApiError(400, "bad parameter", "; ".join(problems))


def json_body() -> Mapping[str, Any]:
    """The request's JSON object.

    :raises ApiError: 400 when the body is not a JSON object.
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "JSON object expected", "send a JSON object with Content-Type: application/json")
    return body


def text_field(body: Mapping[str, Any], name: str) -> str:
    """A text field of a JSON body ("" when absent).

    :raises ApiError: 400 when it is not a string.
    """
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ApiError(400, "bad field", f"{name} must be a string")
    if not storable(value):
        raise ApiError(400, "bad field", f"{name} holds {UNSTORABLE}: send text without it")
    return value


def paged(key: str, items: list[dict[str, Any]], page: int, pages: int, page_size: int, total: int
          ) -> dict[str, Any]:
    """A page of a list, with the URL of the next page (the same parameters, the next page number)."""
    arguments: dict[str, Any] = {**request.args.to_dict(), "page": page + 1}
    following = url_for(request.endpoint or "", **arguments) if page < pages else None
    return {key: items, "page": page, "pages": pages, "page_size": page_size, "total": total, "next": following}
