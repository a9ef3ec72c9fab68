"""Carriers and data providers: the list with onboarding state and feed, details, state changes, and API tokens
(a new token is shown once; revoked tokens stop working at once)."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas.ingest.tokens import TokenError, create_token, revoke_token
from gtas.model import OnboardingState, Party, PartyKind
from gtas.model.base import utcnow
from gtas.web import audit
from gtas.web.admin import onboarding
from gtas.web.admin.common import CHANGERS, READERS, bp, done
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.database import get_session, row_or_404


@bp.get("/parties")
@roles(*READERS)
def parties() -> str:
    """Every airline and provider: carriers, onboarding state, grace period, live tokens, last messages."""
    session = get_session()
    return render_template("admin/parties.html", parties=onboarding.list_parties(session),
                           feeds=onboarding.feeds(session), may_change=signed_in_user().has_role(*CHANGERS),
                           today=utcnow().date())


@bp.get("/parties/new")
@roles(*CHANGERS)
def new_party() -> str:
    """The form for a new airline or provider."""
    return render_template("admin/party_form.html", party=None, form={}, kinds=list(PartyKind), problems=[])


@bp.post("/parties")
@roles(*CHANGERS)
def create_party() -> ResponseReturnValue:
    """Register an airline or provider (it needs a token before it can send)."""
    session = get_session()
    try:
        party = onboarding.create_party(session, onboarding.read_details(request.form))
    except onboarding.PartyError as exc:
        session.rollback()
        return render_template("admin/party_form.html", party=None, form=request.form, kinds=list(PartyKind),
                               problems=[str(exc)]), 400
    audit.record("party.create", object_kind="party", object_id=party.id, after=onboarding.describe(party))
    session.commit()
    flash(f"{party.name} is registered. Create a token for it to send messages.", "info")
    return done(url_for("admin.party", party_id=party.id))


def _party_page(party: Party, form: object, problems: list[str], token: str | None = None) -> str:
    return render_template("admin/party.html", party=party, form=form, kinds=list(PartyKind),
                           states=list(OnboardingState), problems=problems, new_token=token,
                           feed=onboarding.feeds(get_session(), [party.name]).get(party.name),
                           tokens=sorted(party.tokens, key=lambda t: t.id, reverse=True),
                           may_change=signed_in_user().has_role(*CHANGERS))


@bp.get("/parties/<int:party_id>")
@roles(*READERS)
def party(party_id: int) -> str:
    """A party's details, onboarding state, feed and tokens; administrators change them here."""
    return _party_page(row_or_404(Party, party_id), {}, [])


@bp.post("/parties/<int:party_id>")
@roles(*CHANGERS)
def update_party(party_id: int) -> ResponseReturnValue:
    """Change a party's kind, carriers, contact and grace period."""
    session = get_session()
    changed = row_or_404(Party, party_id)
    before = onboarding.describe(changed)
    try:
        onboarding.update_party(session, changed, onboarding.read_details({**request.form, "name": changed.name}))
    except onboarding.PartyError as exc:
        session.rollback()
        return _party_page(row_or_404(Party, party_id), request.form, [str(exc)]), 400
    audit.record("party.update", object_kind="party", object_id=changed.id, before=before,
                 after=onboarding.describe(changed))
    session.commit()
    flash(f"{changed.name} is saved.", "info")
    return done(url_for("admin.party", party_id=party_id))


@bp.post("/parties/<int:party_id>/state")
@roles(*CHANGERS)
def move_party(party_id: int) -> ResponseReturnValue:
    """Move a party to another onboarding state (field ``state``)."""
    session = get_session()
    changed = row_or_404(Party, party_id)
    before = {**onboarding.describe(changed), **_dates(changed)}
    try:
        onboarding.move(session, changed, request.form.get("state", ""), utcnow())
    except onboarding.PartyError as exc:
        session.rollback()
        flash(f"Not done: {exc}.", "error")
        return done(url_for("admin.party", party_id=party_id))
    audit.record("party.state", object_kind="party", object_id=changed.id, before=before,
                 after={**onboarding.describe(changed), **_dates(changed)})
    session.commit()
    flash(f"{changed.name} is now {changed.state.label}.", "info")
    return done(url_for("admin.party", party_id=party_id))


def _dates(party: Party) -> dict[str, str | None]:
    return {name: moment.isoformat() if (moment := getattr(party, name)) else None
            for name in onboarding.SINCE.values()}


@bp.post("/parties/<int:party_id>/tokens")
@roles(*CHANGERS)
def create_party_token(party_id: int) -> ResponseReturnValue:
    """Create an API token for the party, shown once on the answer (only its hash is kept)."""
    session = get_session()
    owner = row_or_404(Party, party_id)
    try:
        secret = create_token(session, owner.name, owner.carriers, str(owner.kind))
    except TokenError as exc:
        session.rollback()
        flash(f"Not done: {exc}.", "error")
        return done(url_for("admin.party", party_id=party_id))
    token = max(owner.tokens, key=lambda t: t.id)
    audit.record("token.create", object_kind="api_token", object_id=token.id,
                 after={"party": owner.name, "prefix": token.prefix, "carriers": owner.carriers})
    session.commit()
    return _party_page(owner, {}, [], secret)


@bp.post("/parties/<int:party_id>/tokens/<int:token_id>/revoke")
@roles(*CHANGERS)
def revoke_party_token(party_id: int, token_id: int) -> ResponseReturnValue:
    """Revoke one of the party's tokens: requests with it are refused from now on."""
    session = get_session()
    owner = row_or_404(Party, party_id)
    token = onboarding.party_token(session, owner, token_id)
    if token is None:
        abort(404)
    if token.revoked_at is None:
        revoke_token(session, str(token.id))
        audit.record("token.revoke", object_kind="api_token", object_id=token.id,
                     before={"party": owner.name, "prefix": token.prefix, "revoked_at": None},
                     after={"party": owner.name, "prefix": token.prefix,
                            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None})
        session.commit()
    flash(f"Token {token.prefix}… is revoked.", "info")
    return done(url_for("admin.party", party_id=party_id))
