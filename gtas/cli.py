"""The ``gtas`` command line: a thin shell over the library."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from gtas import config
from gtas.demo import demo_command
from gtas.parsers import parse
from gtas.parsers.records import Diagnostic, Message, ParsedFile, to_jsonable
from gtas.rules.rules_cli import rules
from gtas.rules.screen_cli import screen
from gtas.rules.watchlist_cli import watchlist
from gtas.serve import serve_command
from gtas.token_cli import token
from gtas.user_cli import user
from gtas.worker import publish_command, worker_command

MAX_FILE_BYTES = 64 * 1024 * 1024


@click.group()
@click.version_option(package_name="gtas")
def cli() -> None:
    """GTAS: passenger-data risk assessment (API and PNR intake, screening, triage)."""


cli.add_command(token)
cli.add_command(screen)
cli.add_command(user)
cli.add_command(watchlist)
cli.add_command(rules)
cli.add_command(serve_command)
cli.add_command(worker_command)
cli.add_command(publish_command)
cli.add_command(demo_command)


@cli.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object {files: [...]} instead of a summary.")
def parse_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Parse PAXLST / PNRGOV messages (EDIFACT or XML) and show what they say.

    Folders are read file by file (hidden and Markdown files left out). Exit status 0 when every file was read
    (warnings allowed), 1 when a file could not be read at all.

    Example: gtas parse sample_messages/*.edi --json
    """
    card_key = config.card_key()
    results = [(path, _parse_file(path, card_key)) for path in _expand(files)]
    if as_json:
        payload = {"files": [_file_json(path, result) for path, result in results]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        for path, result in results:
            _print_summary(path, result)
    if any(not result.readable for _, result in results):
        raise SystemExit(1)


@cli.command("generate")
@click.argument("kind", type=click.Choice(["paxlst", "pnrgov"]))
@click.option("--flights", type=click.IntRange(1, 100_000), default=10, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--start", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]), default=None,
              help="First departure day (default: tomorrow).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("generated"),
              show_default=True, help="Folder to write the messages into.")
def generate_command(kind: str, flights: int, seed: int, start: datetime | None, out: Path) -> None:
    """Write realistic, varied API (paxlst) or PNR (pnrgov) traffic for N flights.

    Example: gtas generate pnrgov --flights 20 --seed 7 --out /tmp/traffic
    """
    from gtas.generator import generate

    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, text in generate(kind, flights, seed, start):  # type: ignore[arg-type]
        (out / name).write_text(text, encoding="utf-8")
        count += 1
    click.echo(f"wrote {count} {kind.upper()} files for {flights} flights to {out}")


@cli.command("init")
def init_command() -> None:
    """Create or migrate the database at GTAS_DATABASE_URL and load the reference data; safe to run again.

    Example: GTAS_DATABASE_URL=postgresql://gtas@db.example/gtas gtas init
    """
    from sqlalchemy.exc import SQLAlchemyError

    from gtas import db, reference

    config.home().mkdir(parents=True, exist_ok=True)
    url = db.normalise_url(config.database_url())
    db.make_sqlite_folder(url)
    click.echo(f"database: {url.render_as_string(hide_password=True)}")
    engine = db.make_engine(url)
    try:
        before = db.current_revision(engine)
        db.upgrade(engine)
        after = db.current_revision(engine)
        with db.make_sessionmaker(engine).begin() as session:
            counts = reference.load_reference_data(session)
    except SQLAlchemyError as exc:
        raise click.ClickException(f"database error: {exc}") from exc
    finally:
        engine.dispose()
    if before is None:
        click.echo(f"schema: created at revision {after}")
    elif before != after:
        click.echo(f"schema: migrated from revision {before} to {after}")
    else:
        click.echo(f"schema: up to date (revision {after})")
    if counts.unchanged:
        click.echo("reference data: up to date")
    else:
        for name in counts.added:
            click.echo(f"reference data: {name}: {counts.added[name]} added, {counts.changed[name]} updated")
    click.echo("nothing to do: already initialised" if before == after and counts.unchanged else "done")


def _expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders replaced by the files inside them (sorted), leaving out hidden and Markdown files."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir()
                              if p.is_file() and not p.name.startswith(".") and p.suffix != ".md"))
        else:
            out.append(path)
    return out


def _parse_file(path: Path, card_key: bytes) -> ParsedFile:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _unreadable(f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")
        data = path.read_bytes()
    except OSError as exc:
        return _unreadable(f"cannot read file: {exc.strerror or exc}")
    try:
        return parse(data, card_key=card_key)
    except Exception as exc:
        return _unreadable(f"internal error while parsing ({type(exc).__name__}: {exc}); please report it")


def _unreadable(reason: str) -> ParsedFile:
    return ParsedFile(errors=[Diagnostic(reason, severity="error")])


def _file_json(path: Path, result: ParsedFile) -> dict[str, Any]:
    return {
        "path": str(path),
        "messages": [to_jsonable(message) for message in result.messages],
        "warnings": to_jsonable(result.warnings),
        "errors": to_jsonable(result.errors),
    }


def _where(d: Diagnostic) -> str:
    parts = []
    if d.line is not None:
        parts.append(f"line {d.line}:{d.column}")
    if d.tag:
        parts.append(d.tag)
    return f" ({', '.join(parts)})" if parts else ""


def _print_summary(path: Path, result: ParsedFile) -> None:
    click.secho(str(path), bold=True)
    for message in result.messages:
        click.echo("  " + _message_line(message))
        for warning in message.warnings:
            click.echo(f"    warning{_where(warning)}: {warning.message}")
    for warning in result.warnings:
        click.echo(f"  warning{_where(warning)}: {warning.message}")
    for error in result.errors:
        click.secho(f"  error{_where(error)}: {error.message}", fg="red")


def _message_line(message: Message) -> str:
    legs = ", ".join(
        f"{leg.carrier or '?'}{leg.number or '?'} {leg.origin or '?'}→{leg.destination or '?'}"
        + (f" {leg.departure:%Y-%m-%d %H:%M}" if leg.departure else "")
        for leg in message.flights
    ) or "no flight"
    part = f"part {message.part.sequence}{' (final)' if message.part.final else ''}"
    if message.type == "PAXLST":
        what = f"{message.list_type or 'API'} list, {len(message.travellers)} travellers"
    else:
        people = sum(len(p.travellers) for p in message.pnrs)
        what = f"{len(message.pnrs)} PNRs, {people} travellers"
    return f"{message.type} {message.version or ''}  {part}  {legs}  {what}"


@cli.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def ingest_command(paths: tuple[Path, ...]) -> None:
    """Store and load API / PNR message files (folders are read file by file) into GTAS_DATABASE_URL.

    Each file is received on channel "cli", parsed and loaded in its own transaction; a summary follows.

    Example: gtas ingest sample_messages/
    """
    from gtas.ingest.batch import IngestSummary, ingest_file, open_database
    from gtas.rules.loaded import assess_loaded

    files = _expand(paths)
    sessions, engine = open_database(config.database_url())
    summary = IngestSummary()
    card_key, home_country = config.card_key(), config.home_country()
    try:
        with click.progressbar(files, label="ingesting", item_show_func=lambda p: p.name if p else None) as bar:
            for path in bar:
                ingest_file(sessions, path, card_key, home_country, summary, max_bytes=MAX_FILE_BYTES)
        summary.assessed = assess_loaded(sessions, limit=None)
    finally:
        engine.dispose()
    for label, value in summary.rows():
        click.echo(f"{label:<12}{value:>10}")
    if summary.failed:
        raise SystemExit(1)
