"""The watchlist pages: the lists, a list's entries, an entry with its history, and the forms that create and
change lists and add, edit and expire entries; every change audited with its before and after.

Watchlist managers and administrators keep the lists. Supervisors and auditors may read them (supervisors answer
officers' questions about a match, auditors check who listed whom and why); officers see the entry behind a hit on
the traveller's page, and rule authors have no business with lists.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gtas.categories import category_choices, category_labels
from gtas.model import EntryStatus, Traveller, UserRole, Watchlist, WatchlistEntry, WatchlistSeverity
from gtas.numbers import whole_number
from gtas.rules.watchlists import DEFAULT_CATEGORY, WatchlistError, expire_entry, save_entry, snapshot
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import now
from gtas.web.database import get_session, row_or_404
from gtas.web.paging import page_links
from gtas.web.travellers.access import visible_traveller
from gtas.web.watchlists import browse, editing, forms

bp = Blueprint("watchlists", __name__, url_prefix="/watchlists")
EDITORS = (UserRole.WATCHLIST_MANAGER, UserRole.ADMINISTRATOR)
READERS = (*EDITORS, UserRole.SUPERVISOR, UserRole.AUDITOR)
EXPIRY_REASON_LENGTH = 1000


@bp.get("")
@roles(*READERS)
@menu("Watchlists", 40)
def lists() -> str:
    """Every list with its entry counts, owner, validity and its latest change's re-screening."""
    return render_template("watchlists/lists.html", rows=browse.overview(get_session()), may_edit=_may_edit(),
                           labels=category_labels(get_session()),
                           now=now())


@bp.route("/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_list() -> ResponseReturnValue:
    """Create a list: name, source, category, severity, default threshold, owner, validity."""
    session = get_session()
    if request.method == "GET":
        user = signed_in_user()
        form = forms.Form(values={"category": DEFAULT_CATEGORY, "severity": WatchlistSeverity.HIGH.value,
                                  "match_threshold": "0.8", "owner": user.display_name, "enabled": "yes"})
        return _list_page(form, None)
    form = forms.read_form(request.form, forms.LIST_FIELDS)
    values = forms.check_list(form, now().date(), _keys(category_choices(session)))
    if values is not None:
        try:
            watchlist = editing.add_list(session, values)
        except WatchlistError as exc:
            session.rollback()
            form.error("name", str(exc))
        else:
            audit.record("watchlist.create", object_kind="watchlist", object_id=watchlist.id,
                         after=editing.settings(watchlist))
            session.commit()
            flash(f"List “{watchlist.name}” created. Add entries by hand or import a file.", "info")
            return redirect(url_for("watchlists.entries", watchlist_id=watchlist.id), code=303)
    return _list_page(form, None), 400


@bp.route("/<int:watchlist_id>/settings", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_list(watchlist_id: int) -> ResponseReturnValue:
    """Change a list's settings; a change that affects screening re-screens the travellers still to arrive."""
    session = get_session()
    watchlist = row_or_404(Watchlist, watchlist_id)
    if request.method == "GET":
        return _list_page(forms.list_form(watchlist), watchlist)
    form = forms.read_form(request.form, forms.LIST_FIELDS)
    values = forms.check_list(form, now().date(), _keys(category_choices(session, watchlist.category)))
    if values is not None:
        before = editing.settings(watchlist)
        try:
            version = editing.change_list(session, watchlist, values, who=signed_in_user().username)
        except WatchlistError as exc:
            session.rollback()
            form.error("name", str(exc))
        else:
            audit.record("watchlist.change", object_kind="watchlist", object_id=watchlist.id, before=before,
                         after=editing.settings(watchlist))
            session.commit()
            flash(f"The settings of “{watchlist.name}” are saved.", "info")
            if version is not None and version.rescreen_id is not None:
                return redirect(url_for("watchlists.rescreen", rescreen_id=version.rescreen_id), code=303)
            return redirect(url_for("watchlists.entries", watchlist_id=watchlist.id), code=303)
    return _list_page(form, watchlist), 400


def _list_page(form: forms.Form, watchlist: Watchlist | None) -> str:
    choices = category_choices(get_session(), watchlist.category if watchlist is not None else None)
    return render_template("watchlists/list_form.html", form=form, watchlist=watchlist, categories=choices,
                           severities=_severities())


def _keys(choices: list[tuple[str, str]]) -> set[str]:
    """The keys of category choices: what a form accepts."""
    return {key for key, _ in choices}


def _severities() -> list[tuple[str, str]]:
    return [(severity.value, severity.value) for severity in WatchlistSeverity]


@bp.get("/<int:watchlist_id>")
@roles(*READERS)
def entries(watchlist_id: int) -> str:
    """A list's entries: search by name, reference or document number, filter by status and category, in pages;
    and the list's recent changes with their re-screening."""
    session = get_session()
    watchlist = row_or_404(Watchlist, watchlist_id)
    labels = category_labels(session)
    filters, problems = browse.read_filters(request.args, labels)
    found = browse.search_entries(session, watchlist, filters)
    audit.record("watchlist.entries", object_kind="watchlist", object_id=watchlist.id,
                 details={"filters": request.args.to_dict(), "shown": [entry.id for entry in found.entries]})
    session.commit()
    pages = page_links("watchlists.entries", found.page, found.pages, watchlist_id=watchlist.id)
    return render_template("watchlists/entries.html", watchlist=watchlist, found=found, filters=filters,
                           problems=problems, pages=pages, page_size=browse.PAGE_SIZE, statuses=list(EntryStatus),
                           labels=labels, versions=browse.versions(session, watchlist),
                           may_edit=_may_edit())


@bp.route("/entries/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new_entry() -> ResponseReturnValue:
    """Add an entry to a list (``watchlist``), by hand or filled in from a traveller's page (``traveller``)."""
    session = get_session()
    source = request.values.get("traveller", "").strip()
    traveller = _traveller(source) if source else None
    chosen = request.values.get("watchlist", "").strip()
    watchlist_id = whole_number(chosen)
    watchlist = session.get(Watchlist, watchlist_id) if watchlist_id is not None else None
    if request.method == "GET":
        form = forms.traveller_form(traveller) if traveller is not None else forms.Form()
        if traveller is not None:
            audit.record("watchlist.entry.prefill", object_kind="traveller", object_id=traveller.id,
                         traveller_id=traveller.id)
            session.commit()
        return _entry_page(form, None, watchlist, traveller)
    form = forms.read_form(request.form, forms.ENTRY_FIELDS)
    if watchlist is None:
        form.error("watchlist", "choose the list to add the entry to")
    elif not form.value("reference"):
        form.values["reference"] = editing.new_reference(session, watchlist)
    values = forms.check_entry(form, now().date(), _keys(category_choices(session)))
    if values is not None and watchlist is not None:
        return _save(form, values, watchlist, None, traveller)
    return _entry_page(form, None, watchlist, traveller), 400


@bp.get("/entries/<int:entry_id>")
@roles(*READERS)
def entry(entry_id: int) -> str:
    """An entry: its values, its history (who changed what, when) and, for editors, the expiry form."""
    session = get_session()
    found = _entry(entry_id)
    audit.record("watchlist.entry.view", object_kind="watchlist_entry", object_id=found.id)
    session.commit()
    return render_template("watchlists/entry.html", entry=found, watchlist=found.watchlist,
                           labels=category_labels(session),
                           history=browse.history(session, found), may_edit=_may_edit(), shown=browse.shown)


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
def edit_entry(entry_id: int) -> ResponseReturnValue:
    """Change an entry's values."""
    found = _entry(entry_id)
    if request.method == "GET":
        return _entry_page(forms.entry_form(found), found, found.watchlist, None)
    form = forms.read_form(request.form, forms.ENTRY_FIELDS)
    form.values["reference"] = form.value("reference") or found.reference
    values = forms.check_entry(form, now().date(), _keys(category_choices(get_session(), found.category)))
    if values is None:
        return _entry_page(form, found, found.watchlist, None), 400
    return _save(form, values, found.watchlist, found, None)


def _save(form: forms.Form, values: forms.EntryValues, watchlist: Watchlist, found: WatchlistEntry | None,
          traveller: Traveller | None) -> ResponseReturnValue:
    """Add or change the entry, audit it and go to the re-screening it asked for (back to the form on a clash)."""
    session = get_session()
    before = snapshot(found) if found is not None else None
    try:
        version = save_entry(session, watchlist, values.row, entry=found, valid_from=values.valid_from,
                             valid_until=values.valid_until, reason=values.reason, who=signed_in_user().username)
    except WatchlistError as exc:
        session.rollback()
        form.error("reference", str(exc))
        return _entry_page(form, found, watchlist, traveller), 400
    if version is None:
        flash("Nothing changed: the entry already holds these values.", "info")
        back = url_for("watchlists.entry", entry_id=found.id) if found is not None else url_for("watchlists.lists")
        return redirect(back, code=303)
    saved = session.scalars(select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist.id,
                                                         WatchlistEntry.reference == values.row.reference)).one()
    audit.record("watchlist.entry.add" if found is None else "watchlist.entry.change", object_kind="watchlist_entry",
                 object_id=saved.id, traveller_id=traveller.id if traveller is not None else None, before=before,
                 after=snapshot(saved), details={"watchlist": watchlist.name, "list_version": version.version})
    session.commit()
    flash(f"Entry {saved.reference} {'added to' if found is None else 'saved in'} “{watchlist.name}” (version "
          f"{version.version}). The travellers still to arrive are screened again.", "info")
    return redirect(url_for("watchlists.rescreen", rescreen_id=version.rescreen_id), code=303)


def _entry_page(form: forms.Form, found: WatchlistEntry | None, watchlist: Watchlist | None,
                traveller: Traveller | None) -> str:
    session = get_session()
    lists = list(session.scalars(select(Watchlist).order_by(Watchlist.name))) if found is None else []
    choices = category_choices(session, found.category if found is not None else None)
    return render_template("watchlists/entry_form.html", form=form, entry=found, watchlist=watchlist, lists=lists,
                           traveller=traveller, categories=choices, labels=category_labels(session),
                           severities=_severities())


@bp.post("/entries/<int:entry_id>/expire")
@roles(*EDITORS)
def expire(entry_id: int) -> ResponseReturnValue:
    """End an active entry now, with the reason (form field ``reason``); its hits are withdrawn by the
    re-screening that follows."""
    session = get_session()
    found = _entry(entry_id)
    reason = " ".join(request.form.get("reason", "").split())
    problem = ("say why the entry ends" if not reason else f"the reason is longer than {EXPIRY_REASON_LENGTH} "
               "characters" if len(reason) > EXPIRY_REASON_LENGTH else None)
    before = snapshot(found)
    try:
        if problem is not None:
            raise WatchlistError(problem)
        version = expire_entry(session, found, reason=reason, who=signed_in_user().username)
    except WatchlistError as exc:
        session.rollback()
        flash(f"The entry was not expired: {exc}.", "error")
        return redirect(url_for("watchlists.entry", entry_id=entry_id), code=303)
    audit.record("watchlist.entry.expire", object_kind="watchlist_entry", object_id=found.id, before=before,
                 after=snapshot(found), details={"reason": reason, "list_version": version.version})
    session.commit()
    flash(f"Entry {found.reference} expired. Its hits are withdrawn as the travellers are screened again.", "info")
    return redirect(url_for("watchlists.rescreen", rescreen_id=version.rescreen_id), code=303)


def _entry(entry_id: int) -> WatchlistEntry:
    """The entry with its documents and list.

    :raise 404: no such entry.
    """
    found = get_session().scalar(select(WatchlistEntry).where(WatchlistEntry.id == entry_id).options(
        selectinload(WatchlistEntry.documents), selectinload(WatchlistEntry.watchlist)))
    if found is None:
        abort(404)
    return found


def _traveller(text: str) -> Traveller:
    """The traveller an entry is filled in from, when the user may see him.

    :raise 404: not a traveller id, no such traveller, or not on the user's airports.
    """
    traveller_id = whole_number(text)
    if traveller_id is None:
        abort(404)
    return visible_traveller(get_session(), traveller_id, signed_in_user())


def _may_edit() -> bool:
    return signed_in_user().has_role(*EDITORS)
