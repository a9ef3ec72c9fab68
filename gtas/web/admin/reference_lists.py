"""Reference lists rules test membership of: items checked against the airport and country tables for those kinds,
names fixed once rules may use them, and no list deleted while a rule names it. Nothing here knows Flask."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import Airport, Country, ReferenceKind, ReferenceList, Rule, RuleVersion

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}")
MAX_ITEMS = 10_000
ITEM_LENGTH = 100
DESCRIPTION_LENGTH = 4000


class ReferenceListError(ValueError):
    """A reference list change that cannot be made, with the reason."""


def split_items(text: str) -> list[str]:
    """The items typed in a text area: one per line or separated by commas, blanks dropped."""
    return [item.strip() for item in re.split(r"[\n,;]+", text) if item.strip()]


def check_items(session: Session, kind: ReferenceKind, items: list[str]) -> list[str]:
    """Items as stored, sorted without repeats: IATA airport codes or ISO alpha-3 country codes (alpha-2 codes are
    turned into alpha-3) that the reference tables know; text items as typed.

    :raises ReferenceListError: an unknown code, an item too long, or too many items.
    """
    if len(items) > MAX_ITEMS:
        raise ReferenceListError(f"a list may hold at most {MAX_ITEMS} items")
    if kind is ReferenceKind.TEXT:
        long = [item for item in items if len(item) > ITEM_LENGTH]
        if long:
            raise ReferenceListError(f"items may have at most {ITEM_LENGTH} characters: {long[0][:40]!r}…")
        return sorted(set(items), key=lambda item: (item.casefold(), item))
    codes = {item.upper() for item in items}
    if kind is ReferenceKind.AIRPORT:
        known = set(session.scalars(select(Airport.iata).where(Airport.iata.in_(codes))))
        unknown = sorted(codes - known)
        if unknown:
            raise ReferenceListError(f"unknown airport code {', '.join(unknown[:20])} (use IATA codes such as JFK)")
        return sorted(codes)
    alpha3 = {alpha2: code for alpha2, code in session.execute(
        select(Country.alpha2, Country.alpha3).where(Country.alpha2.in_(codes)))}
    wanted = {alpha3.get(code, code) for code in codes}
    known = set(session.scalars(select(Country.alpha3).where(Country.alpha3.in_(wanted))))
    unknown = sorted(wanted - known)
    if unknown:
        raise ReferenceListError(f"unknown country code {', '.join(unknown[:20])} (use ISO codes such as FRA or FR)")
    return sorted(wanted)


def _description(text: str) -> str:
    description = text.strip()
    if len(description) > DESCRIPTION_LENGTH:
        raise ReferenceListError(f"the description may have at most {DESCRIPTION_LENGTH} characters")
    return description


def create_list(session: Session, name: str, kind: str, description: str, items: list[str],
                by: str) -> ReferenceList:
    """A new reference list.

    :raises ReferenceListError: a bad or taken name, an unknown kind, or bad items.
    """
    name = " ".join(name.split())
    if not NAME.fullmatch(name):
        raise ReferenceListError("the name must be 1-100 letters, digits, spaces, '.', '_' or '-'")
    try:
        list_kind = ReferenceKind(kind)
    except ValueError:
        raise ReferenceListError(f"choose the kind among {', '.join(k.value for k in ReferenceKind)}") from None
    if session.scalars(select(ReferenceList).where(ReferenceList.name == name)).one_or_none() is not None:
        raise ReferenceListError(f"a reference list named {name!r} exists already")
    reference = ReferenceList(name=name, kind=list_kind, description=_description(description),
                              items=check_items(session, list_kind, items), updated_by=by)
    session.add(reference)
    session.flush()
    return reference


def update_list(session: Session, reference: ReferenceList, description: str, items: list[str],
                by: str) -> ReferenceList:
    """Replace a list's description and items (its name and kind stay: rules name it and rely on its kind).

    :raises ReferenceListError: bad items or description.
    """
    reference.description = _description(description)
    reference.items = check_items(session, reference.kind, items)
    reference.updated_by = by
    session.flush()
    return reference


def _named_lists(tree: Any) -> Iterator[str]:
    """The reference lists a condition tree names."""
    if isinstance(tree, dict):
        if tree.get("operator") == "in_reference_list" and isinstance(tree.get("value"), str):
            yield tree["value"]
        for value in tree.values():
            yield from _named_lists(value)
    elif isinstance(tree, list):
        for member in tree:
            yield from _named_lists(member)


def rules_using(session: Session, name: str) -> list[str]:
    """Keys of the rules whose current version names the list."""
    current = select(Rule.key, RuleVersion.conditions).join(
        RuleVersion, (RuleVersion.rule_id == Rule.id) & (RuleVersion.number == Rule.version))
    return sorted(key for key, conditions in session.execute(current) if name in set(_named_lists(conditions)))


def delete_list(session: Session, reference: ReferenceList) -> None:
    """Delete a list no rule names.

    :raises ReferenceListError: rules name it.
    """
    users = rules_using(session, reference.name)
    if users:
        raise ReferenceListError(f"rules {', '.join(users)} use this list; change them first")
    session.delete(reference)
    session.flush()


def describe(reference: ReferenceList) -> dict[str, Any]:
    """A list for the audit trail's before and after."""
    return {"name": reference.name, "kind": str(reference.kind), "description": reference.description,
            "items": list(reference.items)}
