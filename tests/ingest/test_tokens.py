"""API tokens: shown once, stored only as a hash, refused once revoked."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from gtas.ingest.tokens import TokenError, authenticate, create_token, list_tokens, revoke_token, token_hash
from gtas.model import ApiToken, Party, PartyKind


def test_created_token_authenticates_and_records_its_use(session: Session) -> None:
    token = create_token(session, "United Airlines", ["ua", " DL"])
    assert token.startswith("gtas_") and len(token) > 40
    found = authenticate(session, token)
    assert found is not None
    assert found.party.name == "United Airlines" and found.party.carriers == ["DL", "UA"]
    assert found.party.kind == PartyKind.AIRLINE
    assert found.last_used_at is not None and found.prefix == token[:12]


def test_plain_token_is_in_no_column(session: Session) -> None:
    token = create_token(session, "SITA", ["AF", "KL"], kind="provider")
    session.commit()
    for table in ("api_token", "party"):
        for row in session.execute(text(f"SELECT * FROM {table}")):
            assert not any(token in str(value) for value in row)
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == token_hash(token) and stored.token_hash != token


def test_revoked_token_is_refused(session: Session) -> None:
    token = create_token(session, "Delta", ["DL"])
    assert revoke_token(session, token[:12]).revoked_at is not None
    assert authenticate(session, token) is None


@pytest.mark.parametrize("wrong", ["", "gtas_", "gtas_not-a-token", "Bearer x", "x" * 500])
def test_unknown_token_is_refused(session: Session, wrong: str) -> None:
    create_token(session, "Delta", ["DL"])
    assert authenticate(session, wrong) is None


def test_second_token_of_a_party_widens_its_carriers(session: Session) -> None:
    first = create_token(session, "SITA", ["AF"], kind="provider")
    second = create_token(session, "SITA", ["KL"], kind="provider")
    assert first != second
    party = session.scalars(select(Party)).one()
    assert party.carriers == ["AF", "KL"] and len(party.tokens) == 2
    assert [t.party.name for t in list_tokens(session)] == ["SITA", "SITA"]


def test_revoke_by_id_and_ambiguous_prefix(session: Session) -> None:
    create_token(session, "A", ["AA"])
    create_token(session, "B", ["BA"])
    with pytest.raises(TokenError, match="2 tokens match"):
        revoke_token(session, "gtas_")
    with pytest.raises(TokenError, match="no token matches"):
        revoke_token(session, "nothing")
    first = list_tokens(session)[0]
    assert revoke_token(session, str(first.id)).revoked_at is not None


@pytest.mark.parametrize(("carriers", "kind", "reason"), [
    ([], "airline", "at least one carrier"),
    (["UNITED"], "airline", "not a carrier code"),
    (["UA"], "agency", "kind must be"),
])
def test_bad_requests_are_refused(session: Session, carriers: list[str], kind: str, reason: str) -> None:
    with pytest.raises(TokenError, match=reason):
        create_token(session, "X", carriers, kind)
