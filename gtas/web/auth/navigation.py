"""The main menu: views declare their entry; each user sees the entries his roles open, in their order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, request, url_for

from gtas.model import User
from gtas.web.auth.guard import View, may_open

ENTRY = "gtas_menu_entry"  # attribute of a view function


@dataclass(frozen=True, slots=True)
class MenuEntry:
    """A view's place in the menu."""

    label: str
    order: int


@dataclass(frozen=True, slots=True)
class MenuLink:
    """One link of a user's menu."""

    label: str
    url: str
    current: bool


def menu(label: str, order: int) -> Callable[[View], View]:
    """List the view (a GET route without arguments) in the main menu, sorted by ``order``."""
    def declare(view: View) -> View:
        setattr(view, ENTRY, MenuEntry(label, order))
        return view
    return declare


def menu_for(user: User) -> list[MenuLink]:
    """The menu links the user may open, the page being shown marked current."""
    entries = sorted((entry.order, entry.label, endpoint)
                     for endpoint, view in current_app.view_functions.items()
                     if (entry := getattr(view, ENTRY, None)) is not None and may_open(user, view))
    return [MenuLink(label, url_for(endpoint), endpoint == request.endpoint) for _, label, endpoint in entries]
