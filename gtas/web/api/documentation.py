"""``/api/v1/openapi.json`` (the OpenAPI 3.1 document generated from the routes' declarations) and ``/api/v1/docs``
(the same, as a plain page listing the endpoints)."""

from __future__ import annotations

from typing import Any

from flask import render_template

from gtas.model import UserRole
from gtas.web.api.officer import API

EVERYONE = tuple(UserRole)  # any signed-in user or personal token


@API.route("GET", "/openapi.json", summary="This API's OpenAPI document", allowed=EVERYONE, response="OpenApi")
def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route under /api/v1 (any signed-in user or token)."""
    return API.document()


@API.route("GET", "/docs", summary="This API's endpoints, as a page", allowed=EVERYONE,
           media_type="text/html")
def docs() -> str:
    """A plain page listing every endpoint, who may call it, its parameters and answers."""
    return render_template("account/api_docs.html", operations=sorted(API.operations, key=lambda o: (o.path, o.method)),
                           prefix=API.blueprint.url_prefix)
