"""Ids in paths (``/admin/users/<int:user_id>``): numbers a database key holds, else no such page."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from gtas.numbers import MAX_DIGITS

MAX_ID = 10**MAX_DIGITS - 1  # as gtas.numbers.whole_number reads ids from query strings and forms


class Identifier(IntegerConverter):
    """Flask's ``int`` converter, by default no greater than ``MAX_ID``: a longer number is a 404, not an overflow
    in the database driver (a 64-bit key) and a 500."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = MAX_ID, signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app: Flask) -> None:
    """Use ``Identifier`` for ``<int:…>`` in every route registered after this."""
    app.url_map.converters["int"] = Identifier
