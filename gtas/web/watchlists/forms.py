"""The list and entry forms: what was typed (shown again after an error), checked on the server into the values a
list or an entry takes, with one clear message per problem under the field it concerns.

Entries are checked by the watchlist file validation (``gtas.rules.watchlist_file.validate_rows``), so that a
person typed in the browser and the same person in an imported file are held to the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from werkzeug.datastructures import MultiDict

from gtas.categories import normalised_key, refusal
from gtas.days import day_end
from gtas.model import Traveller, Watchlist, WatchlistEntry, WatchlistSeverity
from gtas.rules.watchlist_file import COLUMNS, EntryRow, validate_rows

ENTRY_FIELDS = ("reference", "full_name", "surname", "given_names", "aliases", "dates_of_birth", "gender",
                "nationalities", "category", "severity", "valid_from", "valid_until", "reason", "notes")
LIST_FIELDS = ("name", "source", "category", "severity", "match_threshold", "owner", "valid_from", "valid_until")
DOCUMENT_ROWS = 3  # empty document rows offered below the entry's own
REASON_LENGTH = 4000
FILE_COLUMNS = {"date_of_birth": "dates_of_birth", "nationality": "nationalities", "document_type": "documents",
                "document_number": "documents", "document_country": "documents"}
MIN_THRESHOLD, MAX_THRESHOLD = 0.5, 1.0
_SEPARATORS = re.compile(r"[\n;]+")
_CODE_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(slots=True)
class Document:
    """One document row of the entry form, as typed."""

    kind: str = ""
    number: str = ""
    country: str = ""


@dataclass(slots=True)
class Form:
    """A form's fields as typed, its document rows (entries only), and the problems found, by field name."""

    values: dict[str, str] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """What the field holds ("" when empty)."""
        return self.values.get(name, "")

    def error(self, name: str, message: str) -> None:
        """Note a problem with a field."""
        self.errors.setdefault(name, []).append(message)

    def padded(self) -> list[Document]:
        """The document rows followed by empty ones to fill in."""
        return [*self.documents, *(Document() for _ in range(DOCUMENT_ROWS))]


@dataclass(frozen=True, slots=True)
class EntryValues:
    """A checked entry: its file row and what only the form gives (validity and the reason for listing)."""

    row: EntryRow
    valid_from: datetime | None
    valid_until: datetime | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class ListValues:
    """A checked list form."""

    name: str
    source: str | None
    category: str
    severity: WatchlistSeverity
    match_threshold: float
    owner: str | None
    valid_from: datetime | None
    valid_until: datetime | None
    enabled: bool


def read_form(data: MultiDict[str, str], names: tuple[str, ...]) -> Form:
    """The fields of a posted form (with its document rows, if any)."""
    form = Form(values={name: data.get(name, "").strip() for name in names})
    if data.get("enabled", "").strip():
        form.values["enabled"] = "yes"
    rows = zip(data.getlist("document_type"), data.getlist("document_number"), data.getlist("document_country"),
               strict=False)
    form.documents = [Document(k.strip(), n.strip(), c.strip()) for k, n, c in rows if (k + n + c).strip()]
    return form


def entry_form(entry: WatchlistEntry) -> Form:
    """The form holding an entry's values."""
    return Form(values={
        "reference": entry.reference, "full_name": entry.full_name or "", "surname": entry.surname or "",
        "given_names": entry.given_names or "", "aliases": "\n".join(entry.aliases),
        "dates_of_birth": "\n".join(entry.dates_of_birth), "gender": entry.gender or "",
        "nationalities": " ".join(entry.nationalities), "category": entry.category or "",
        "severity": entry.severity.value if entry.severity else "", "valid_from": _day(entry.valid_from),
        "valid_until": _last_day(entry.valid_until), "reason": entry.reason or "", "notes": entry.notes or ""},
        documents=[Document(d.kind, d.number, d.country or "") for d in entry.documents])


def traveller_form(traveller: Traveller) -> Form:
    """A new entry's form filled in with a traveller's name, date of birth, gender, nationality and documents."""
    return Form(values={
        "surname": traveller.surname or "", "given_names": traveller.given_names or "",
        "dates_of_birth": traveller.date_of_birth.isoformat() if traveller.date_of_birth else "",
        "gender": traveller.gender if traveller.gender in ("M", "F", "X") else "",
        "nationalities": traveller.nationality or ""},
        documents=[Document(d.type, d.number, d.issuing_country or "") for d in traveller.documents])


def list_form(watchlist: Watchlist) -> Form:
    """The form holding a list's settings."""
    return Form(values={
        "name": watchlist.name, "source": watchlist.source or "", "category": watchlist.category,
        "severity": watchlist.severity.value, "match_threshold": f"{watchlist.match_threshold:g}",
        "owner": watchlist.owner or "", "valid_from": _day(watchlist.valid_from),
        "valid_until": _last_day(watchlist.valid_until), **({"enabled": "yes"} if watchlist.enabled else {})})


def check_entry(form: Form, today: date, categories: Collection[str]) -> EntryValues | None:
    """The entry the form describes, or None with the problems noted on the form; its category, if any, must be one
    of ``categories`` (the active ones and the entry's own)."""
    cells = {name: "" for name in COLUMNS}
    cells.update(reference=form.value("reference"), full_name=form.value("full_name"),
                 surname=form.value("surname"), given_names=form.value("given_names"),
                 aliases=";".join(_parts(form.value("aliases"))),
                 date_of_birth=";".join(_parts(form.value("dates_of_birth"))), gender=form.value("gender"),
                 nationality=";".join(part for part in _CODE_SEPARATORS.split(form.value("nationalities")) if part),
                 category=form.value("category"), severity=form.value("severity"), notes=form.value("notes"))
    if form.documents:
        cells.update(document_type=";".join(d.kind for d in form.documents),
                     document_number=";".join(d.number for d in form.documents),
                     document_country=";".join(d.country for d in form.documents))
    if any(not d.number for d in form.documents):
        form.error("documents", "every document needs its number (leave the whole row empty to drop it)")
    result = validate_rows(pd.DataFrame([cells], columns=list(COLUMNS), dtype=str), today=today)
    category = form.value("category")
    if category and normalised_key(category) not in categories:
        form.error("category", refusal(normalised_key(category), categories))
    for problem in result.errors:
        name = FILE_COLUMNS.get(problem.column, problem.column) or "reference"
        form.error(name, problem.reason + (f" ({problem.value})" if problem.value and problem.value not in
                                           problem.reason else ""))
    valid_from, valid_until = _validity(form, today)
    reason = form.value("reason")
    if len(reason) > REASON_LENGTH:
        form.error("reason", f"longer than {REASON_LENGTH} characters")
    if form.errors or not result.rows:
        return None
    return EntryValues(result.rows[0], valid_from, valid_until, reason or None)


def check_list(form: Form, today: date, categories: Collection[str]) -> ListValues | None:
    """The list settings the form describes, or None with the problems noted on the form; the category must be one
    of ``categories`` (the active ones and the list's own)."""
    name = " ".join(form.value("name").split())
    if not name or len(name) > 100:
        form.error("name", "a list name needs 1 to 100 characters")
    category: str | None = normalised_key(form.value("category"))
    if category not in categories:
        form.error("category", refusal(category or "", categories) if category else "choose a category")
        category = None
    severity = _severity(form)
    try:
        threshold = float(form.value("match_threshold") or "0.8")
    except ValueError:
        threshold = -1.0
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        form.error("match_threshold", f"a number from {MIN_THRESHOLD} to {MAX_THRESHOLD}, such as 0.8")
    for text, limit in (("source", 200), ("owner", 100)):
        if len(form.value(text)) > limit:
            form.error(text, f"longer than {limit} characters")
    valid_from, valid_until = _validity(form, today, future=False)
    if form.errors or category is None or severity is None:
        return None
    return ListValues(name, form.value("source") or None, category, severity, threshold, form.value("owner") or None,
                      valid_from, valid_until, form.value("enabled") == "yes")


def _severity(form: Form) -> WatchlistSeverity | None:
    try:
        return WatchlistSeverity(form.value("severity"))
    except ValueError:
        form.error("severity", f"choose one of: {', '.join(WatchlistSeverity)}")
        return None


def _validity(form: Form, today: date, *, future: bool = True) -> tuple[datetime | None, datetime | None]:
    """Valid from the start of one day to the end of another (UTC); the end may not be before the start, nor
    (with ``future``) in the past: an entry is ended by expiring it."""
    start, end = _date(form, "valid_from"), _date(form, "valid_until")
    if start and end and end < start:
        form.error("valid_until", "the last day of validity is before the first")
    elif future and end and end < today:
        form.error("valid_until", "the last day of validity has passed (to end an entry now, expire it)")
    valid_from = datetime.combine(start, time(), tzinfo=UTC) if start else None
    valid_until = day_end(end) if end else None
    return valid_from, valid_until


def _date(form: Form, name: str) -> date | None:
    text = form.value(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        form.error(name, f"a date such as 2031-12-31, not {text[:20]!r}")
        return None


def _day(moment: datetime | None) -> str:
    return moment.date().isoformat() if moment else ""


def _last_day(moment: datetime | None) -> str:
    """The last day of a validity ending at ``moment`` (the end of that day is the next midnight)."""
    return (moment - timedelta(microseconds=1)).date().isoformat() if moment else ""


def _parts(text: str) -> list[str]:
    """The values of a field holding one per line (or ``;``-separated)."""
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
