"""Watchlist files (CSV or Excel): read and validate their rows into entry rows, and write entry rows back.

A file has one row per entry, under a header of COLUMNS. Multi-valued cells are ``;``-separated: aliases, dates of
birth, nationalities, and the documents (the n-th type, number and country belong together; one type or country
serves every number). Problems are returned as RowError values with the spreadsheet row number (header = row 1).
Exports neutralise cells that a spreadsheet would run as a formula; reading removes that protection again.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from gtas.cells import inert, restored
from gtas.model.watchlist import WatchlistSeverity
from gtas.rules import watchlist_fields

COLUMNS = ("reference", "full_name", "surname", "given_names", "aliases", "date_of_birth", "gender", "nationality",
           "document_type", "document_number", "document_country", "category", "severity", "notes")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ROWS = 2_000_000
MAX_EXCEL_UNPACKED_BYTES = 1024 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to more than this
LENGTHS = {"reference": 64, "full_name": 200, "surname": 100, "given_names": 100, "notes": 4000,
           "alias": 200, "document_number": 35}


@dataclass(frozen=True, slots=True)
class DocumentRow:
    """One document of an entry row: number as written, type code, issuing country (alpha-3)."""

    number: str
    kind: str = ""
    country: str | None = None


@dataclass(frozen=True, slots=True)
class EntryRow:
    """The file's view of one entry, normalised; ``row`` is where it was read (not part of its value)."""

    reference: str
    full_name: str | None = None
    surname: str | None = None
    given_names: str | None = None
    aliases: tuple[str, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    gender: str | None = None
    nationalities: tuple[str, ...] = ()
    documents: tuple[DocumentRow, ...] = ()
    category: str | None = None  # a category key; whether it is a managed one is checked with the database
    severity: WatchlistSeverity | None = None
    notes: str | None = None
    row: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class RowError:
    """Why a row (or, with row 1, the header or the whole file) cannot be imported; ``reference`` when known."""

    row: int
    column: str
    reason: str
    value: str = ""
    reference: str = field(default="", compare=False)


@dataclass(slots=True)
class ReadResult:
    """The valid entry rows of a file and the errors of the others."""

    rows: list[EntryRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def read_watchlist_file(path: Path, *, encoding: str = "utf-8", max_bytes: int = MAX_FILE_BYTES,
                        max_rows: int = MAX_ROWS, today: date | None = None) -> ReadResult:
    """Read and validate a CSV or Excel watchlist file (by its extension)."""
    cells = _read_cells(path, encoding=encoding, max_bytes=max_bytes, max_rows=max_rows)
    if isinstance(cells, RowError):
        return ReadResult(errors=[cells])
    return validate_rows(cells, today=today)


def validate_rows(frame: pd.DataFrame, *, today: date | None = None) -> ReadResult:
    """Entry rows from a frame of text cells under COLUMNS; duplicate references are errors from the second on."""
    result = ReadResult()
    header = [str(name).strip().lower() for name in frame.columns]
    for position, name in enumerate(header):
        if name not in COLUMNS:
            result.errors.append(RowError(1, name, f"unknown column (expected some of: {', '.join(COLUMNS)})"))
        elif name in header[:position]:
            result.errors.append(RowError(1, name, "the column appears twice"))
    if "reference" not in header:
        result.errors.append(RowError(1, "reference", "missing column"))
    if not {"full_name", "surname", "document_number"} & set(header):
        result.errors.append(RowError(1, "full_name", "missing column: give full_name, surname or document_number"))
    if frame.empty:
        result.errors.append(RowError(1, "", "the file has no entries (an import replaces the whole list)"))
    if result.errors:
        return result
    first_row: dict[str, int] = {}
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=2):
        cells = {name: restored("" if pd.isna(value) else str(value))
                 for name, value in zip(header, values, strict=True)}
        if not any(text.strip() for text in cells.values()):
            continue
        entry = _entry_row(number, cells, result.errors, today)
        if entry is None:
            continue
        if entry.reference in first_row:
            result.errors.append(RowError(number, "reference", f"duplicate reference, first on row "
                                                               f"{first_row[entry.reference]}", entry.reference,
                                          entry.reference))
            continue
        first_row[entry.reference] = number
        result.rows.append(entry)
    return result


def _entry_row(number: int, cells: dict[str, str], errors: list[RowError], today: date | None) -> EntryRow | None:
    """The entry row of one line's cells, or None after adding its errors."""
    found = [RowError(number, name, "contains control characters", text.encode("unicode_escape").decode()[:40])
             for name, text in cells.items() if any(_is_control(character) for character in text)]

    def cell(name: str) -> str | None:
        value, limit = " ".join(cells.get(name, "").split()), LENGTHS.get(name, 100)
        if len(value) > limit:
            found.append(RowError(number, name, f"longer than {limit} characters", value[:40]))
        return value or None

    def each(name: str, normalise: Callable[[str], str]) -> tuple[str, ...]:
        values = []
        for item in _split(cells.get(name, "")):
            try:
                values.append(normalise(item))
            except ValueError as exc:
                found.append(RowError(number, name, str(exc), item))
        return tuple(values)

    reference = cell("reference")
    full_name, surname, given_names, notes = cell("full_name"), cell("surname"), cell("given_names"), cell("notes")
    aliases = each("aliases", lambda alias: _limited(" ".join(alias.split()), LENGTHS["alias"]))
    dates = each("date_of_birth", lambda text: watchlist_fields.date_of_birth(text, today))
    genders = each("gender", watchlist_fields.gender)
    nationalities = each("nationality", watchlist_fields.country)
    documents = _documents(number, cells, found)
    category = _normalised(number, "category", cells.get("category", "").strip(), watchlist_fields.category, found)
    severity = _severity(number, cells, found)
    if reference is None:
        found.append(RowError(number, "reference", "missing reference"))
    if given_names and not surname:
        found.append(RowError(number, "given_names", "given names without a surname", given_names))
    if not (full_name or surname or documents or any(e.column.startswith("document") for e in found)):
        found.append(RowError(number, "full_name", "neither a name nor a document"))
    if len(genders) > 1:
        found.append(RowError(number, "gender", "one gender only", cells["gender"]))
    if found or reference is None:
        errors += dict.fromkeys(replace(error, reference=reference or "") for error in found)
        return None
    return EntryRow(reference, full_name, surname, given_names, tuple(dict.fromkeys(aliases)),
                    tuple(dict.fromkeys(dates)), (genders[0] if genders else "") or None,
                    tuple(dict.fromkeys(nationalities)), documents, category, severity, notes, row=number)


def _documents(number: int, cells: dict[str, str], found: list[RowError]) -> tuple[DocumentRow, ...]:
    """The row's documents: numbers paired with their types and countries by position (one of either serves all)."""
    numbers = _split(cells.get("document_number", ""))
    kinds = _split(cells.get("document_type", "")) or [""]
    countries = _split(cells.get("document_country", "")) or [""]
    if not numbers:
        if any(kinds) or any(countries):
            found.append(RowError(number, "document_number", "a document type or country without a number"))
        return ()
    documents: list[DocumentRow] = []
    for column, values in (("document_type", kinds), ("document_country", countries)):
        if len(values) not in (1, len(numbers)):
            found.append(RowError(number, column, f"{len(values)} values for {len(numbers)} document numbers",
                                  cells[column]))
            return ()
    for index, text in enumerate(numbers):
        kind = _normalised(number, "document_type", kinds[index if len(kinds) > 1 else 0],
                           watchlist_fields.document_kind, found)
        country = _normalised(number, "document_country", countries[index if len(countries) > 1 else 0],
                              watchlist_fields.country, found)
        if not watchlist_fields.document_number_key(text):
            found.append(RowError(number, "document_number", "a document number needs letters or digits", text))
        elif len(text) > LENGTHS["document_number"]:
            found.append(RowError(number, "document_number", f"longer than {LENGTHS['document_number']} characters",
                                  text[:40]))
        else:
            documents.append(DocumentRow(text, kind or "", country))
    return tuple(dict.fromkeys(documents))


def _normalised(number: int, column: str, text: str, normalise: Callable[[str], str],
                found: list[RowError]) -> str | None:
    """The normalised value of one cell part, None when it is empty or wrong (the error added)."""
    if not text:
        return None
    try:
        return normalise(text)
    except ValueError as exc:
        found.append(RowError(number, column, str(exc), text))
        return None


def _severity(number: int, cells: dict[str, str], found: list[RowError]) -> WatchlistSeverity | None:
    """The severity named in the cell (case and spaces forgiven), None when empty, an error when unknown."""
    text = cells.get("severity", "").strip()
    if not text:
        return None
    try:
        return WatchlistSeverity(text.lower())
    except ValueError:
        found.append(RowError(number, "severity", f"unknown severity (use one of: {', '.join(WatchlistSeverity)})",
                              text))
        return None


def _is_control(character: str) -> bool:
    """A control character other than the white space a cell may hold (terminal escapes, NUL, bell …)."""
    return character not in "\t\n\r" and unicodedata.category(character) == "Cc"


def _limited(text: str, length: int) -> str:
    if len(text) > length:
        raise ValueError(f"longer than {length} characters")
    return text


def _split(text: str) -> list[str]:
    """The ``;``-separated values of a cell, trimmed; an empty cell has none."""
    return [part.strip() for part in text.split(";")] if text.strip() else []


def _read_cells(path: Path, *, encoding: str, max_bytes: int, max_rows: int) -> pd.DataFrame | RowError:
    """The file's cells as text (empty cells as ""), or the reason it cannot be read."""
    suffix = path.suffix.lower()
    if suffix not in EXCEL_SUFFIXES + CSV_SUFFIXES:
        return RowError(1, "", f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return RowError(1, "", f"file too large: {size} bytes, the limit is {max_bytes}")
        frame = (_read_excel(path, max_rows) if suffix in EXCEL_SUFFIXES
                 else _read_csv(path.read_bytes(), encoding, max_rows))
    except OSError as exc:
        return RowError(1, "", f"cannot read the file: {exc.strerror or exc}")
    if isinstance(frame, RowError):
        return frame
    if len(frame) > max_rows:
        return RowError(1, "", f"too many rows: more than {max_rows}")
    return frame


def _read_csv(data: bytes, encoding: str, max_rows: int) -> pd.DataFrame | RowError:
    if b"\x00" in data:
        return RowError(1, "", "not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as exc:
        return RowError(1, "", f"not {encoding} text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                               "save the file as UTF-8 or give its encoding, e.g. --encoding cp1252")
    except LookupError:
        return RowError(1, "", f"unknown encoding {encoding}")
    if not text.strip():
        return RowError(1, "", "the file is empty")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:  # no header row for pandas: a row with more cells than the header is then an error, not a new index
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                            nrows=max_rows + 2, quoting=csv.QUOTE_MINIMAL, skip_blank_lines=False)
    except (pd.errors.ParserError, ValueError) as exc:
        return RowError(1, "", f"not a valid CSV file: {' '.join(str(exc).split())}")
    return _headed(frame)


def _headed(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its first row as the column names, without columns that have neither a name nor a value
    (spreadsheets keep formatted empty columns, CSV lines may end with a separator)."""
    if frame.empty:
        return frame
    text = frame.fillna("").astype(str)
    keep = [position for position in range(text.shape[1]) if text.iloc[:, position].str.strip().any()]
    body = text.iloc[:, keep]
    return body.iloc[1:].set_axis([str(name) for name in body.iloc[0]], axis=1).reset_index(drop=True)


def _read_excel(path: Path, max_rows: int) -> pd.DataFrame | RowError:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return RowError(1, "", "not an Excel .xlsx file")
    if unpacked > MAX_EXCEL_UNPACKED_BYTES:
        return RowError(1, "", f"the workbook unpacks to {unpacked} bytes, the limit is {MAX_EXCEL_UNPACKED_BYTES}")
    try:
        frame = pd.read_excel(path, sheet_name=0, header=None, dtype=str, keep_default_na=False,
                              nrows=max_rows + 2, engine="openpyxl")
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        return RowError(1, "", f"not a readable Excel workbook: {exc}")
    return _headed(frame)


def write_watchlist_file(path: Path, rows: Iterable[EntryRow]) -> None:
    """Write entry rows as CSV (UTF-8) or Excel, by the path's extension, in the column order of COLUMNS."""
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        _frame(rows).to_excel(path, index=False, sheet_name="watchlist", engine="openpyxl")
    elif suffix in CSV_SUFFIXES:
        path.write_text(csv_text(rows), encoding="utf-8")
    else:
        raise ValueError(f"unsupported file type {suffix or '(none)'}: use .csv or .xlsx")


def csv_text(rows: Iterable[EntryRow]) -> str:
    """Entry rows as the text of a CSV watchlist file."""
    return _frame(rows).to_csv(index=False, lineterminator="\n")


def _frame(rows: Iterable[EntryRow]) -> pd.DataFrame:
    return pd.DataFrame([_cells(row) for row in rows], columns=list(COLUMNS), dtype=str)


def _cells(row: EntryRow) -> list[str]:
    """The protected cells of one row, in COLUMNS order."""
    documents = row.documents
    kinds = _joined_positional([document.kind for document in documents])
    countries = _joined_positional([document.country or "" for document in documents])
    values = [row.reference, row.full_name or "", row.surname or "", row.given_names or "", "; ".join(row.aliases),
              ";".join(row.dates_of_birth), row.gender or "", ";".join(row.nationalities), kinds,
              ";".join(document.number for document in documents), countries,
              row.category or "", row.severity.value if row.severity else "", row.notes or ""]
    return [inert(value) for value in values]


def _joined_positional(values: Sequence[str]) -> str:
    """A per-document column: one value when all documents share it, else one per document."""
    return values[0] if len(set(values)) == 1 else ";".join(values)
