"""``gtas screen``: batch-screen a CSV of travellers against a CSV watchlist with the system's matcher.

Both files are read and validated like a watchlist import (gtas.rules.watchlist_file): the travellers' file has an
``id`` column instead of ``reference`` and the same person columns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import pandas as pd

from gtas.rules.matching.index import WatchlistIndex, screen_all
from gtas.rules.matching.score import DEFAULT_THRESHOLD
from gtas.rules.watchlist_file import EntryRow, ReadResult, RowError, read_watchlist_file, validate_rows
from gtas.rules.watchlists import person_record


@click.command("screen")
@click.option("--watchlist", "watchlist_path", required=True, type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Watchlist CSV or Excel file (the import columns).")
@click.option("--travellers", "travellers_path", required=True, type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Travellers CSV: id plus the watchlist's person columns.")
@click.option("--json", "as_json", is_flag=True, help='Print {"matches": [...]} with the explanations.')
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=DEFAULT_THRESHOLD, show_default=True,
              help="Lowest score reported as a match.")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Worker processes for large files.")
def screen(watchlist_path: Path, travellers_path: Path, as_json: bool, threshold: float, processes: int) -> None:
    """Screen every traveller against every watchlist entry and print the matches, best first per traveller.

    Exit status 0 when the files were read (with or without matches), 2 when a file or row is invalid.

    Example: gtas screen --watchlist list.csv --travellers manifest.csv --json
    """
    entries = _checked(watchlist_path, read_watchlist_file(watchlist_path))
    travellers = _checked(travellers_path, read_travellers(travellers_path))
    index = WatchlistIndex((row.reference, person_record(row)) for row in entries)
    people = [person_record(row) for row in travellers]
    matches = [
        {"traveller": row.reference, "entry": match.entry, "score": round(match.score, 3),
         "explanation": match.explanation}
        for row, found in zip(travellers, screen_all(index, people, threshold, processes), strict=True)
        for match in found
    ]
    if as_json:
        click.echo(json.dumps({"matches": matches}, ensure_ascii=False, indent=1))
    else:
        _print_table(matches, len(people), len(index), threshold)


def read_travellers(path: Path) -> ReadResult:
    """Traveller rows of a CSV file (``id`` plus person columns), validated like watchlist rows."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return ReadResult(errors=[RowError(1, "", f"not a readable UTF-8 CSV file: {exc}".splitlines()[0])])
    header = [str(name).strip().lower() for name in frame.columns]
    if "id" not in header:
        return ReadResult(errors=[RowError(1, "id", "missing column")])
    if "reference" in header:
        return ReadResult(errors=[RowError(1, "reference", "a travellers file identifies people by id")])
    frame.columns = ["reference" if name == "id" else name for name in header]
    result = validate_rows(frame)
    for position, error in enumerate(result.errors):
        if error.column == "reference":
            result.errors[position] = RowError(error.row, "id", error.reason.replace("reference", "id"), error.value)
    return result


def _checked(path: Path, result: ReadResult) -> list[EntryRow]:
    """The rows, or exit status 2 after printing every error with its row and column."""
    if result.errors:
        for error in result.errors[:50]:
            value = f" ({error.value})" if error.value else ""
            click.echo(f"{path}: row {error.row}, column {error.column or '-'}: {error.reason}{value}", err=True)
        if len(result.errors) > 50:
            click.echo(f"{path}: … and {len(result.errors) - 50} more errors", err=True)
        raise SystemExit(2)
    return result.rows


def _print_table(matches: list[dict[str, Any]], travellers: int, entries: int, threshold: float) -> None:
    click.echo(f"screened {travellers} travellers against {entries} entries: {len(matches)} matches "
               f"at threshold {threshold}")
    if not matches:
        return
    click.echo(f"{'traveller':<14} {'entry':<14} {'score':>5}  {'names':<52} {'date of birth':<18} document")
    for match in matches:
        why = match["explanation"]
        name = why["name"]
        names = f"{name.get('traveller_name', '-')} ~ {name.get('entry_name', '-')}"
        click.echo(f"{match['traveller']:<14.14} {match['entry']:<14.14} {match['score']:>5.2f}  {names:<52.52} "
                   f"{why['date_of_birth']['rule']:<18} {why['document']['rule']}")
