"""One declared description of the officers' JSON API: each route is registered through ``ApiDescription.route``,
which adds the Flask route, its access and its OpenAPI operation at once, so the served document cannot drift from
the routes (``tests/web/test_api_openapi.py`` walks the URL map to prove it)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint

from gtas.model import UserRole
from gtas.web.auth.guard import View, public, roles

JsonSchema = dict[str, Any]
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
ERROR_STATUSES = {400: "The request is malformed: ``detail`` says what to send instead.",
                  401: "No valid token (or signed-in session), or none was sent.",
                  403: "The user's roles do not open this endpoint (or the session's CSRF token is missing).",
                  404: "No such object on the user's airports.",
                  413: "The message is larger than the server accepts.",
                  415: "The content type is not one of a message's.",
                  429: "Too many requests with this token; retry after ``Retry-After`` seconds."}


@dataclass(frozen=True, slots=True)
class Parameter:
    """A query or path parameter."""

    name: str
    description: str
    schema: JsonSchema
    where: str = "query"
    required: bool = False

    def document(self) -> JsonSchema:
        """The parameter as OpenAPI writes it."""
        return {"name": self.name, "in": self.where, "required": self.required or self.where == "path",
                "description": self.description, "schema": self.schema}


@dataclass(frozen=True, slots=True)
class Operation:
    """One documented route: method, Flask rule, who may call it, what it takes and what it answers."""

    method: str
    rule: str
    endpoint: str
    summary: str
    description: str
    allowed: tuple[UserRole, ...]  # empty: public
    parameters: tuple[Parameter, ...]
    body: str | None  # component schema name of the JSON body
    status: int
    response: str  # component schema name of the answer
    errors: tuple[int, ...]
    media_type: str = "application/json"
    security: str = ""  # the security scheme of a route described here but registered elsewhere

    @property
    def path(self) -> str:
        """The OpenAPI path of the Flask rule: ``/flights/<int:flight_id>`` → ``/flights/{flight_id}``."""
        return _CONVERTER.sub(r"{\2}", self.rule)


@dataclass(slots=True)
class ApiDescription:
    """The routes of an API blueprint and the OpenAPI 3.1 document describing them."""

    blueprint: Blueprint
    title: str
    version: str
    summary: str
    schemas: dict[str, JsonSchema] = field(default_factory=dict)
    operations: list[Operation] = field(default_factory=list)

    def route(self, method: str, rule: str, *, summary: str, allowed: Sequence[UserRole] = (),
              parameters: Sequence[Parameter] = (), body: str | None = None, status: int = 200,
              response: str = "", errors: Sequence[int] = (401, 403),
              media_type: str = "application/json") -> Callable[[View], View]:
        """Register the view on the blueprint for ``method`` and ``rule``, open to ``allowed`` (none: public), and
        describe it; the view's docstring is the operation's description."""
        def register(view: View) -> View:
            declared = roles(*allowed)(view) if allowed else public(view)
            self.blueprint.add_url_rule(rule, view.__name__, declared, methods=[method])
            self.operations.append(Operation(
                method.lower(), rule, f"{self.blueprint.name}.{view.__name__}", summary,
                " ".join((view.__doc__ or "").split()), tuple(allowed), tuple(parameters), body, status, response,
                tuple(sorted(set(errors) | ({400} if body or parameters else set()))), media_type))
            return declared
        return register

    def describe(self, method: str, rule: str, endpoint: str, *, summary: str, description: str,
                 response: str, status: int = 200, errors: Sequence[int] = (400, 401),
                 parameters: Sequence[Parameter] = (), security: str = "partyToken") -> None:
        """Describe a route another blueprint registers under the same prefix (the message intake), so that the
        document covers every route under it; the URL-map test keeps the two in step."""
        self.operations.append(Operation(method.lower(), rule, endpoint, summary, description, (), tuple(parameters),
                                         None, status, response, tuple(errors), security=security))

    def document(self) -> JsonSchema:
        """The OpenAPI 3.1 document of every route described."""
        paths: dict[str, dict[str, Any]] = {}
        for op in sorted(self.operations, key=lambda o: (o.path, o.method)):
            paths.setdefault(f"{self.blueprint.url_prefix or ''}{op.path}", {})[op.method] = self._operation(op)
        return {
            "openapi": "3.1.0",
            "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
            "info": {"title": self.title, "version": self.version, "summary": self.summary},
            "paths": paths,
            "components": {
                "schemas": self.schemas,
                "securitySchemes": {
                    "personalToken": {"type": "http", "scheme": "bearer",
                                      "description": "A personal API token (gtasu_…) of a user: it carries his roles "
                                                     "and airports. Airline intake tokens are refused."},
                    "partyToken": {"type": "http", "scheme": "bearer",
                                   "description": "An airline's or provider's intake token (gtas_…): it only pushes "
                                                  "messages and reads their status."},
                    "session": {"type": "apiKey", "in": "cookie", "name": "gtas_session",
                                "description": "The signed-in browser session; state-changing calls then need the "
                                               "session's CSRF token in the X-CSRFToken header."},
                },
            },
        }

    def _operation(self, op: Operation) -> JsonSchema:
        answer: JsonSchema = {"description": "Success."}
        if op.media_type == "application/json":
            answer["content"] = {op.media_type: {"schema": {"$ref": f"#/components/schemas/{op.response}"}}}
        else:
            answer["content"] = {op.media_type: {"schema": {"type": "string"}}}
        document: JsonSchema = {
            "operationId": op.endpoint.rpartition(".")[2], "summary": op.summary, "description": op.description,
            "parameters": [p.document() for p in op.parameters],
            "responses": {str(op.status): answer, **{
                str(status): {"description": ERROR_STATUSES[status],
                              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                for status in op.errors}},
        }
        if op.security:
            document["security"] = [{op.security: []}]
        elif op.allowed:
            document["security"] = [{"personalToken": []}, {"session": []}]
            document["x-roles"] = sorted(role.value for role in op.allowed)
        else:
            document["security"] = []
        if op.body:
            document["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{op.body}"}}}}
        return document
