"""``gtas watchlist``: import a CSV or Excel file as a list's content (with a dry run), export a list, show lists."""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gtas import config
from gtas.model.watchlist import EntryAction, WatchlistSeverity

if TYPE_CHECKING:  # the file module imports pandas: only the commands that read or write files load it
    from gtas.rules.watchlist_file import EntryRow
    from gtas.rules.watchlists import ImportPlan

SHOWN_CHANGES = 1000


@click.group("watchlist")
def watchlist() -> None:
    """Import, export and list watchlists."""


@watchlist.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--list", "name", required=True, help="Name of the list; created when new.")
@click.option("--dry-run", is_flag=True, help="Show what would change and the errors; write nothing.")
@click.option("--category", default=None,
              help="Category of a new list: the key of an active hit category (default: other).")
@click.option("--severity", type=click.Choice([s.value for s in WatchlistSeverity]), default=None,
              help="Severity of a new list (default: high).")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of a CSV file.")
@click.option("--by", "who", default=None, help="Who makes the change, for the history (default: the OS user).")
def import_command(file: Path, name: str, dry_run: bool, category: str | None, severity: str | None,
                   encoding: str, who: str | None) -> None:
    """Make the list's entries those of FILE: rows are added or changed by reference, entries the file no longer
    has are removed. Nothing is written when the file has errors.

    Example: gtas watchlist import wanted.xlsx --list "Interpol red notices" --category wanted --dry-run
    """
    from sqlalchemy.exc import IntegrityError

    from gtas.categories import CategoryError, checked_category
    from gtas.ingest.batch import open_database
    from gtas.rules.watchlist_file import read_watchlist_file
    from gtas.rules.watchlists import (
        DEFAULT_CATEGORY,
        WatchlistError,
        apply_import,
        create_watchlist,
        find_watchlist,
        plan_import,
    )

    who = who or _os_user()
    read = read_watchlist_file(file, encoding=encoding)
    sessions, engine = open_database(config.database_url())
    try:
        with sessions.begin() as session:
            existing = find_watchlist(session, name, lock=not dry_run)
            if existing is not None and (category or severity):
                raise click.ClickException(f"--category and --severity set up a new list; {name!r} exists already")
            if existing is None:  # checked before the dry run too
                checked_category(session, category or DEFAULT_CATEGORY)
            plan = plan_import(session, existing, name, read.rows, read.errors)
            _print_plan(plan)
            if plan.errors:
                raise click.ClickException(f"{len(plan.errors)} errors in {file}; nothing was imported")
            if dry_run:
                click.echo("dry run: nothing was written")
                return
            target = existing or create_watchlist(
                session, name, category=category or DEFAULT_CATEGORY,
                severity=WatchlistSeverity(severity or WatchlistSeverity.HIGH), source=file.name, owner=who)
            version = apply_import(session, target, plan, who=who)
            click.echo(f"{'created' if existing is None else 'updated'} list {target.name!r}, now version {version}")
    except (WatchlistError, CategoryError) as exc:
        raise click.ClickException(str(exc)) from exc
    except IntegrityError as exc:  # two imports created the same new list at once
        raise click.ClickException(f"list {name!r} was changed by another import meanwhile; run again") from exc
    finally:
        engine.dispose()


@watchlist.command("export")
@click.option("--list", "name", required=True, help="Name of the list.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write: .csv or .xlsx (default: CSV on standard output).")
def export_command(name: str, out: Path | None) -> None:
    """Write the list's active entries in the import format.

    Example: gtas watchlist export --list "Interpol red notices" --out red-notices.xlsx
    """
    from gtas.ingest.batch import open_database
    from gtas.rules.watchlist_file import csv_text, write_watchlist_file
    from gtas.rules.watchlists import export_rows, find_watchlist

    sessions, engine = open_database(config.database_url())
    try:
        with sessions() as session:
            found = find_watchlist(session, name)
            if found is None:
                raise click.ClickException(f"no list named {name!r} (see `gtas watchlist lists`)")
            rows = export_rows(session, found)
    finally:
        engine.dispose()
    if out is None:
        click.echo(csv_text(rows), nl=False)
        return
    try:
        write_watchlist_file(out, rows)
    except (ValueError, OSError) as exc:
        raise click.ClickException(f"cannot write {out}: {exc}") from exc
    click.echo(f"wrote {len(rows)} entries to {out}", err=True)


@watchlist.command("lists")
def lists_command() -> None:
    """Show every list: name, category, severity, version, active entries, enabled, owner.

    Example: gtas watchlist lists
    """
    from gtas.ingest.batch import open_database
    from gtas.rules.watchlists import list_watchlists

    sessions, engine = open_database(config.database_url())
    try:
        with sessions() as session:
            rows = [(w.name, w.category, w.severity.value, str(w.version), str(active),
                     "yes" if w.enabled else "no", w.owner or "") for w, active in list_watchlists(session)]
    finally:
        engine.dispose()
    _print_table(("list", "category", "severity", "version", "entries", "enabled", "owner"), rows)


def _print_plan(plan: ImportPlan) -> None:
    """The changes as a table (the first SHOWN_CHANGES), the errors as another, then the counts."""
    if plan.changes:
        rows = [(change.action.value, str(change.after.row) if change.after else "",
                 change.reference, _name(change.after or change.before), ", ".join(change.fields))
                for change in plan.changes[:SHOWN_CHANGES]]
        _print_table(("action", "row", "reference", "name", "changed fields"), rows)
        if len(plan.changes) > SHOWN_CHANGES:
            click.echo(f"… and {len(plan.changes) - SHOWN_CHANGES} more changes")
    if plan.errors:
        _print_table(("row", "column", "value", "error"),
                     [(str(e.row), e.column, e.value, e.reason) for e in plan.errors], err=True)
    click.echo(f"list {plan.watchlist!r}: {plan.count(EntryAction.ADDED)} added, "
               f"{plan.count(EntryAction.CHANGED)} changed, {plan.count(EntryAction.REMOVED)} removed, "
               f"{plan.unchanged} unchanged, {len(plan.errors)} errors")


def _name(row: EntryRow | None) -> str:
    if row is None:
        return ""
    if row.full_name or row.surname:
        return row.full_name or f"{row.surname}, {row.given_names or ''}".rstrip(", ")
    return f"document {row.documents[0].number}" if row.documents else ""


def _print_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], *, err: bool = False) -> None:
    """Rows under a header, each column as wide as its widest cell (at most 40 characters; the last one in full)."""
    widths = [min(40, max(len(cell) for cell in column)) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        cells = [f"{_printable(cell)[:width]:<{width}}" for cell, width in zip(row[:-1], widths, strict=False)]
        click.echo("  ".join([*cells, _printable(row[-1])]).rstrip(), err=err)


def _printable(text: str) -> str:
    """Text safe for a terminal: control characters (escape sequences) shown as "?"."""
    return "".join(character if character.isprintable() else "?" for character in text)


def _os_user() -> str:
    """The operating-system user running the command, for the history."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
