"""API tokens of the parties that push messages: created once, stored only as a hash, revocable.

A token is ``gtas_`` followed by 32 random bytes (URL-safe base64). With that much entropy a plain SHA-256 of the
token is as safe as a slow password hash: nobody can guess a token or invert the hash by trying candidates, so a
stolen ``api_token`` table gives no usable token, and the lookup by hash stays one indexed query per request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gtas.model import ApiToken, Party, PartyKind
from gtas.numbers import whole_number

TOKEN_PREFIX = "gtas_"
DISPLAY_CHARACTERS = 12  # what ``prefix`` keeps: "gtas_" and 7 random characters, enough to tell tokens apart


class TokenError(Exception):
    """A token operation that cannot be done, with the reason."""


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_carriers(carriers: Iterable[str]) -> list[str]:
    """IATA carrier codes, upper case, sorted, without repeats; a code that is not 2 or 3 letters/digits is refused."""
    codes = sorted({code.strip().upper() for code in carriers if code.strip()})
    bad = [code for code in codes if not (2 <= len(code) <= 3 and code.isalnum())]
    if bad:
        raise TokenError(f"not a carrier code: {', '.join(bad)} (use IATA codes such as UA, DL)")
    if not codes:
        raise TokenError("a token needs at least one carrier")
    return codes


def create_token(session: Session, party_name: str, carriers: list[str], kind: str = "airline") -> str:
    """A new token for the party (created when new; its carriers widened to these); the token is shown only now."""
    codes = normalise_carriers(carriers)
    try:
        party_kind = PartyKind(kind)
    except ValueError as exc:
        raise TokenError(f"kind must be airline or provider, not {kind!r}") from exc
    name = party_name.strip()
    if not name:
        raise TokenError("a token needs a party name")
    party = session.scalars(select(Party).where(Party.name == name)).one_or_none()
    if party is None:
        party = Party(name=name, kind=party_kind, carriers=codes)
        session.add(party)
    else:
        party.carriers = sorted(set(party.carriers) | set(codes))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    party.tokens.append(ApiToken(token_hash=token_hash(token), prefix=token[:DISPLAY_CHARACTERS]))
    session.flush()
    return token


def authenticate(session: Session, token: str) -> ApiToken | None:
    """The live token matching ``token`` (its last use recorded), or None when unknown or revoked."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    wanted = token_hash(token)
    found = session.scalars(select(ApiToken).options(selectinload(ApiToken.party))
                            .where(ApiToken.token_hash == wanted)).one_or_none()
    if found is None or not hmac.compare_digest(found.token_hash, wanted) or found.revoked_at is not None:
        return None
    found.last_used_at = datetime.now(UTC)
    session.flush()
    return found


def revoke_token(session: Session, prefix_or_id: str) -> ApiToken:
    """Revoke the one token with this display prefix (or id); refused when none or several match.

    :raises TokenError: no token, or more than one, matches.
    """
    query = select(ApiToken).options(selectinload(ApiToken.party))
    token_id = whole_number(prefix_or_id)
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    else:
        query = query.where(ApiToken.prefix.startswith(prefix_or_id[:DISPLAY_CHARACTERS], autoescape=True))
    matches = list(session.scalars(query))
    if not matches:
        raise TokenError(f"no token matches {prefix_or_id!r} (see `gtas token list`)")
    if len(matches) > 1:
        raise TokenError(f"{len(matches)} tokens match {prefix_or_id!r}: give the whole prefix or the id")
    token = matches[0]
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        session.flush()
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token with its party, oldest first."""
    return list(session.scalars(select(ApiToken).options(selectinload(ApiToken.party)).order_by(ApiToken.id)))
