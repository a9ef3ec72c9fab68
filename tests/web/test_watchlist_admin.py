"""Watchlist administration in the browser's server: lists, entries and their history, import with a dry run,
export, expiry, "add to watchlist" from a traveller, and the re-screening each change asks for, on both databases."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker
from werkzeug.test import TestResponse

from gtas.model import (
    AuditEvent,
    EntryAction,
    EntryStatus,
    Flight,
    Hit,
    HitCategory,
    HitKind,
    HitStatus,
    Rescreen,
    RescreenEffect,
    RescreenHit,
    Traveller,
    User,
    UserRole,
    Watchlist,
    WatchlistEntry,
    WatchlistEntryChange,
    WatchlistSeverity,
    WatchlistUpload,
    WatchlistVersion,
)
from gtas.rules.rescreen import run_rescreens
from gtas.rules.watchlist_file import read_watchlist_file
from gtas.rules.watchlists import create_watchlist, expire_entries
from gtas.web.watchlists import browse
from tests.web.auth_helpers import add_user, csrf_token, enter_session, post_form, sign_in_as
from tests.web.pages import table_rows

EDITORS = [UserRole.WATCHLIST_MANAGER, UserRole.ADMINISTRATOR]
READERS = [*EDITORS, UserRole.SUPERVISOR, UserRole.AUDITOR]
HEADER = "reference,full_name,surname,given_names,aliases,date_of_birth,gender,nationality,document_type," \
         "document_number,document_country,category,severity,notes\n"
ENTRY = {"reference": "WL-1", "full_name": "", "surname": "Doe", "given_names": "John", "aliases": "Johnny Doe",
         "dates_of_birth": "1975-03\n1976", "gender": "M", "nationalities": "FRA de", "category": "",
         "severity": "critical", "valid_from": "", "valid_until": "", "reason": "Interpol red notice",
         "notes": "seen in Lyon"}


def a_list(sessions: sessionmaker[Session], name: str = "Test list") -> int:
    """An empty list; returns its id."""
    with sessions.begin() as session:
        return create_watchlist(session, name, category="wanted",
                                severity=WatchlistSeverity.HIGH, owner="ops").id


def upload(client: FlaskClient, watchlist_id: int, content: bytes, filename: str = "list.csv") -> TestResponse:
    """Post a file to the import form, as a browser would."""
    return client.post(f"/watchlists/{watchlist_id}/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client), "file": (io.BytesIO(content), filename)})


def confirm(client: FlaskClient, dry_run: TestResponse) -> TestResponse:
    """Press the confirm button of a dry-run page."""
    html = dry_run.get_data(as_text=True)
    action = re.search(r'action="(/watchlists/\d+/import/\d+)"', html)
    digest = re.search(r'name="digest" value="([0-9a-f]{64})"', html)
    assert action and digest, "the dry run offers no confirmation"
    return post_form(client, action[1], {"digest": digest[1]})


def entry_form(**changes: str) -> dict[str, str]:
    return {**ENTRY, **changes}


def entries_of(sessions: sessionmaker[Session], watchlist_id: int) -> dict[str, WatchlistEntry]:
    with sessions() as session:
        return {entry.reference: entry for entry in session.scalars(
            select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist_id)
            .options(selectinload(WatchlistEntry.documents)))}


def events(sessions: sessionmaker[Session], action: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def unflagged_traveller(sessions: sessionmaker[Session]) -> Traveller:
    """A traveller of the loaded traffic with a name, date of birth and document, and no hit at all."""
    with sessions() as session:
        flagged = select(Hit.traveller_id)
        return session.scalars(
            select(Traveller).where(Traveller.id.not_in(flagged), Traveller.date_of_birth.is_not(None),
                                    Traveller.surname.is_not(None), Traveller.removed_at.is_(None),
                                    Traveller.documents.any())
            .options(selectinload(Traveller.documents)).order_by(Traveller.id).limit(1)).one()


def listing(traveller: Traveller, reference: str = "RN-1") -> bytes:
    """A watchlist file listing the traveller by name, date of birth and passport."""
    document = traveller.documents[0]
    return (HEADER + f"{reference},,{traveller.surname},{traveller.given_names or ''},,"
            f"{traveller.date_of_birth.isoformat() if traveller.date_of_birth else ''},,,P,{document.number},,"
            "wanted,high,red notice\n").encode()


@pytest.mark.parametrize("role", list(UserRole))
def test_the_role_matrix(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], role: UserRole) -> None:
    watchlist_id = a_list(sessions)
    manager = app.test_client()
    enter_session(app, manager, sessions, add_user(sessions, "keeper", UserRole.WATCHLIST_MANAGER))
    added = post_form(manager, "/watchlists/entries/new", {**entry_form(), "watchlist": str(watchlist_id)})
    rescreen = int(added.headers["Location"].rsplit("/", 1)[1])
    entry_id = next(iter(entries_of(sessions, watchlist_id).values())).id
    sign_in_as(app, client, sessions, role)
    reads = ["/watchlists", f"/watchlists/{watchlist_id}", f"/watchlists/entries/{entry_id}",
             f"/watchlists/rescreens/{rescreen}"]
    edits = ["/watchlists/new", f"/watchlists/{watchlist_id}/settings", f"/watchlists/entries/new?watchlist="
             f"{watchlist_id}", f"/watchlists/entries/{entry_id}/edit", f"/watchlists/{watchlist_id}/import",
             f"/watchlists/{watchlist_id}/export.csv", f"/watchlists/{watchlist_id}/export.xlsx"]
    for path in reads:
        assert client.get(path).status_code == (200 if role in READERS else 403), path
    for path in edits:
        assert client.get(path).status_code == (200 if role in EDITORS else 403), path
    assert ('href="/watchlists"' in client.get("/").get_data(as_text=True)) is (role in READERS)
    page = client.get(f"/watchlists/{watchlist_id}").get_data(as_text=True)
    assert ("Add entry" in page) is (role in EDITORS)
    expired = post_form(client, f"/watchlists/entries/{entry_id}/expire", {"reason": "no longer wanted"})
    assert expired.status_code == (303 if role in EDITORS else 403)
    created = post_form(client, "/watchlists/new", {"name": "Another", "category": "other", "severity": "low",
                                                    "match_threshold": "0.9"})
    assert created.status_code == (303 if role in EDITORS else 403)
    uploaded = upload(client, watchlist_id, (HEADER + "X-1,Xavier Ex,,,,,,,,,,,,\n").encode())
    assert uploaded.status_code == (200 if role in EDITORS else 403)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Watchlist)) == (2 if role in EDITORS else 1)


def test_strangers_are_sent_to_sign_in(client: FlaskClient) -> None:
    for path in ("/watchlists", "/watchlists/1", "/watchlists/entries/new?traveller=1", "/watchlists/rescreens/1"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/auth/sign-in?next=")
    assert client.post("/watchlists/1/import").status_code == 302


def test_a_list_may_stay_valid_to_the_last_day_of_the_calendar(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    sign_in_as(app, client, sessions, UserRole.WATCHLIST_MANAGER)
    created = post_form(client, "/watchlists/new", {"name": "Lifelong", "category": "wanted", "severity": "high",
                                                    "match_threshold": "0.85", "valid_until": "9999-12-31"})
    assert created.status_code == 303
    with sessions() as session:
        watchlist = session.scalars(select(Watchlist)).one()
    assert watchlist.valid_until == datetime.max.replace(tzinfo=UTC)  # 9999-12-31 has no next midnight
    assert 'value="9999-12-31"' in client.get(f"/watchlists/{watchlist.id}/settings").get_data(as_text=True)


def test_a_list_is_created_and_changed_with_validation_and_audit(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    sign_in_as(app, client, sessions, UserRole.WATCHLIST_MANAGER)
    assert "Create list" in client.get("/watchlists/new").get_data(as_text=True)
    refused = post_form(client, "/watchlists/new", {"name": " ", "category": "gossip", "severity": "high",
                                                    "match_threshold": "2", "valid_from": "2031-02-01",
                                                    "valid_until": "2031-01-01"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    for message in ("a list name needs 1 to 100 characters",
                    "unknown or retired category &#39;gossip&#39; (use one of: fraud, human_trafficking",
                    "a number from 0.5 to 1.0", "the last day of validity is before the first"):
        assert message in page
    assert 'aria-invalid="true"' in page
    form = {"name": "  Red   notices ", "source": "Interpol", "category": "wanted", "severity": "critical",
            "match_threshold": "0.85", "owner": "Desk 4", "valid_from": "2030-01-01", "valid_until": "2035-12-31",
            "enabled": "yes"}
    created = post_form(client, "/watchlists/new", form)
    assert created.status_code == 303
    with sessions() as session:
        watchlist = session.scalars(select(Watchlist)).one()
        assert (watchlist.name, watchlist.source, watchlist.category, watchlist.severity, watchlist.match_threshold,
                watchlist.owner, watchlist.enabled, watchlist.version) == (
            "Red notices", "Interpol", "wanted", "critical", 0.85, "Desk 4", True, 0)
        assert watchlist.valid_until is not None and watchlist.valid_until.isoformat().startswith("2036-01-01")
    assert created.headers["Location"] == f"/watchlists/{watchlist.id}"
    assert post_form(client, "/watchlists/new", form).status_code == 400  # the name is taken
    rows = table_rows(client.get("/watchlists").get_data(as_text=True), "watchlists")
    assert rows == [["Red notices Interpol", "wanted", "critical", "0", "0", "Desk 4",
                     "from 2030-01-01 00:00 until 2036-01-01 00:00 UTC", "yes", "0", "—"]]
    owner_only = post_form(client, f"/watchlists/{watchlist.id}/settings", {**form, "owner": "Desk 5"})
    assert owner_only.headers["Location"] == f"/watchlists/{watchlist.id}"  # no screening change: no re-screening
    disabled = {name: value for name, value in form.items() if name != "enabled"}  # an unticked box is not sent
    changed = post_form(client, f"/watchlists/{watchlist.id}/settings", {**disabled, "match_threshold": "0.9"})
    with sessions() as session:
        version = session.scalars(select(WatchlistVersion)).one()
        assert session.get_one(Watchlist, watchlist.id).enabled is False
    assert changed.headers["Location"] == f"/watchlists/rescreens/{version.rescreen_id}"
    assert version.summary == "list settings changed: match threshold, enabled"
    create, *changes = [*events(sessions, "watchlist.create"), *events(sessions, "watchlist.change")]
    assert create.before is None and (create.after or {})["name"] == "Red notices"
    assert [((e.before or {})["owner"], (e.after or {})["owner"]) for e in changes] == [("Desk 4", "Desk 5"),
                                                                                       ("Desk 5", "Desk 4")]
    assert [((e.before or {})["enabled"], (e.after or {})["enabled"]) for e in changes] == [(True, True),
                                                                                           (True, False)]


def test_an_entry_is_added_with_clear_messages_for_bad_values(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    watchlist_id = a_list(sessions)
    sign_in_as(app, client, sessions, UserRole.WATCHLIST_MANAGER)
    bad = entry_form(surname="", given_names="John", dates_of_birth="1975-13-01\n31.02.1980", gender="Q",
                     nationalities="Atlantis", valid_from="2031-05-01", valid_until="2031-04-01")
    refused = post_form(client, "/watchlists/entries/new", {**bad, "watchlist": str(watchlist_id),
                                                            "document_type": "P", "document_number": "",
                                                            "document_country": "FRA"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    for message in ("given names without a surname", "no month 13 in &#39;1975-13-01&#39;",
                    "no such day: &#39;31.02.1980&#39;", "unknown gender: &#39;Q&#39;",
                    "unknown country: &#39;Atlantis&#39;", "every document needs its number",
                    "the last day of validity is before the first"):
        assert message in page, message
    assert 'value="Johnny Doe' not in page and "Johnny Doe</textarea>" in page  # what was typed is kept
    no_list = post_form(client, "/watchlists/entries/new", entry_form())
    assert no_list.status_code == 400 and "choose the list to add the entry to" in no_list.get_data(as_text=True)
    without_csrf = client.post("/watchlists/entries/new", data={**entry_form(), "watchlist": str(watchlist_id)})
    assert without_csrf.status_code == 400
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(WatchlistEntry)) == 0

    two_documents: dict[str, str | list[str]] = {
        **entry_form(valid_until="2035-06-30"), "watchlist": str(watchlist_id), "csrf_token": csrf_token(client),
        "document_type": ["passport", ""], "document_number": ["12ab 345", "X-99"], "document_country": ["fr", ""]}
    added = client.post("/watchlists/entries/new", data=two_documents)
    assert added.status_code == 303 and added.headers["Location"].startswith("/watchlists/rescreens/")
    entry = entries_of(sessions, watchlist_id)["WL-1"]
    assert (entry.surname, entry.given_names, entry.aliases, entry.dates_of_birth, entry.gender,
            entry.nationalities, entry.severity, entry.category, entry.reason, entry.notes, entry.status) == (
        "Doe", "John", ["Johnny Doe"], ["1975-03", "1976"], "M", ["FRA", "DEU"], "critical", None,
        "Interpol red notice", "seen in Lyon", EntryStatus.ACTIVE)
    assert [(d.kind, d.number, d.country) for d in entry.documents] == [("P", "12ab 345", "FRA"), ("", "X-99", None)]
    clash = post_form(client, "/watchlists/entries/new", {**entry_form(), "watchlist": str(watchlist_id)})
    assert clash.status_code == 400
    assert "the list has an entry with the reference WL-1 already" in clash.get_data(as_text=True)
    generated = post_form(client, "/watchlists/entries/new", {**entry_form(reference="", surname="Roe"),
                                                              "watchlist": str(watchlist_id)})
    assert generated.status_code == 303
    made_up = next(ref for ref in entries_of(sessions, watchlist_id) if ref != "WL-1")
    assert re.fullmatch(r"GTAS-[0-9A-F]{8}", made_up)
    with sessions() as session:
        assert session.get_one(Watchlist, watchlist_id).version == 2
        versions = session.scalars(select(WatchlistVersion).order_by(WatchlistVersion.version)).all()
        assert [v.summary for v in versions] == ["entry WL-1 added", f"entry {made_up} added"]
        assert all(session.get(Rescreen, v.rescreen_id) is not None for v in versions)
    audit_event = events(sessions, "watchlist.entry.add")[0]
    assert audit_event.before is None and (audit_event.after or {})["surname"] == "Doe"
    assert (audit_event.after or {})["documents"][0] == {"kind": "P", "number": "12ab 345", "country": "FRA"}


def test_an_entry_is_edited_and_its_history_tells_who_changed_what(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    watchlist_id = a_list(sessions)
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    post_form(client, "/watchlists/entries/new", {**entry_form(), "watchlist": str(watchlist_id)})
    entry_id = entries_of(sessions, watchlist_id)["WL-1"].id
    form_page = client.get(f"/watchlists/entries/{entry_id}/edit").get_data(as_text=True)
    assert 'value="Doe"' in form_page and "1975-03\n1976</textarea>" in form_page
    same = post_form(client, f"/watchlists/entries/{entry_id}/edit", entry_form())
    assert same.headers["Location"] == f"/watchlists/entries/{entry_id}"
    assert "Nothing changed" in client.get(f"/watchlists/entries/{entry_id}").get_data(as_text=True)
    bad = post_form(client, f"/watchlists/entries/{entry_id}/edit", entry_form(valid_until="2001-01-01"))
    assert bad.status_code == 400 and "the last day of validity has passed" in bad.get_data(as_text=True)
    edited = post_form(client, f"/watchlists/entries/{entry_id}/edit", entry_form(given_names="Jon",
                                                                                 nationalities="FRA"))
    assert edited.status_code == 303
    page = client.get(f"/watchlists/entries/{entry_id}").get_data(as_text=True)
    history = table_rows(page, "entry-history")
    assert [row[1:4] for row in history] == [["changed", "as-administrator", "2"], ["added", "as-administrator", "1"]]
    assert history[0][4] == "given names: John → Jon nationalities: FRA; DEU → FRA"
    change = events(sessions, "watchlist.entry.change")[0]
    assert ((change.before or {})["given_names"], (change.after or {})["given_names"]) == ("John", "Jon")
    with sessions() as session:
        changes = session.scalars(select(WatchlistEntryChange).order_by(WatchlistEntryChange.id)).all()
    assert [(c.action, c.changed_by, c.list_version) for c in changes] == [
        (EntryAction.ADDED, "as-administrator", 1), (EntryAction.CHANGED, "as-administrator", 2)]
    view = events(sessions, "watchlist.entry.view")
    assert view and view[-1].object_id == str(entry_id)
    assert client.get("/watchlists/entries/999999").status_code == 404
    assert client.get("/watchlists/entries/999999/edit").status_code == 404


def test_entries_past_their_validity_expire_as_a_new_version_of_their_list(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    watchlist_id = a_list(sessions)
    sign_in_as(app, client, sessions, UserRole.WATCHLIST_MANAGER)
    post_form(client, "/watchlists/entries/new", {**entry_form(valid_until="2040-01-31"),
                                                  "watchlist": str(watchlist_id)})
    with sessions.begin() as session:
        assert expire_entries(session, now=datetime(2040, 2, 1, tzinfo=UTC), who="scheduler") == 1
    with sessions() as session:
        version = session.get_one(WatchlistVersion, (watchlist_id, 2))
        assert session.get_one(WatchlistEntry, entries_of(sessions, watchlist_id)["WL-1"].id).status == "expired"
    assert (version.summary, version.changed_by) == ("1 expired", "scheduler")
    row = table_rows(client.get("/watchlists").get_data(as_text=True), "watchlists")[0]
    assert row[3:5] == ["0", "1"] and row[9].startswith("1 expired, 2040-02-01 00:00 UTC by scheduler.")
    changes = table_rows(client.get(f"/watchlists/{watchlist_id}").get_data(as_text=True), "versions")
    assert [row[:3] for row in changes] == [["2", "1 expired", "scheduler"],
                                            ["1", "entry WL-1 added", "as-watchlist_manager"]]


def test_the_entries_table_searches_filters_and_pages(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    watchlist_id = a_list(sessions)
    sign_in_as(app, client, sessions, UserRole.WATCHLIST_MANAGER)
    rows = "".join(f"R{n:02d},,Surname{n:02d},Given,Alias{n:02d},1970,,,P,DOC{n:04d},FRA,"
                   f"{'narcotics' if n % 2 else ''},,\n" for n in range(12))
    assert confirm(client, upload(client, watchlist_id, (HEADER + rows).encode())).status_code == 303
    monkeypatch.setattr(browse, "PAGE_SIZE", 5)

    def references(query: str) -> list[str]:
        response = client.get(f"/watchlists/{watchlist_id}{query}")
        assert response.status_code == 200
        return [row[0] for row in table_rows(response.get_data(as_text=True), "entries")]

    assert references("") == ["R00", "R01", "R02", "R03", "R04"]
    assert references("?page=3") == ["R10", "R11"]
    assert references("?q=surname07") == ["R07"]
    assert references("?q=alias03") == ["R03"]
    assert references("?q=doc-0011") == ["R11"]  # document numbers compare on letters and digits
    assert references("?q=r1") == ["R10", "R11"]
    assert references("?q=%25") == []  # LIKE wildcards are searched for, not used
    assert references("?category=narcotics&page=2") == ["R11"]
    entry_id = entries_of(sessions, watchlist_id)["R05"].id
    post_form(client, f"/watchlists/entries/{entry_id}/expire", {"reason": "cleared by the court"})
    assert "R05" not in references("?q=R0")
    assert references("?status=expired") == ["R05"]
    assert len(references("?status=any&page=2")) == 5
    page = client.get(f"/watchlists/{watchlist_id}?status=dead&category=gossip&page=x").get_data(as_text=True)
    for message in ("status must be one of any, active, removed, expired",
                    "category must be one of fraud, human_trafficking",
                    "page must be a whole number from 1"):
        assert message in page
    assert "page must be a whole number" in client.get(f"/watchlists/{watchlist_id}?page=²").get_data(as_text=True)
    assert client.get("/watchlists/999999").status_code == 404
    viewed = events(sessions, "watchlist.entries")
    assert viewed and all(e.object_id == str(watchlist_id) for e in viewed)


def test_import_dry_run_then_commit_then_rescreening_creates_a_hit(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    watchlist_id = a_list(sessions)
    traveller = unflagged_traveller(sessions)
    sign_in_as(app, client, sessions, UserRole.WATCHLIST_MANAGER)
    assert upload(client, watchlist_id, b"").status_code == 400
    broken = upload(client, watchlist_id, listing(traveller) + b"RN-2,,,,,1975-99-01,,,,,,,,\nRN-1,,Dup,,,,,,,,,,,\n")
    page = broken.get_data(as_text=True)
    assert broken.status_code == 200 and "3</strong> row errors" in page
    assert table_rows(page, "row-errors") == [
        ["3", "date_of_birth", "1975-99-01", "no month 99 in '1975-99-01'"],
        ["3", "full_name", "—", "neither a name nor a document"],
        ["4", "reference", "RN-1", "duplicate reference, first on row 2"]]
    assert 'name="digest"' not in page
    not_a_sheet = upload(client, watchlist_id, b"PK\x03\x04 not really", "list.xlsx").get_data(as_text=True)
    assert "not an Excel .xlsx file" in not_a_sheet

    dry_run = upload(client, watchlist_id, listing(traveller))
    page = dry_run.get_data(as_text=True)
    assert "would add\n  <strong>1</strong>" in page.replace("\r", "")
    assert table_rows(page, "diff-added") == [["RN-1", f"{traveller.surname}, {traveller.given_names}", "2"]]
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(WatchlistEntry)
                              .where(WatchlistEntry.watchlist_id == watchlist_id)) == 0
    committed = confirm(client, dry_run)
    assert committed.status_code == 303
    rescreen_page = committed.headers["Location"]
    assert re.fullmatch(r"/watchlists/rescreens/\d+", rescreen_page)
    pending = client.get(rescreen_page).get_data(as_text=True)
    assert 'id="rescreen-progress">pending<' in pending and "data-refresh-seconds" in pending

    run_rescreens(sessions)
    done = client.get(rescreen_page).get_data(as_text=True)
    assert 'id="rescreen-progress">done<' in done and "data-refresh-seconds" not in done
    with sessions() as session:
        entry = session.scalars(select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist_id)).one()
        hit = session.scalars(select(Hit).where(Hit.watchlist_entry_id == entry.id)).one()
        recorded = session.scalars(select(RescreenHit).order_by(RescreenHit.hit_id)).all()
        linked = session.scalars(select(Hit).where(Hit.id.in_([r.hit_id for r in recorded]), Hit.id != hit.id)).all()
    assert (hit.traveller_id, hit.kind, hit.status) == (traveller.id, HitKind.WATCHLIST, HitStatus.OPEN)
    assert recorded[0].hit_id == hit.id and {r.effect for r in recorded} == {RescreenEffect.OPENED}
    assert all(h.kind == HitKind.LINK for h in linked)  # those sharing a booking, contact … with the listed man
    assert f'id="rescreen-opened">{len(recorded)}<' in done and 'id="rescreen-withdrawn">0<' in done
    assert f'href="/travellers/{traveller.id}#hit-{hit.id}"' in done
    first = table_rows(done, "rescreen-hits")[0]
    assert first[:3] == ["created", f"watchlist hit #{hit.id} (entry)", f"{traveller.surname}, {traveller.given_names}"]
    shown = (events(sessions, "watchlist.rescreen.view")[-1].details or {})["travellers"]
    assert shown == sorted({traveller.id, *(h.traveller_id for h in linked)})
    imported = events(sessions, "watchlist.import")[0]
    assert (imported.before, imported.after) == ({"version": 0, "active": 0}, {"version": 1, "active": 1})
    mine = next(row for row in table_rows(client.get("/watchlists").get_data(as_text=True), "watchlists")
                if row[0] == "Test list")
    assert mine[3] == "1" and mine[9].endswith("Re-screening: done")

    # expiring the entry withdraws the hit, with the reason, at the next re-screening
    expired = post_form(client, f"/watchlists/entries/{entry.id}/expire", {"reason": "arrested on 2029-12-30"})
    assert expired.status_code == 303
    run_rescreens(sessions)
    withdrawn = client.get(expired.headers["Location"]).get_data(as_text=True)
    assert f'id="rescreen-withdrawn">{len(recorded)}<' in withdrawn and 'id="rescreen-opened">0<' in withdrawn
    with sessions() as session:
        hit = session.get_one(Hit, hit.id)
        entry = session.get_one(WatchlistEntry, entry.id)
    assert hit.status == HitStatus.WITHDRAWN and hit.withdrawn_reason
    assert "watchlist entry was removed, expired or changed" in hit.withdrawn_reason
    assert entry.status == EntryStatus.EXPIRED and entry.ended_at is not None
    audit_event = events(sessions, "watchlist.entry.expire")[0]
    assert ((audit_event.before or {})["status"], (audit_event.after or {})["status"]) == ("active", "expired")
    assert (audit_event.details or {})["reason"] == "arrested on 2029-12-30"
    history = table_rows(client.get(f"/watchlists/entries/{entry.id}").get_data(as_text=True), "entry-history")
    assert history[0][1] == "expired" and "expiry reason: (empty) → arrested on 2029-12-30" in history[0][4]
    again = post_form(client, f"/watchlists/entries/{entry.id}/expire", {"reason": "twice"})
    assert again.status_code == 303
    assert "entry RN-1 is expired already" in client.get(f"/watchlists/entries/{entry.id}").get_data(as_text=True)
    no_reason = post_form(client, f"/watchlists/entries/{entry.id}/expire", {"reason": " "})
    assert no_reason.status_code == 303


def test_confirming_applies_what_was_shown_whatever_happened_meanwhile(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    watchlist_id = a_list(sessions)
    sign_in_as(app, client, sessions, UserRole.WATCHLIST_MANAGER)
    first = upload(client, watchlist_id, (HEADER + "A-1,Anna Alpha,,,,,,,,,,,,\n").encode())
    second = upload(client, watchlist_id, (HEADER + "B-1,Bert Beta,,,,,,,,,,,,\n").encode())
    applied = confirm(client, first)
    assert applied.status_code == 303
    assert list(entries_of(sessions, watchlist_id)) == ["A-1"]
    # the list changed since the second dry run: confirming it shows the new diff instead of applying
    stale = confirm(client, second)
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "The list changed since you saw the dry run" in page
    assert table_rows(page, "diff-removed") == [["A-1", "Anna Alpha"]]
    assert list(entries_of(sessions, watchlist_id)) == ["A-1"]
    reapplied = confirm(client, stale)
    assert reapplied.status_code == 303
    run_rescreens(sessions)  # one run does the work of both changes
    covered = client.get(applied.headers["Location"]).get_data(as_text=True)
    later = int(reapplied.headers["Location"].rsplit("/", 1)[1])
    assert 'id="rescreen-progress">done<' in covered and f"re-screening #{later}, which started later" in covered
    entries = entries_of(sessions, watchlist_id)
    assert {ref: entry.status for ref, entry in entries.items()} == {"A-1": EntryStatus.REMOVED,
                                                                      "B-1": EntryStatus.ACTIVE}
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(WatchlistUpload)) == 0
    assert post_form(client, f"/watchlists/{watchlist_id}/import/999999", {"digest": "0" * 64}).status_code == 404
    third = upload(client, watchlist_id, (HEADER + "C-1,Cora Gamma,,,,,,,,,,,,\n").encode())
    other = app.test_client()
    enter_session(app, other, sessions, add_user(sessions, "colleague", UserRole.WATCHLIST_MANAGER))
    assert confirm(other, third).status_code == 404  # only its uploader confirms an upload
    forged = re.sub(r'name="digest" value="[0-9a-f]{64}"', 'name="digest" value="' + "f" * 64 + '"',
                    third.get_data(as_text=True))
    action = re.search(r'action="(/watchlists/\d+/import/\d+)"', forged)
    assert action and post_form(client, action[1], {"digest": "f" * 64}).status_code == 409
    assert sorted(entries_of(sessions, watchlist_id)) == ["A-1", "B-1"]


def test_export_writes_the_import_format_as_csv_and_excel(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], tmp_path: Path) -> None:
    watchlist_id = a_list(sessions, "Lost passports")
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)
    content = HEADER + "L-2,,Smith,Ann,=cmd,1980-05-06,F,GBR,P,123456789,GBR,lost_stolen_document,,\n" \
                       "L-1,Bo Chen,,,,,,,,,,,,\n"
    confirm(client, upload(client, watchlist_id, content.encode()))
    rows = {}
    for kind in ("csv", "xlsx"):
        response = client.get(f"/watchlists/{watchlist_id}/export.{kind}")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f'attachment; filename="lost-passports-v1.{kind}"'
        path = tmp_path / f"export.{kind}"
        path.write_bytes(response.data)
        read = read_watchlist_file(path)
        assert read.errors == []
        rows[kind] = read.rows
    assert rows["csv"] == rows["xlsx"]
    assert [(row.reference, row.aliases) for row in rows["csv"]] == [("L-1", ()), ("L-2", ("=cmd",))]
    assert b"'=cmd" in client.get(f"/watchlists/{watchlist_id}/export.csv").data  # never run as a formula
    assert client.get(f"/watchlists/{watchlist_id}/export.pdf").status_code == 404
    assert [(e.details or {})["format"] for e in events(sessions, "watchlist.export")] == ["csv", "xlsx", "csv"]


def test_add_to_watchlist_from_a_travellers_page(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session], traffic: list[Flight]) -> None:
    watchlist_id = a_list(sessions)
    traveller = unflagged_traveller(sessions)
    officer = app.test_client()
    sign_in_as(app, officer, sessions, UserRole.OFFICER)
    assert "Add to watchlist" not in officer.get(f"/travellers/{traveller.id}").get_data(as_text=True)
    user_id = sign_in_as(app, client, sessions, UserRole.OFFICER, UserRole.WATCHLIST_MANAGER)
    page = client.get(f"/travellers/{traveller.id}").get_data(as_text=True)
    assert f'href="/watchlists/entries/new?traveller={traveller.id}"' in page
    form = client.get(f"/watchlists/entries/new?traveller={traveller.id}").get_data(as_text=True)
    document = traveller.documents[0]
    assert f'value="{traveller.surname}"' in form and f'value="{document.number}"' in form
    assert f'<input type="hidden" name="traveller" value="{traveller.id}">' in form
    assert traveller.date_of_birth and f"{traveller.date_of_birth.isoformat()}</textarea>" in form
    prefill = events(sessions, "watchlist.entry.prefill")[0]
    assert (prefill.traveller_id, prefill.user_id) == (traveller.id, user_id)
    added = post_form(client, "/watchlists/entries/new", {
        "watchlist": str(watchlist_id), "traveller": str(traveller.id), "surname": traveller.surname or "",
        "given_names": traveller.given_names or "", "dates_of_birth": traveller.date_of_birth.isoformat(),
        "document_type": document.type, "document_number": document.number, "reason": "seen with a wanted man"})
    assert added.status_code == 303
    assert events(sessions, "watchlist.entry.add")[0].traveller_id == traveller.id
    run_rescreens(sessions)
    with sessions() as session:
        hit = session.scalars(select(Hit).where(Hit.traveller_id == traveller.id, Hit.kind == HitKind.WATCHLIST)).one()
        assert hit.status == HitStatus.OPEN
        elsewhere = session.scalars(select(Flight).where(Flight.id != traveller.flight_id)).first()
        session.get_one(User, user_id).airports = ["ZZZ"]
        session.commit()
    assert elsewhere is not None
    assert client.get(f"/watchlists/entries/new?traveller={traveller.id}").status_code == 404
    assert client.get("/watchlists/entries/new?traveller=abc").status_code == 404


def test_a_category_created_in_admin_is_offered_and_imported_and_once_retired_kept_on_old_entries_only(
        app: Flask, client: FlaskClient, sessions: sessionmaker[Session]) -> None:
    watchlist_id = a_list(sessions)
    sign_in_as(app, client, sessions, UserRole.ADMINISTRATOR)  # who keeps both the categories and the lists
    assert post_form(client, "/admin/categories", {"key": "wildlife_trafficking", "label": "Wildlife trafficking",
                                                   "description": ""}).status_code == 303
    new_form = client.get(f"/watchlists/entries/new?watchlist={watchlist_id}").get_data(as_text=True)
    assert '<option value="wildlife_trafficking">Wildlife trafficking</option>' in new_form
    assert '<option value="wildlife_trafficking">' in client.get("/watchlists/new").get_data(as_text=True)
    imported = confirm(client, upload(client, watchlist_id, b"reference,surname,category\n"
                                                            b"W-1,Poacher,Wildlife trafficking\n"))
    assert imported.status_code == 303
    entry = entries_of(sessions, watchlist_id)["W-1"]
    assert entry.category == "wildlife_trafficking"
    page = client.get(f"/watchlists/{watchlist_id}").get_data(as_text=True)
    assert "<td>Wildlife trafficking</td>" in page  # the label, not the key

    with sessions() as session:
        category_id = session.scalars(select(HitCategory.id).where(HitCategory.key == "wildlife_trafficking")).one()
    assert post_form(client, f"/admin/categories/{category_id}", {"label": "Wildlife trafficking",
                                                                  "description": ""}).status_code == 303  # retired
    edit_form = client.get(f"/watchlists/entries/{entry.id}/edit").get_data(as_text=True)
    assert '<option value="wildlife_trafficking" selected>Wildlife trafficking</option>' in edit_form
    kept = post_form(client, f"/watchlists/entries/{entry.id}/edit",
                     entry_form(reference="W-1", category="wildlife_trafficking", notes="still at large"))
    assert kept.status_code == 303 and entries_of(sessions, watchlist_id)["W-1"].notes == "still at large"
    assert '<option value="wildlife_trafficking">' not in client.get(
        f"/watchlists/entries/new?watchlist={watchlist_id}").get_data(as_text=True)
    refused = post_form(client, "/watchlists/entries/new", {
        **entry_form(reference="W-2", category="wildlife_trafficking"), "watchlist": str(watchlist_id)})
    assert refused.status_code == 400
    assert "unknown or retired category &#39;wildlife_trafficking&#39; (use one of: fraud," in refused.get_data(
        as_text=True)
    mixed = upload(client, watchlist_id, b"reference,surname,category\nW-1,Poacher,wildlife_trafficking\n"
                                         b"W-2,Trader,wildlife_trafficking\n").get_data(as_text=True)
    assert table_rows(mixed, "row-errors")[0][:3] == ["3", "category", "wildlife_trafficking"]
    assert 'name="digest"' not in mixed
