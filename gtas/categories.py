"""The managed hit categories and the severity guidance: what rule and watchlist forms offer, and what officers read.

Rules, watchlists and watchlist entries store a category key as text; ``category_choices`` offers the active
categories and keeps the value a record already has, and ``checked_category`` accepts exactly those, so a retired key
or one stored before the list knew it stays valid on its record but is refused for new ones. Services flush, never
commit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import HitCategory, SeverityGuide
from gtas.model.watchlist import WatchlistSeverity as Severity

KEY = re.compile(r"[a-z][a-z0-9_]{1,49}")
LABEL_LENGTH = 100
SEVERITY_LABEL_LENGTH = 50
TEXT_LENGTH = 4000


class CategoryError(ValueError):
    """A category or severity change that cannot be made, with the reason."""


def list_categories(session: Session) -> list[HitCategory]:
    """Every category, active ones first, by label."""
    return list(session.scalars(select(HitCategory).order_by(HitCategory.active.desc(), HitCategory.label)))


def category_choices(session: Session, current: str | None = None) -> list[tuple[str, str]]:
    """(key, label) of the active categories, by label, plus ``current`` when the list lacks it (a retired or
    never-listed key a rule or watchlist already has stays selectable)."""
    choices = [(c.key, c.label) for c in session.scalars(
        select(HitCategory).where(HitCategory.active.is_(True)).order_by(HitCategory.label))]
    if current and current not in {key for key, _ in choices}:
        known = session.scalars(select(HitCategory).where(HitCategory.key == current)).one_or_none()
        choices.append((current, known.label if known is not None else current.replace("_", " ")))
    return choices


def active_keys(session: Session) -> list[str]:
    """The keys forms and imports accept for a new value, by key."""
    return list(session.scalars(select(HitCategory.key).where(HitCategory.active.is_(True)).order_by(HitCategory.key)))


def normalised_key(text: str) -> str:
    """A category as typed (any case, spaces, hyphens or slashes between words) in its key form."""
    return "_".join(text.lower().replace("/", " ").replace("-", " ").split())


def refusal(key: str, allowed: Iterable[str]) -> str:
    """Why ``key`` is refused, naming the keys that are accepted."""
    return f"unknown or retired category {key[:50]!r} (use one of: {', '.join(sorted(allowed)) or 'none is active'})"


def checked_category(session: Session, text: str, current: str | None = None) -> str:
    """The key of an active category typed as ``text`` (see ``normalised_key``), or ``current`` unchanged: the value
    the record already has stays valid even when its category was retired since.

    :raises CategoryError: any other value, naming the accepted keys.
    """
    key = normalised_key(text)
    if current is not None and key == current:
        return current
    allowed = active_keys(session)
    if key not in allowed:
        raise CategoryError(refusal(key, [*allowed, *([current] if current else [])]))
    return key


def category_labels(session: Session) -> dict[str, str]:
    """Each known key's label, retired ones included, for showing stored keys."""
    return {c.key: c.label for c in session.scalars(select(HitCategory))}


def _label(text: str, limit: int) -> str:
    label = " ".join(text.split())
    if not label:
        raise CategoryError("give a label")
    if len(label) > limit:
        raise CategoryError(f"the label may have at most {limit} characters")
    return label


def _text(text: str, what: str) -> str:
    value = text.strip()
    if len(value) > TEXT_LENGTH:
        raise CategoryError(f"the {what} may have at most {TEXT_LENGTH} characters")
    return value


def create_category(session: Session, key: str, label: str, description: str, by: str) -> HitCategory:
    """A new active category.

    :raises CategoryError: a malformed or taken key, or a bad label or description.
    """
    key = key.strip().lower().replace(" ", "_").replace("-", "_")
    if not KEY.fullmatch(key):
        raise CategoryError("the key must be 2-50 lower-case letters, digits or underscores, starting with a letter")
    if session.scalars(select(HitCategory).where(HitCategory.key == key)).one_or_none() is not None:
        raise CategoryError(f"the category {key!r} exists already")
    category = HitCategory(key=key, label=_label(label, LABEL_LENGTH), description=_text(description, "description"),
                           active=True, updated_by=by)
    session.add(category)
    session.flush()
    return category


def update_category(session: Session, category: HitCategory, label: str, description: str, active: bool,
                    by: str) -> HitCategory:
    """Change a category's label, description and whether forms offer it (its key never changes: records hold it).

    :raises CategoryError: a bad label or description.
    """
    category.label = _label(label, LABEL_LENGTH)
    category.description = _text(description, "description")
    category.active, category.updated_by = active, by
    session.flush()
    return category


def severity_guides(session: Session) -> list[SeverityGuide]:
    """The guidance of every severity, most severe first."""
    rank = {severity: position for position, severity in enumerate(reversed(Severity))}
    return sorted(session.scalars(select(SeverityGuide)), key=lambda guide: rank[guide.severity])


def update_guide(session: Session, guide: SeverityGuide, label: str, description: str, handling: str,
                 by: str) -> SeverityGuide:
    """Change what a severity is called, what it means and how officers handle it.

    :raises CategoryError: a bad label, description or guidance.
    """
    guide.label = _label(label, SEVERITY_LABEL_LENGTH)
    guide.description = _text(description, "description")
    guide.handling = _text(handling, "handling guidance")
    guide.updated_by = by
    session.flush()
    return guide


def describe_category(category: HitCategory) -> dict[str, Any]:
    """A category for the audit trail's before and after."""
    return {"key": category.key, "label": category.label, "description": category.description,
            "active": category.active}


def describe_guide(guide: SeverityGuide) -> dict[str, Any]:
    """A severity's guidance for the audit trail's before and after."""
    return {"severity": str(guide.severity), "label": guide.label, "description": guide.description,
            "handling": guide.handling}
