"""Fuzzy name search with the screening matcher, fast on a large window of travellers.

Two steps. A cheap prefilter ranks the names of the travellers in the window with rapidfuzz against the folded
search text (``token_sort_ratio``: parts in any order; a one-part search uses ``token_set_ratio``, so that "smith"
meets "John Smith"); the best ``CANDIDATES`` go on. Then the matcher of screening (``gtas.rules.matching.score``)
scores each candidate in full, the searched name playing the part of a watchlist entry, and explains which parts
aligned with what.

The window's names are read once and kept in the process (``WindowNames``) until the traveller table changes (its
row count, highest id or latest update) or ``FRESH_SECONDS`` pass: a search then costs one aggregate query, the
prefilter and the scoring of a few hundred candidates, whose current names are read again from the database.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from gtas.model import Traveller
from gtas.rules.matching.normalise import name_form
from gtas.rules.matching.person import Name, PersonRecord
from gtas.rules.matching.score import score_at_least
from gtas.rules.screening import traveller_records

CANDIDATES = 300  # the prefilter's best, scored in full
PREFILTER_CUTOFF = 50  # rapidfuzz's 0..100: below this a name is not even a candidate
MIN_SCORE = 0.70  # the matcher's 0..1: a search shows more than screening alerts on (0.80), best first
FRESH_SECONDS = 60.0  # the longest a window's names are reused (names changed in place are seen after this)
WINDOWS_KEPT = 8  # windows (dates × airports) whose names are kept; the default window serves most searches


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A traveller whose name matched: the matcher's score and the explanation an officer reads."""

    traveller_id: int
    score: float
    why: str
    explanation: dict[str, Any]


@dataclass(frozen=True, slots=True)
class WindowNames:
    """The travellers of a window and their names as the prefilter compares them (lower case "given surname")."""

    signature: tuple[Any, ...]
    read_at: float
    ids: list[int]
    names: list[str]


_windows: OrderedDict[Hashable, WindowNames] = OrderedDict()
_lock = threading.Lock()


def searched_person(text: str, born: str = "") -> PersonRecord:
    """The searched name (and date of birth) as the matcher compares it."""
    return PersonRecord(names=(Name(text),), dates_of_birth=(born,) if born else ())


def window_names(session: Session, key: Hashable, travellers: Select[Any]) -> WindowNames:
    """The names of the window's travellers (``travellers`` selects their ids), read again only when stale."""
    signature = tuple(session.execute(select(func.count(), func.max(Traveller.id), func.max(Traveller.updated_at))
                                      .select_from(Traveller)).one())
    key = (str(session.get_bind().engine.url), key)
    with _lock:
        kept = _windows.get(key)
        if kept is not None and kept.signature == signature and time.monotonic() - kept.read_at < FRESH_SECONDS:
            _windows.move_to_end(key)
            return kept
    spelt = func.lower(func.coalesce(Traveller.given_names, "") + " " + func.coalesce(Traveller.surname, ""))
    rows = session.connection().execute(select(Traveller.id, spelt).where(Traveller.id.in_(travellers))).all()
    fresh = WindowNames(signature, time.monotonic(), [row[0] for row in rows], [row[1] for row in rows])
    with _lock:
        _windows[key] = fresh
        _windows.move_to_end(key)
        while len(_windows) > WINDOWS_KEPT:
            _windows.popitem(last=False)
    return fresh


def match_names(session: Session, window: WindowNames, text: str, born: str = "") -> list[NameMatch]:
    """Travellers of the window whose name matches ``text`` (and ``born``), best first."""
    wanted = " ".join(name_form(Name(text)).tokens)
    scorer = fuzz.token_set_ratio if len(wanted.split()) == 1 else fuzz.token_sort_ratio
    ranked = process.extract(wanted, window.names, scorer=scorer, limit=CANDIDATES, score_cutoff=PREFILTER_CUTOFF)
    return score_candidates(session, (window.ids[index] for _, _, index in ranked), searched_person(text, born))


def score_candidates(session: Session, candidates: Iterable[int], searched: PersonRecord) -> list[NameMatch]:
    """Score each candidate traveller in full against the searched person; those at MIN_SCORE or more, best first."""
    found = []
    for traveller_id, record in traveller_records(session, candidates).items():
        match = score_at_least(record, searched, MIN_SCORE)
        if match is not None:
            found.append(NameMatch(traveller_id, match.score, why(match.explanation), match.explanation))
    return sorted(found, key=lambda m: (-m.score, m.traveller_id))


def why(explanation: dict[str, Any]) -> str:
    """Why a name matched, in one line: each aligned part with its rule, then the date of birth when compared."""
    name = explanation.get("name", {})
    parts = [f"{pair['traveller']} = {pair['entry']}" if pair["rule"] == "exact"
             else f"{pair['traveller']} ≈ {pair['entry']} ({pair['rule'].replace('_', ' ')})"
             for pair in name.get("aligned", [])]
    left = name.get("unmatched_traveller", [])
    if left:
        parts.append(f"also named {' '.join(left)}")
    dob = explanation.get("date_of_birth", {})
    if dob.get("rule", "not_compared") != "not_compared":
        parts.append(f"born {dob.get('traveller')}: {dob['rule'].replace('_', ' ')}")
    return "; ".join(parts)
