"""Paged tables: how many pages a count of rows fills, and the links to the neighbouring pages of the current search
(the ``pages_nav`` macro of ``_pages.html`` shows them)."""

from __future__ import annotations

from typing import Any

from flask import request, url_for


def page_count(total: int, page_size: int) -> int:
    """How many pages ``total`` rows fill (at least one, so an empty table is page 1 of 1)."""
    return max(1, -(-total // page_size))


def page_links(endpoint: str, page: int, pages: int, **values: Any) -> dict[str, str | None]:
    """The URLs of the previous and next page (None at either end): the request's query string (its filters) with
    another page, on ``endpoint`` with its ``values``."""
    def link(number: int) -> str:
        arguments: dict[str, Any] = {**request.args.to_dict(), "page": number}
        return url_for(endpoint, **values, **arguments)

    return {"previous": link(page - 1) if page > 1 else None, "next": link(page + 1) if page < pages else None}
