"""Reading rendered pages in tests: the cells of a table's body rows, by the table's class."""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    """The text of every cell of the body rows of tables with a given class."""

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class, self._depth, self._in_body = css_class, 0, False
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and self.css_class in (dict(attrs).get("class") or "").split():
            self._depth = 1
        elif self._depth and tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if self._cell is not None and tag in ("td", "th"):
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._depth = 0

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str, css_class: str) -> list[list[str]]:
    """The cells of the body rows of every table of the class, as whitespace-collapsed text."""
    parser = _Tables(css_class)
    parser.feed(html)
    return parser.rows
