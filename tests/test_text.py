"""What the databases can store of the text anyone may send."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gtas.text import holds_nul


@pytest.mark.parametrize(("value", "held"), [
    ("plain", False), ("a\x00b", True), (["x", {"k": "v"}], False), (["x", {"k": ["v\x00"]}], True),
    ({"k\x00": 1}, True), (1.5, False), (None, False), (json.loads('{"a": [1, "\\u0000"]}'), True),
])
def test_holds_nul(value: Any, held: bool) -> None:
    assert holds_nul(value) is held


def test_deeply_nested_json_is_walked_without_recursion() -> None:
    value: Any = "\x00"
    for _ in range(100_000):
        value = [value]
    assert holds_nul(value)
