"""The OpenAPI document is generated from the routes: every /api/v1 route is in it and everything in it is a
route, and it is itself a valid OpenAPI 3.1 document whose schemas are valid JSON Schemas."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from sqlalchemy.orm import Session, sessionmaker

from gtas.model import UserRole
from gtas.web.api.schemas import SCHEMAS
from tests.web.auth_helpers import sign_in_as

CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture(autouse=True)
def signed_in(app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    """The documentation is for users: any role, signed in."""
    sign_in_as(app, client, sessions, UserRole.RULE_AUTHOR)


def test_every_api_route_is_documented_and_every_documented_path_is_a_route(app: Flask, client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, operations in document["paths"].items() for method in operations}
    routes = {(CONVERTER.sub(r"{\1}", rule.rule), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
              for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}
    assert documented == routes


def test_the_document_is_openapi_3_1_with_valid_schemas(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"] == "3.1.0"
    for schema in SCHEMAS.values():
        Draft202012Validator.check_schema(schema)
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', response.get_data(as_text=True)))
    assert refs <= set(document["components"]["schemas"])
    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation["summary"] and operation["description"] and operation["responses"]


def test_the_documentation_needs_a_user(app: Flask) -> None:
    assert app.test_client().get("/api/v1/openapi.json").status_code == 401
    assert app.test_client().get("/api/v1/docs").status_code == 401


def test_the_endpoints_page_lists_every_endpoint(client: FlaskClient) -> None:
    html = client.get("/api/v1/docs").get_data(as_text=True)
    document = client.get("/api/v1/openapi.json").get_json()
    for path in document["paths"]:
        assert f"<code>{path}</code>" in html
