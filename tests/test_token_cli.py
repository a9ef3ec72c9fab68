"""``gtas token create | list | revoke`` against a migrated database from the environment."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import text

from gtas import db
from gtas.cli import cli
from gtas.ingest.tokens import authenticate


def test_create_list_revoke(database: str) -> None:
    runner = CliRunner()
    created = runner.invoke(cli, ["token", "create", "--party", "SITA", "--carriers", "af,KL", "--kind", "provider"])
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("gtas_") and "cannot be shown again" in created.stderr

    listed = runner.invoke(cli, ["token", "list"])
    assert listed.exit_code == 0 and token[:12] in listed.output and "AF,KL" in listed.output
    assert token not in listed.output

    revoked = runner.invoke(cli, ["token", "revoke", token[:12]])
    assert revoked.exit_code == 0 and f"revoked {token[:12]} of SITA" in revoked.output
    engine = db.make_engine(database)
    try:
        with db.make_sessionmaker(engine)() as session:
            assert authenticate(session, token) is None
            assert session.scalar(text("SELECT count(*) FROM api_token WHERE revoked_at IS NOT NULL")) == 1
    finally:
        engine.dispose()


def test_bad_input_is_a_clear_error(database: str) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["token", "create", "--party", "X", "--carriers", "UNITED"])
    assert bad.exit_code == 1 and "not a carrier code: UNITED" in bad.output
    unknown = runner.invoke(cli, ["token", "revoke", "gtas_nothing"])
    assert unknown.exit_code == 1 and "no token matches" in unknown.output
