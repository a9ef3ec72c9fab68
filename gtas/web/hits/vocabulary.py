"""What officers read about a hit's category and severity: the managed category labels and each severity's label and
handling guidance, as the template globals ``category_label`` and ``severity_guide``.

Each is read from the database at most once per request, on first use, however many hits a page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g

from gtas.categories import category_labels, severity_guides
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.web.database import get_session


@dataclass(frozen=True, slots=True)
class Guidance:
    """A severity as officers read it: its label, what it means, and how to handle a hit of it."""

    label: str
    description: str
    handling: str


def category_label(key: str | None) -> str:
    """The label of a category key; a key the list does not know is shown in words, no key as ""."""
    if not key:
        return ""
    if "hit_category_labels" not in g:
        g.hit_category_labels = category_labels(get_session())
    labels: dict[str, str] = g.hit_category_labels
    return labels.get(key) or key.replace("_", " ")


def severity_guide(severity: Severity | str) -> Guidance:
    """The label and guidance of a severity (its name alone when it has no guidance)."""
    if "hit_severity_guides" not in g:
        g.hit_severity_guides = {str(guide.severity): Guidance(guide.label, guide.description, guide.handling)
                                 for guide in severity_guides(get_session())}
    guides: dict[str, Guidance] = g.hit_severity_guides
    return guides.get(str(severity)) or Guidance(str(severity), "", "")


def all_guides() -> list[Guidance]:
    """The guidance of every severity, most severe first."""
    return [severity_guide(severity) for severity in reversed(Severity)]


def init_app(app: Flask) -> None:
    """Offer the labels and guidance to every template."""
    app.add_template_global(category_label)
    app.add_template_global(severity_guide)
    app.add_template_global(all_guides, "severity_guides")
