"""``gtas token``: issue, list and revoke the API tokens that airlines and providers push messages with."""

from __future__ import annotations

from datetime import datetime

import click

from gtas import config
from gtas.ingest.tokens import TokenError, create_token, list_tokens, revoke_token


@click.group("token")
def token() -> None:
    """Issue, list and revoke API tokens (only their hashes are stored)."""


@token.command("create")
@click.option("--party", required=True, help="Airline or service provider the token is for (created when new).")
@click.option("--carriers", required=True, help="IATA carrier codes it may send for, comma-separated: UA,DL")
@click.option("--kind", type=click.Choice(["airline", "provider"]), default="airline", show_default=True)
def create_command(party: str, carriers: str, kind: str) -> None:
    """Create a token and print it once.

    Example: gtas token create --party "United Airlines" --carriers UA
    """
    from gtas.ingest.batch import open_database

    sessions, engine = open_database(config.database_url())
    try:
        with sessions.begin() as session:
            secret = create_token(session, party, carriers.split(","), kind)
    except TokenError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(secret)
    click.secho("Keep this token now: it is stored only as a hash and cannot be shown again.", fg="yellow", err=True)


@token.command("revoke")
@click.argument("prefix")
def revoke_command(prefix: str) -> None:
    """Revoke the token with this display prefix (or id), as `gtas token list` shows it.

    Example: gtas token revoke gtas_Ab3dE9x
    """
    from gtas.ingest.batch import open_database

    sessions, engine = open_database(config.database_url())
    try:
        with sessions.begin() as session:
            revoked = revoke_token(session, prefix)
            click.echo(f"revoked {revoked.prefix} of {revoked.party.name}")
    except TokenError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()


@token.command("list")
def list_command() -> None:
    """List tokens: prefix, party, carriers, created, last used, revoked (never the token itself).

    Example: gtas token list
    """
    from gtas.ingest.batch import open_database

    sessions, engine = open_database(config.database_url())
    try:
        with sessions() as session:
            rows = [(t.id, t.prefix, t.party.name, ",".join(t.party.carriers), _when(t.created_at),
                     _when(t.last_used_at), _when(t.revoked_at)) for t in list_tokens(session)]
    finally:
        engine.dispose()
    for row in [("id", "prefix", "party", "carriers", "created", "last used", "revoked"), *rows]:
        click.echo(f"{row[0]:>5}  {row[1]:<12}  {row[2]:<24.24}  {row[3]:<12.12}  {row[4]:<16}  {row[5]:<16}  {row[6]}")


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "-"
