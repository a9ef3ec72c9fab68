"""Score a traveller against a watchlist entry: names first, then date of birth, gender, nationality, documents.

The name score (best over every pair of names and aliases) is raised or lowered by the other fields; a document
number that matches is enough on its own (lost and stolen passports have no name). Every score comes with an
explanation an officer can read: which parts aligned with what and which rule each field applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import OSA

from gtas.rules.matching.names import NO_ALIGNMENT, Alignment, align
from gtas.rules.matching.normalise import BirthDate, birth_date, document_number, name_form, raw_document_number
from gtas.rules.matching.person import IdDocument, Name, PersonRecord

DEFAULT_THRESHOLD = 0.80  # chosen on half of the name benchmark, checked on the other half (tests/rules)

# Date of birth: adjustment to the name score per rule (logic-v2's weights: a day and a year that both differ cost
# 0.4, so a conflicting date of birth keeps even a perfect name below the alert bar).
DOB_ADJUSTMENT = {
    "exact": 0.05,
    "agrees_at_precision": 0.0,
    "placeholder_jan_01": 0.0,
    "one_digit_off": -0.05,
    "day_month_swapped": -0.1,
    "year_off_by_one": -0.15,
    "same_year_other_date": -0.25,
    "conflicting": -0.3,
    "far_apart": -0.4,
    "not_compared": 0.0,
}
GENDER_CONFLICT = -0.15
NATIONALITY_CONFLICT = -0.1
# Documents: score on their own (main) and adjustment to a name score (support).
DOCUMENT_MAIN = {"exact": 0.95, "exact_other_country": 0.85, "confusable": 0.9, "transposition": 0.8,
                 "one_character_off": 0.75}
DOCUMENT_SUPPORT = {"exact": 0.1, "exact_other_country": 0.05, "confusable": 0.1, "transposition": 0.05,
                    "one_character_off": 0.05, "different_number": -0.05}
MIN_NEAR_DOCUMENT = 6  # shorter numbers must match exactly


@dataclass(frozen=True, slots=True)
class Match:
    """A score from 0 to 1 and the per-field explanation behind it (JSON-serialisable); ``entry`` is the listed
    entry's reference when an index found it."""

    score: float
    explanation: dict[str, Any]
    entry: str = ""


def score(query: PersonRecord, entry: PersonRecord) -> Match:
    """Score a traveller (``query``) against a watchlist entry."""
    match = score_at_least(query, entry, 0.0)
    assert match is not None  # nothing scores below zero
    return match


def score_at_least(query: PersonRecord, entry: PersonRecord, threshold: float) -> Match | None:
    """The score, or None as soon as it is clear it cannot reach ``threshold`` (the fast path of screening)."""
    document_rule, document_values = compare_documents(query.documents, entry.documents)
    dob_rule, dob_values = compare_dates(query.dates_of_birth, entry.dates_of_birth)
    dob = DOB_ADJUSTMENT[dob_rule]
    gender_rule, gender = _compare_gender(query.gender, entry.gender)
    nationality_rule, nationality = _compare_nationalities(query.nationalities, entry.nationalities)
    support = DOCUMENT_SUPPORT.get(document_rule, 0.0)
    if 1.0 + dob + gender + nationality + support < threshold and document_rule not in DOCUMENT_MAIN:
        return None  # not even a perfect name would do
    name, pair = _best_alignment(query, entry)
    penalties = min(dob, 0.0) + gender
    by_name = name.score + dob + gender + nationality + support if entry.names else 0.0
    by_document = DOCUMENT_MAIN[document_rule] + penalties if document_rule in DOCUMENT_MAIN else 0.0
    total = min(1.0, max(0.0, by_name, by_document))
    if total < threshold:
        return None
    explanation: dict[str, Any] = {
        "score": round(total, 3),
        "decided_by": "document" if by_document > by_name else "name",
        "name": _explain_name(query, entry, name, pair),
        "date_of_birth": {"rule": dob_rule, **dob_values, "adjustment": dob},
        "gender": {"rule": gender_rule, "traveller": query.gender, "entry": entry.gender, "adjustment": gender},
        "nationality": {"rule": nationality_rule, "traveller": list(query.nationalities),
                        "entry": list(entry.nationalities), "adjustment": nationality},
        "document": {"rule": document_rule, **document_values,
                     "adjustment": DOCUMENT_SUPPORT.get(document_rule, 0.0),
                     "score_alone": DOCUMENT_MAIN.get(document_rule, 0.0)},
    }
    return Match(total, explanation)


def name_score(query: PersonRecord, entry: PersonRecord) -> float:
    """The best name alignment score over every pair of names and aliases (the scorer's name part alone)."""
    return _best_alignment(query, entry)[0].score


def _best_alignment(query: PersonRecord, entry: PersonRecord) -> tuple[Alignment, tuple[Name, Name] | None]:
    best: tuple[Alignment, tuple[Name, Name] | None] = (NO_ALIGNMENT, None)
    for q in query.names:
        q_form = name_form(q)
        for e in entry.names:
            alignment = align(q_form, name_form(e))
            if alignment.score > best[0].score:
                best = (alignment, (q, e))
    return best


def _explain_name(query: PersonRecord, entry: PersonRecord, alignment: Alignment,
                  pair: tuple[Name, Name] | None) -> dict[str, Any]:
    if pair is None:
        return {"rule": "no_names" if not entry.names or not query.names else "no_part_aligned", "score": 0.0}
    explanation = alignment.explain(_written(pair[0]), _written(pair[1]))
    explanation["rule"] = "primary_name" if pair[1] == entry.names[0] else "alias"
    return explanation


def _written(name: Name) -> str:
    return name.full or f"{name.given} {name.surname}".strip()


def compare_dates(query: tuple[str, ...], entry: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """The most favourable date-of-birth rule over every pair of dates, with the two dates it compared."""
    best: tuple[str, dict[str, str]] = ("not_compared", {})
    for q_text in query:
        q = birth_date(q_text)
        for e_text in entry:
            e = birth_date(e_text)
            if q is None or e is None:
                continue
            rule = date_rule(q, e)
            if DOB_ADJUSTMENT[rule] > DOB_ADJUSTMENT[best[0]] or best[0] == "not_compared":
                best = (rule, {"traveller": str(q), "entry": str(e)})
    return best[0], best[1]


def date_rule(q: BirthDate, e: BirthDate) -> str:
    """Which rule relates two dates of birth compared at the precision both have."""
    full = None not in (q.month, q.day, e.month, e.day)
    if q == e:
        return "exact" if full else "agrees_at_precision"
    if full:
        if q.year == e.year and (q.month, q.day) == (e.day, e.month):
            return "day_month_swapped"
        if q.year == e.year and (1, 1) in ((q.month, q.day), (e.month, e.day)):
            return "placeholder_jan_01"
        if sum(a != b for a, b in zip(str(q), str(e), strict=True)) == 1:
            return "one_digit_off"
        if abs(q.year - e.year) == 1 and (q.month, q.day) == (e.month, e.day):
            return "year_off_by_one"
    elif q.year == e.year and (q.month is None or e.month is None or q.month == e.month):
        return "agrees_at_precision"
    elif abs(q.year - e.year) == 1:
        return "year_off_by_one"
    if q.year == e.year:
        return "same_year_other_date"
    return "far_apart" if abs(q.year - e.year) > 5 else "conflicting"


def _compare_gender(query: str, entry: str) -> tuple[str, float]:
    known = {"M", "F"}
    q, e = query.strip().upper()[:1], entry.strip().upper()[:1]
    if q not in known or e not in known:
        return "not_compared", 0.0
    return ("agrees", 0.0) if q == e else ("conflicting", GENDER_CONFLICT)


def _compare_nationalities(query: tuple[str, ...], entry: tuple[str, ...]) -> tuple[str, float]:
    q = {n.strip().upper() for n in query if n.strip()}
    e = {n.strip().upper() for n in entry if n.strip()}
    if not q or not e:
        return "not_compared", 0.0
    return ("agrees", 0.0) if q & e else ("conflicting", NATIONALITY_CONFLICT)


def compare_documents(query: tuple[IdDocument, ...], entry: tuple[IdDocument, ...]) -> tuple[str, dict[str, str]]:
    """The strongest document rule over every pair of documents, with the two numbers it compared."""
    ranking = [*DOCUMENT_MAIN, "different_number", "unrelated"]
    best: tuple[str, dict[str, str]] = ("not_compared", {})
    for q in query:
        for e in entry:
            rule = document_rule(q, e)
            if best[0] == "not_compared" or ranking.index(rule) < ranking.index(best[0]):
                best = (rule, {"traveller": q.number, "entry": e.number})
    return best[0], best[1]


def document_rule(q: IdDocument, e: IdDocument) -> str:
    """How two documents relate: same number (exactly, with O/0 I/1 confusions, one swap or one character off)."""
    q_raw, e_raw = raw_document_number(q.number), raw_document_number(e.number)
    if not q_raw or not e_raw:
        return "unrelated"
    same_country = not q.country or not e.country or q.country.upper() == e.country.upper()
    if q_raw == e_raw:
        return "exact" if same_country else "exact_other_country"
    q_num, e_num = document_number(q.number), document_number(e.number)
    if q_num == e_num:
        return "confusable"
    if same_country and min(len(q_num), len(e_num)) >= MIN_NEAR_DOCUMENT and OSA.distance(q_num, e_num) == 1:
        if len(q_num) == len(e_num) and sorted(q_num) == sorted(e_num):
            return "transposition"
        return "one_character_off"
    same_kind = not q.kind or not e.kind or q.kind.upper() == e.kind.upper()
    if same_kind and q.country and e.country and same_country:
        return "different_number"
    return "unrelated"
