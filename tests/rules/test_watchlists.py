"""Keeping watchlists in the database: dry runs, applied imports, history, versions, expiry, export and lookups."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gtas.categories import create_category, update_category
from gtas.model import (
    EntryAction,
    EntryStatus,
    Watchlist,
    WatchlistEntry,
    WatchlistEntryChange,
    WatchlistSeverity,
)
from gtas.rules.matching.person import IdDocument, Name, PersonRecord
from gtas.rules.matching.score import DEFAULT_THRESHOLD
from gtas.rules.watchlist_file import DocumentRow, EntryRow, RowError, read_watchlist_file, write_watchlist_file
from gtas.rules.watchlists import (
    WatchlistError,
    apply_import,
    create_watchlist,
    entries_with_document,
    expire_entries,
    export_rows,
    find_watchlist,
    list_watchlists,
    person_record,
    plan_import,
    screened_entries,
)

ROWS = [
    EntryRow("R1", surname="Al-Rashid", given_names="Omar", aliases=("Abu Omar",), dates_of_birth=("1980-03-12",),
             gender="M", nationalities=("IRQ",), documents=(DocumentRow("A123-4567", "P", "IRQ"),),
             category="terrorism", severity=WatchlistSeverity.CRITICAL),
    EntryRow("R2", "Jane Doe", dates_of_birth=("1975", "1975-06"), notes="known courier"),
    EntryRow("LOST-1", documents=(DocumentRow("X9999999", "P", "FRA"), DocumentRow("Y1", "I", "FRA"))),
]


def _import(session: Session, name: str, rows: list[EntryRow], who: str = "tester") -> tuple[Watchlist, int]:
    watchlist = find_watchlist(session, name, lock=True) or create_watchlist(session, name)
    return watchlist, apply_import(session, watchlist, plan_import(session, watchlist, name, rows), who=who)


def _entries(session: Session, watchlist: Watchlist) -> dict[str, WatchlistEntry]:
    return {e.reference: e for e in session.scalars(select(WatchlistEntry).where(
        WatchlistEntry.watchlist_id == watchlist.id))}


def _history(session: Session, watchlist: Watchlist) -> list[tuple[str, EntryAction, int]]:
    rows = session.execute(select(WatchlistEntry.reference, WatchlistEntryChange.action,
                                  WatchlistEntryChange.list_version)
                           .join(WatchlistEntry, WatchlistEntry.id == WatchlistEntryChange.entry_id)
                           .where(WatchlistEntryChange.watchlist_id == watchlist.id)
                           .order_by(WatchlistEntryChange.id))
    return [(reference, action, version) for reference, action, version in rows]


def test_a_new_list_hits_at_the_threshold_the_matcher_was_tuned_for(session: Session) -> None:
    watchlist = create_watchlist(session, "tuned")
    session.flush()
    assert watchlist.match_threshold == DEFAULT_THRESHOLD


def test_a_new_list_gets_its_entries_history_and_version_1(session: Session) -> None:
    plan = plan_import(session, None, "Red notices", ROWS)
    assert [(c.action, c.reference) for c in plan.changes] == [(EntryAction.ADDED, "R1"), (EntryAction.ADDED, "R2"),
                                                               (EntryAction.ADDED, "LOST-1")]
    watchlist = create_watchlist(session, " Red   notices ", category="wanted")
    assert apply_import(session, watchlist, plan, who="alice") == 1
    assert watchlist.name == "Red notices" and watchlist.version == 1 and watchlist.enabled
    entries = _entries(session, watchlist)
    assert entries["R1"].added_by == "alice" and entries["R1"].status is EntryStatus.ACTIVE
    assert [(d.number, d.number_key, d.kind, d.country) for d in entries["R1"].documents] == [
        ("A123-4567", "A1234567", "P", "IRQ")]
    assert entries["R2"].dates_of_birth == ["1975", "1975-06"]
    assert _history(session, watchlist) == [("R1", EntryAction.ADDED, 1), ("R2", EntryAction.ADDED, 1),
                                            ("LOST-1", EntryAction.ADDED, 1)]
    change = session.scalars(select(WatchlistEntryChange)
                             .where(WatchlistEntryChange.entry_id == entries["R1"].id)).one()
    assert change.before is None and change.changed_by == "alice"
    assert change.after is not None and change.after["documents"] == [
        {"kind": "P", "number": "A123-4567", "country": "IRQ"}] and change.after["status"] == "active"


def test_a_dry_run_writes_nothing(session: Session) -> None:
    watchlist, _ = _import(session, "Narcotics", ROWS)
    before = session.scalar(select(func.count()).select_from(WatchlistEntryChange))
    plan = plan_import(session, watchlist, "Narcotics", [replace(ROWS[0], notes="changed"), ROWS[1]])
    assert [(c.action, c.reference) for c in plan.changes] == [(EntryAction.CHANGED, "R1"),
                                                               (EntryAction.REMOVED, "LOST-1")]
    session.expire_all()
    assert watchlist.version == 1 and _entries(session, watchlist)["R1"].notes is None
    assert _entries(session, watchlist)["LOST-1"].status is EntryStatus.ACTIVE
    assert session.scalar(select(func.count()).select_from(WatchlistEntryChange)) == before
    assert find_watchlist(session, "Not created by a dry run") is None


def test_importing_the_same_rows_again_changes_nothing(session: Session) -> None:
    watchlist, _ = _import(session, "Immigration", ROWS)
    plan = plan_import(session, watchlist, "Immigration", ROWS)
    assert plan.changes == [] and plan.unchanged == 3
    assert apply_import(session, watchlist, plan, who="bob") == 1
    assert len(_history(session, watchlist)) == 3


def test_changed_and_removed_rows_keep_their_history(session: Session) -> None:
    watchlist, _ = _import(session, "Wanted", ROWS)
    first_ids = {r: e.id for r, e in _entries(session, watchlist).items()}
    document_id = _entries(session, watchlist)["R1"].documents[0].id
    changed = replace(ROWS[0], aliases=("Abu Omar", "O. Rashid"), notes="new intelligence")
    plan = plan_import(session, watchlist, "Wanted", [changed, ROWS[2]])
    assert [(c.action, c.reference, c.fields) for c in plan.changes] == [
        (EntryAction.CHANGED, "R1", ("aliases", "notes")), (EntryAction.REMOVED, "R2", ())]
    assert apply_import(session, watchlist, plan, who="carol") == 2

    entries = _entries(session, watchlist)
    assert {r: e.id for r, e in entries.items()} == first_ids  # nothing deleted, nothing re-created
    assert entries["R1"].aliases == ["Abu Omar", "O. Rashid"] and entries["R1"].documents[0].id == document_id
    assert entries["R2"].status is EntryStatus.REMOVED and entries["R2"].ended_at is not None
    assert _history(session, watchlist)[3:] == [("R1", EntryAction.CHANGED, 2), ("R2", EntryAction.REMOVED, 2)]
    removal = session.scalars(select(WatchlistEntryChange).where(
        WatchlistEntryChange.entry_id == entries["R2"].id, WatchlistEntryChange.action == EntryAction.REMOVED)).one()
    assert removal.before is not None and removal.after is not None
    assert (removal.before["status"], removal.after["status"]) == ("active", "removed")
    assert removal.before["notes"] == "known courier" and removal.changed_by == "carol"

    readded = plan_import(session, watchlist, "Wanted", [changed, ROWS[1], ROWS[2]])
    assert [(c.action, c.reference) for c in readded.changes] == [(EntryAction.ADDED, "R2")]
    assert apply_import(session, watchlist, readded, who="dave") == 3
    entry = _entries(session, watchlist)["R2"]
    assert (entry.status, entry.ended_at, entry.added_by) == (EntryStatus.ACTIVE, None, "dave")


def test_changed_documents_are_replaced(session: Session) -> None:
    watchlist, _ = _import(session, "Documents", ROWS)
    lost = replace(ROWS[2], documents=(DocumentRow("X9999999", "P", "FRA"), DocumentRow("Z2", "V", "DEU")))
    plan = plan_import(session, watchlist, "Documents", [ROWS[0], ROWS[1], lost])
    assert [(c.action, c.fields) for c in plan.changes] == [(EntryAction.CHANGED, ("documents",))]
    apply_import(session, watchlist, plan, who=None)
    assert [(d.number, d.kind) for d in _entries(session, watchlist)["LOST-1"].documents] == [("X9999999", "P"),
                                                                                              ("Z2", "V")]
    assert entries_with_document(session, "Y1") == []
    assert [e.reference for e in entries_with_document(session, "z 2")] == ["LOST-1"]


def test_a_plan_with_errors_is_not_applied(session: Session) -> None:
    watchlist = create_watchlist(session, "Errors")
    plan = plan_import(session, watchlist, "Errors", ROWS, [RowError(5, "date_of_birth", "not a date: 'x'", "x")])
    with pytest.raises(WatchlistError, match="the file has 1 errors; nothing was imported"):
        apply_import(session, watchlist, plan, who=None)
    assert _entries(session, watchlist) == {} and watchlist.version == 0


def test_entries_whose_rows_have_errors_are_not_shown_as_removed(session: Session) -> None:
    watchlist, _ = _import(session, "Partial", ROWS)
    row_error = RowError(3, "date_of_birth", "not a date: 'x'", "x", reference="R2")
    plan = plan_import(session, watchlist, "Partial", [ROWS[0]], [row_error])
    assert [(c.action, c.reference) for c in plan.changes] == [(EntryAction.REMOVED, "LOST-1")]
    unreadable = plan_import(session, watchlist, "Partial", [], [RowError(1, "", "the file is empty")])
    assert unreadable.changes == [] and unreadable.errors == [RowError(1, "", "the file is empty")]


def test_rows_name_an_active_managed_category(session: Session) -> None:
    plan = plan_import(session, None, "Spies", [EntryRow("S1", "John Smith", category="spying"), ROWS[1]])
    assert [(e.row, e.column, e.reference) for e in plan.errors] == [(0, "category", "S1")]
    assert "unknown or retired category 'spying'" in plan.errors[0].reason and "wanted" in plan.errors[0].reason
    assert [c.reference for c in plan.changes] == ["R2"]
    create_category(session, "espionage", "Espionage", "", "admin")
    assert not plan_import(session, None, "Spies", [EntryRow("S1", "John Smith", category="espionage")]).errors


def test_a_retired_category_stays_on_its_entries_but_is_refused_for_others(session: Session) -> None:
    category = create_category(session, "piracy", "Piracy", "", "admin")
    watchlist, _ = _import(session, "Pirates", [EntryRow("P1", "Anne Bonny", category="piracy")])
    update_category(session, category, "Piracy", "", False, "admin")
    again = [EntryRow("P1", "Anne Bonny", category="piracy", notes="still listed")]
    plan = plan_import(session, watchlist, "Pirates", again)
    assert not plan.errors and [c.action for c in plan.changes] == [EntryAction.CHANGED]
    plan = plan_import(session, watchlist, "Pirates", [*again, EntryRow("P2", "Mary Read", category="piracy")])
    assert [(e.reference, e.column) for e in plan.errors] == [("P2", "category")]
    with pytest.raises(WatchlistError, match="unknown or retired category 'piracy'"):
        create_watchlist(session, "More pirates", category="piracy")


def test_list_names_are_unique_and_checked(session: Session) -> None:
    create_watchlist(session, "Unique")
    with pytest.raises(WatchlistError, match="exists already"):
        create_watchlist(session, "Unique ")
    with pytest.raises(WatchlistError, match="1 to 100 characters"):
        create_watchlist(session, "  ")


def test_a_reference_is_unique_within_its_list_only(session: Session) -> None:
    first, _ = _import(session, "First", ROWS[:1])
    _import(session, "Second", ROWS[:1])
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(WatchlistEntry(watchlist_id=first.id, reference="R1", full_name="Copy"))
        session.flush()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_is_the_identity(session: Session, tmp_path: Path, suffix: str) -> None:
    hostile = EntryRow("R9", "=1+2", aliases=("@SUM(A1)", "-x"), notes="+44 20 7946 0000")
    watchlist, _ = _import(session, "Round trip", [*ROWS, hostile])
    path = tmp_path / f"export{suffix}"
    write_watchlist_file(path, export_rows(session, watchlist))
    read = read_watchlist_file(path)
    assert read.errors == []
    plan = plan_import(session, watchlist, "Round trip", read.rows)
    assert plan.changes == [] and plan.unchanged == 4


def test_removed_entries_are_not_exported(session: Session) -> None:
    watchlist, _ = _import(session, "Export", ROWS)
    _import(session, "Export", ROWS[:2])
    assert [row.reference for row in export_rows(session, watchlist)] == ["R1", "R2"]


def test_entries_past_their_validity_expire_with_history(session: Session) -> None:
    watchlist, _ = _import(session, "Expiring", ROWS)
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    entries = _entries(session, watchlist)
    entries["R1"].valid_until = now - timedelta(minutes=1)
    entries["R2"].valid_until = now + timedelta(days=1)
    session.flush()
    assert expire_entries(session, now=now, who="scheduler") == 1
    assert expire_entries(session, now=now) == 0
    assert entries["R1"].status is EntryStatus.EXPIRED and entries["R1"].ended_at == now
    assert watchlist.version == 2 and _history(session, watchlist)[-1] == ("R1", EntryAction.EXPIRED, 2)
    again = plan_import(session, watchlist, "Expiring", ROWS[1:])
    assert again.changes == [] and again.unchanged == 2  # an expired entry the file no longer has stays expired


def test_lists_with_their_active_entry_counts(session: Session) -> None:
    _import(session, "AAA counted", ROWS)
    _import(session, "AAA counted", ROWS[:1])
    create_watchlist(session, "AAB empty")
    counts = {w.name: n for w, n in list_watchlists(session)}
    assert counts["AAA counted"] == 1 and counts["AAB empty"] == 0


def test_document_lookup_ignores_formatting_and_skips_removed_and_disabled(session: Session) -> None:
    watchlist, _ = _import(session, "Lookup", ROWS)
    assert [e.reference for e in entries_with_document(session, "a1234567")] == ["R1"]
    assert [e.reference for e in entries_with_document(session, "X 999 9999")] == ["LOST-1"]
    watchlist.enabled = False
    session.flush()
    assert entries_with_document(session, "A1234567") == []
    watchlist.enabled = True
    _import(session, "Lookup", ROWS[1:])
    assert entries_with_document(session, "A1234567") == []


def test_only_entries_in_force_are_screened(session: Session) -> None:
    watchlist, _ = _import(session, "In force", ROWS)
    other, _ = _import(session, "Other list", [EntryRow("O1", "Someone Else")])
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    entries = _entries(session, watchlist)
    entries["R1"].valid_from = now + timedelta(days=1)
    entries["R2"].valid_until = now
    other.valid_until = now - timedelta(seconds=1)
    session.flush()
    screened = [(e.watchlist.name, e.reference) for e in screened_entries(session, now=now)]
    assert ("In force", "LOST-1") in screened
    assert not {("In force", "R1"), ("In force", "R2"), ("Other list", "O1")} & set(screened)
    assert entries_with_document(session, "A1234567", now=now) == []
    assert [e.reference for e in entries_with_document(session, "A1234567", now=now + timedelta(days=2))] == ["R1"]


def test_an_entry_as_the_matcher_sees_it(session: Session) -> None:
    watchlist, _ = _import(session, "Matcher", ROWS)
    entries = _entries(session, watchlist)
    assert person_record(entries["R1"]) == PersonRecord(
        names=(Name("Omar Al-Rashid", "Al-Rashid", "Omar"), Name("Abu Omar")), dates_of_birth=("1980-03-12",),
        gender="M", nationalities=("IRQ",), documents=(IdDocument("A123-4567", "P", "IRQ"),))
    assert person_record(entries["R2"]) == PersonRecord(names=(Name("Jane Doe"),), dates_of_birth=("1975", "1975-06"))
    assert person_record(entries["LOST-1"]) == PersonRecord(
        names=(), documents=(IdDocument("X9999999", "P", "FRA"), IdDocument("Y1", "I", "FRA")))
