"""What the databases can store of the text anyone may send."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gtas.text import all_storable, storable


@pytest.mark.parametrize(("text", "stored"), [
    ("plain", True), ("Müller 王", True), ("a\x00b", False),  # PostgreSQL stores no NUL
    (json.loads('"a\\ud800b"'), False),  # a lone surrogate, which has no UTF-8: neither database stores it
])
def test_storable(text: str, stored: bool) -> None:
    assert storable(text) is stored


@pytest.mark.parametrize(("value", "stored"), [
    (["x", {"k": "v"}], True), (["x", {"k": ["v\x00"]}], False), ({"k\x00": 1}, False), (1.5, True), (None, True),
    (json.loads('{"a": [1, "\\u0000"]}'), False), (json.loads('{"a": {"b": "\\udfff"}}'), False),
])
def test_all_storable(value: Any, stored: bool) -> None:
    assert all_storable(value) is stored


def test_deeply_nested_json_is_walked_without_recursion() -> None:
    value: Any = "\x00"
    for _ in range(100_000):
        value = [value]
    assert not all_storable(value)
