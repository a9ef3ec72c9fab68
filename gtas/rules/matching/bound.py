"""An upper bound of the name score of many watchlist entries at once: candidates it rules out skip the scorer.

The scorer (names.align) divides the weight of the parts it aligned, times their similarity, by that weight plus
the weight of the parts left over. A part that no part on the other side could align with is left over whatever
the alignment; the bound counts only those certain leftovers, gives every part that could align its highest
possible weight (1.3 × its length, an initial counted as two letters) at full similarity, and charges the
leftovers the full weight when both names certainly keep a non-particle part (a contradiction), the extra-part
share otherwise. The score can only be lower, so nothing the scorer would accept is lost.

A listed part could align with a part of the traveller's name when it is in the index's similar-part set for it
(which settles phonetic keys), when the scorer's spelling rule would accept the two (edit costs computed with
rapidfuzz over every distinct listed part at once), when one is an initial of the other, when it is one of two
adjacent listed parts the scorer joins into the same folded spelling, or when it is written in an abjad.
Travellers whose name is not all alphabetic, and entries with such parts, are not bounded.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from gtas.rules.matching.names import (
    BUDGETS,
    CONTRADICTION_WEIGHT,
    EXTRA_WEIGHT,
    SURNAME_WEIGHT,
    is_particle,
    part_weight,
)
from gtas.rules.matching.normalise import NameForm, Script, confusable_fold

IdArray = npt.NDArray[np.int32]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
SPELT = 3  # parts this long on both sides may align by spelling (shorter ones only when equal)


def _most_weight(length: int) -> int:
    """The most weight a part of this length brings to an aligned pair (before the surname factor)."""
    return max(length, 2)


def joined_code(text: str) -> int:
    """What two parts written together are compared by when the scorer joins them: their folded spelling."""
    return hash(confusable_fold(text)) or 1


def segment_sums(values: npt.NDArray[np.float64] | Bools, starts: npt.NDArray[np.int64]) -> Floats:
    """Sums of consecutive segments of ``values`` beginning at ``starts`` (the last runs to the end; empty allowed)."""
    totals = np.concatenate(([0.0], np.cumsum(values, dtype=np.float64)))
    return np.asarray(np.diff(totals[np.append(starts, len(values))]), dtype=np.float64)


def spread(starts: npt.NDArray[np.int64], stops: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Every index of the ranges ``starts[i]:stops[i]``, concatenated in order."""
    counts = stops - starts
    total = int(counts.sum())
    if not total:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return np.asarray(np.arange(total, dtype=np.int64) + offsets, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class QueryUnit:
    """A part of the traveller's name, or two adjacent parts joined, with the listed parts it aligns with."""

    covers: tuple[int, ...]  # positions of the traveller's name parts it covers
    text: str
    similar: npt.NDArray[np.int64]  # listed part numbers the scorer aligns with it, as the index found them

    @property
    def joined(self) -> bool:
        """Two parts written together."""
        return len(self.covers) == 2


class NameLayout:
    """Every listed name as compact arrays: per entry its names, per name its parts, per part what the bound needs."""

    def __init__(self) -> None:
        self._entry_names = array("q", [0])
        self._name_parts = array("q", [0])
        self._tokens = array("i")
        self._weights, self._most, self._plain = array("d"), array("d"), array("b")
        self._joined = array("q")
        self._unbounded = array("b")

    def add(self, forms: Sequence[NameForm], token_id: Callable[[str, Script], int]) -> None:
        """Lay out the next entry's names (``token_id`` numbers each part)."""
        unbounded = False
        for form in forms:
            tokens = form.tokens
            unbounded |= any(script != Script.ALPHABET for script in form.scripts)
            for i, token in enumerate(tokens):
                self._tokens.append(token_id(token, form.scripts[i]))
                self._weights.append(part_weight(form, i))
                self._most.append(_most_weight(len(token)))
                self._plain.append(not is_particle(form, i))
                after = tokens[i + 1] if i + 1 < len(tokens) else ""
                self._joined.append(joined_code(token + after) if len(token) > 1 and len(after) > 1 else 0)
            self._name_parts.append(len(self._tokens))
        self._entry_names.append(len(self._name_parts) - 1)
        self._unbounded.append(unbounded)

    def freeze(self) -> None:
        """Turn the collected arrays into numpy arrays (after the last entry)."""
        self.entry_names = np.frombuffer(self._entry_names, dtype=np.int64)
        self.name_parts = np.frombuffer(self._name_parts, dtype=np.int64)
        self.tokens = _as_numpy(self._tokens, np.int32)
        self.weights = _as_numpy(self._weights, np.float64)
        self.most = _as_numpy(self._most, np.float64)
        self.plain = _as_numpy(self._plain, np.int8).astype(bool)
        self.joined = _as_numpy(self._joined, np.int64)
        self.unbounded = _as_numpy(self._unbounded, np.int8).astype(bool)


def _as_numpy(values: array[int] | array[float], dtype: type[np.generic]) -> npt.NDArray[Any]:
    return np.frombuffer(values, dtype=dtype) if len(values) else np.zeros(0, dtype)


@dataclass(frozen=True, slots=True)
class ListedParts:
    """What the bound needs about the listed parts (by part number): spelling, folded spelling, length, first letter,
    and whether written in an abjad somewhere on the list."""

    texts: Sequence[str]
    folded: Sequence[str]
    lengths: npt.NDArray[np.int64]
    firsts: npt.NDArray[np.int64]  # code point of the first letter
    abjad: Bools


def name_bounds(layout: NameLayout, parts: ListedParts, entries: IdArray, query: NameForm,
                units: Sequence[QueryUnit]) -> Floats:
    """For each entry, a score its best name can at most reach against the traveller's name ``query`` (whose
    ``units`` the index widened); 1.0 for entries that are not bounded."""
    name_lo, name_hi = layout.entry_names[entries], layout.entry_names[entries + 1]
    names = spread(name_lo, name_hi)
    part_counts = layout.name_parts[names + 1] - layout.name_parts[names]
    positions = spread(layout.name_parts[names], layout.name_parts[names + 1])
    starts = np.concatenate(([0], np.cumsum(part_counts)[:-1])).astype(np.int64)
    distinct, inverse = np.unique(layout.tokens[positions], return_inverse=True)
    alike = _alike(parts, distinct, units)
    codes = layout.joined[positions]
    reach = np.zeros(len(positions), dtype=bool)
    query_reach = np.zeros((len(query.tokens), len(names)), dtype=bool)
    for unit, unit_alike in zip(units, alike, strict=True):
        hit = unit_alike[inverse]
        if len(unit.text) > 1:
            by_joined = codes[:-1] == joined_code(unit.text)
            hit[:-1] |= by_joined
            hit[1:] |= by_joined
        reach |= hit
        found = segment_sums(hit, starts) > 0
        for i in unit.covers:
            query_reach[i] |= found
    query_most = np.array([_most_weight(len(token)) for token in query.tokens], np.float64)
    query_weights = np.array([part_weight(query, i) for i in range(len(query.tokens))], np.float64)
    query_plain = np.array([not is_particle(query, i) for i in range(len(query.tokens))], bool)
    aligned = (query_most @ query_reach + segment_sums(np.where(reach, layout.most[positions], 0.0), starts))
    left = (query_weights @ ~query_reach + segment_sums(np.where(reach, 0.0, layout.weights[positions]), starts))
    contradiction = ((query_plain @ ~query_reach) > 0) & (segment_sums(~reach & layout.plain[positions], starts) > 0)
    share = np.where(contradiction, CONTRADICTION_WEIGHT, EXTRA_WEIGHT)
    most = SURNAME_WEIGHT * aligned / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        by_name = np.where(most > 0, most / (most + share * left), 0.0)
    owners = np.repeat(np.arange(len(entries)), name_hi - name_lo)
    bounds = np.zeros(len(entries))
    np.maximum.at(bounds, owners, by_name)
    return np.where(layout.unbounded[entries], 1.0, bounds)


def _alike(parts: ListedParts, distinct: IdArray, units: Sequence[QueryUnit]) -> list[Bools]:
    """For each unit, which of the ``distinct`` listed parts the scorer could align with it on their own."""
    lengths, firsts = parts.lengths[distinct], parts.firsts[distinct]
    always = parts.abjad[distinct]
    spelt = np.flatnonzero(lengths >= SPELT)
    singles = [unit.text for unit in units if not unit.joined and len(unit.text) >= SPELT]
    within = np.zeros((len(singles), len(spelt)), dtype=bool)
    if singles and len(spelt):
        chosen = distinct[spelt].tolist()
        plain = process.cdist(singles, [parts.texts[t] for t in chosen], scorer=OSA.distance, dtype=np.int32)
        folded = process.cdist([confusable_fold(text) for text in singles], [parts.folded[t] for t in chosen],
                               scorer=OSA.distance, dtype=np.int32)
        cost = np.where(folded < plain, folded + 0.5 * (plain - folded), plain)
        shorter = np.minimum(np.array([len(text) for text in singles])[:, None], lengths[spelt][None, :])
        within = (cost <= BUDGETS[np.minimum(shorter, len(BUDGETS) - 1)]) | (folded == 0)
    alike = []
    row = 0
    for unit in units:
        found = np.isin(distinct, unit.similar) | always
        if not unit.joined:
            initial = firsts == ord(unit.text[0])
            found |= initial if len(unit.text) == 1 else initial & (lengths == 1)
            if len(unit.text) >= SPELT:
                found[spelt] |= within[row]
                row += 1
        alike.append(found)
    return alike
