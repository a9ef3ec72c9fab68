"""Parties that push messages (airlines, service providers): their details, onboarding state, feed and tokens.

Onboarding runs registered → testing → live API → live PNR; moving to a state dates it (and the states before it,
when skipped), moving back clears the dates of the states left. Nothing here knows Flask.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from gtas.ingest.tokens import TokenError, normalise_carriers
from gtas.model import ApiToken, Message, OnboardingState, Party, PartyKind
from gtas.web.admin.people import clean_email
from gtas.web.auth.accounts import AccountError

NAME_LENGTH = 100
PHONE = re.compile(r"\+?[0-9 ()./-]{4,40}")
SINCE = {OnboardingState.TESTING: "testing_since", OnboardingState.LIVE_API: "live_api_since",
         OnboardingState.LIVE_PNR: "live_pnr_since"}
ORDER = list(OnboardingState)


class PartyError(ValueError):
    """A party change that cannot be made, with the reason."""


@dataclass(frozen=True, slots=True)
class PartyDetails:
    """What an administrator types about a party."""

    name: str
    kind: PartyKind
    carriers: list[str]
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    grace_period_end: date | None


@dataclass(frozen=True, slots=True)
class Feed:
    """The last message a party sent, of any type and per type."""

    last_at: datetime | None
    last_api_at: datetime | None
    last_pnr_at: datetime | None


def read_details(form: Mapping[str, str]) -> PartyDetails:
    """The party's details from form fields, checked.

    :raises PartyError: a missing name, unknown kind, bad carrier code, e-mail, phone or date.
    """
    name = " ".join(form.get("name", "").split())
    if not name or len(name) > NAME_LENGTH:
        raise PartyError(f"give the party a name of at most {NAME_LENGTH} characters")
    try:
        kind = PartyKind(form.get("kind", ""))
    except ValueError:
        raise PartyError("choose whether the party is an airline or a service provider") from None
    try:
        carriers = normalise_carriers(re.split(r"[\s,;]+", form.get("carriers", "")))
    except TokenError as exc:
        raise PartyError(str(exc).replace("a token needs", "a party needs")) from None
    phone = form.get("contact_phone", "").strip() or None
    if phone is not None and not PHONE.fullmatch(phone):
        raise PartyError(f"{phone[:40]!r} is not a phone number (digits, spaces, + ( ) . / -)")
    contact = " ".join(form.get("contact_name", "").split()) or None
    if contact is not None and len(contact) > NAME_LENGTH:
        raise PartyError(f"the contact's name may have at most {NAME_LENGTH} characters")
    try:
        email = clean_email(form.get("contact_email", ""))
    except AccountError as exc:
        raise PartyError(str(exc)) from None
    grace = form.get("grace_period_end", "").strip()
    try:
        grace_end = date.fromisoformat(grace) if grace else None
    except ValueError:
        raise PartyError(f"the grace period's end must be a date like 2030-01-31, not {grace[:20]!r}") from None
    return PartyDetails(name, kind, carriers, contact, email, phone, grace_end)


def _name_taken(session: Session, name: str) -> bool:
    return session.scalars(select(Party).where(Party.name == name)).one_or_none() is not None


def create_party(session: Session, details: PartyDetails) -> Party:
    """A new party, registered.

    :raises PartyError: the name is taken.
    """
    if _name_taken(session, details.name):
        raise PartyError(f"a party named {details.name!r} exists already")
    party = Party(name=details.name, kind=details.kind, carriers=details.carriers, state=OnboardingState.REGISTERED)
    _apply(party, details)
    session.add(party)
    session.flush()
    return party


def update_party(session: Session, party: Party, details: PartyDetails) -> Party:
    """Change a party's kind, carriers, contact and grace period; its name stays (messages are filed under it)."""
    party.kind, party.carriers = details.kind, details.carriers
    _apply(party, details)
    session.flush()
    return party


def _apply(party: Party, details: PartyDetails) -> None:
    party.contact_name, party.contact_email = details.contact_name, details.contact_email
    party.contact_phone, party.grace_period_end = details.contact_phone, details.grace_period_end


def move(session: Session, party: Party, state: str, now: datetime) -> Party:
    """Put the party in an onboarding state, dating the states reached and clearing those left.

    :raises PartyError: an unknown state, or the state it is in.
    """
    try:
        target = OnboardingState(state)
    except ValueError:
        raise PartyError(f"choose a state among {', '.join(s.label for s in OnboardingState)}") from None
    if target == party.state:
        raise PartyError(f"{party.name} is {target.label} already")
    for reached, attribute in SINCE.items():
        if ORDER.index(reached) <= ORDER.index(target):
            if getattr(party, attribute) is None:
                setattr(party, attribute, now)
        else:
            setattr(party, attribute, None)
    party.state = target
    session.flush()
    return party


def list_parties(session: Session) -> list[Party]:
    """Every party with its tokens, by name."""
    return list(session.scalars(select(Party).options(selectinload(Party.tokens)).order_by(Party.name)))


def feeds(session: Session, names: Collection[str] | None = None) -> dict[str, Feed]:
    """Per sending party's name (only ``names`` when given), when its last message, last API list and last PNR push
    arrived."""
    sent = Message.submitter.is_not(None) if names is None else Message.submitter.in_(names)
    latest: dict[str, dict[str | None, datetime]] = {}
    for submitter, kind, received in session.execute(
            select(Message.submitter, Message.type, func.max(Message.received_at))
            .where(sent).group_by(Message.submitter, Message.type)):
        if submitter is not None:
            latest.setdefault(submitter, {})[kind] = received
    return {name: Feed(max(times.values()), times.get("PAXLST"), times.get("PNRGOV"))
            for name, times in latest.items()}


def party_token(session: Session, party: Party, token_id: int) -> ApiToken | None:
    """The party's token with this id, or None."""
    token = session.get(ApiToken, token_id)
    return token if token is not None and token.party_id == party.id else None


def describe(party: Party) -> dict[str, Any]:
    """A party for the audit trail's before and after."""
    return {"name": party.name, "kind": str(party.kind), "carriers": party.carriers,
            "contact_name": party.contact_name, "contact_email": party.contact_email,
            "contact_phone": party.contact_phone, "state": str(party.state),
            "grace_period_end": party.grace_period_end.isoformat() if party.grace_period_end else None}
