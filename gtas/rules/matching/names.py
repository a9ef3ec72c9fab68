"""Name comparison: align the parts of two names regardless of order, then weigh what aligned and what did not.

Parts align one-to-one, best pair first; two adjacent parts may align as one (``abdul rahman`` ↔ ``abdulrahman``).
A part left over on one side only is a missing middle name and costs little; parts left over on both sides
contradict each other (``John Robert Smith`` vs ``John William Smith``) and cost their full weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from gtas.rules.matching.normalise import PARTICLES, NameForm, Script, confusable_fold, phonetic_key, skeleton

FLOOR = 0.6  # parts less similar than this do not align
EXTRA_WEIGHT = 0.15  # share of its weight a part costs when the other name simply lacks it
CONTRADICTION_WEIGHT = 1.0  # share of its weight a part costs when both names have parts left over
INITIAL_WEIGHT = 2.0
PARTICLE_WEIGHT = 0.5
SURNAME_WEIGHT = 1.3


@dataclass(frozen=True, slots=True)
class _Unit:
    """One part of a name, or two adjacent parts joined."""

    text: str
    parts: int  # bit i set: covers part i
    script: Script
    weight: float
    surname: bool


@dataclass(frozen=True, slots=True)
class Alignment:
    """How two names compare: the score, the aligned parts and those left over."""

    score: float
    pairs: tuple[tuple[str, str, float, str], ...]  # query part, entry part, similarity, rule
    extra_query: tuple[str, ...]
    extra_entry: tuple[str, ...]
    contradicting: bool

    def explain(self, query: str, entry: str) -> dict[str, Any]:
        """What an officer reads: which part aligned with which, how well, and what was left over."""
        return {
            "traveller_name": query,
            "entry_name": entry,
            "score": round(self.score, 3),
            "aligned": [{"traveller": q, "entry": e, "score": round(s, 3), "rule": r} for q, e, s, r in self.pairs],
            "unmatched_traveller": list(self.extra_query),
            "unmatched_entry": list(self.extra_entry),
            "contradicting_parts": self.contradicting,
        }


NO_ALIGNMENT = Alignment(0.0, (), (), (), False)


def allowed_edits(shorter: int) -> int:
    """Edit budget by length: none below three letters (fails closed on short parts), then growing slowly."""
    return 0 if shorter < 3 else 1 if shorter < 6 else 2 if shorter < 10 else 3


BUDGETS = np.array([allowed_edits(length) for length in range(64)])  # allowed_edits by the shorter part's length


@lru_cache(maxsize=1_048_576)
def part_similarity(a: str, b: str, script: Script = Script.ALPHABET, joined: bool = False) -> tuple[float, str]:
    """Similarity of two name parts (0..1) and the rule that decided it; ``script`` is the more telling side's.

    ``joined``: one side is two parts written together, which must then be spelt the same (up to confusable
    letters): a longer string would otherwise hide a different name part in its edit budget.
    """
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        return (0.9, "initial") if a[0] == b[0] else (0.0, "different")
    if script == Script.SYLLABIC:
        return 0.0, "different"
    if script == Script.ABJAD:
        sa, sb = skeleton(a), skeleton(b)
        if sa == sb and sa:
            return 0.9, "consonant_skeleton"
        if min(len(sa), len(sb)) >= 3 and OSA.distance(sa, sb) <= 1:
            return 0.75, "consonant_skeleton"
        return 0.0, "different"
    fa, fb = confusable_fold(a), confusable_fold(b)
    if fa == fb:
        return 0.92, "confusable"
    distance = OSA.distance(a, b)
    folded = OSA.distance(fa, fb)
    cost = folded + 0.5 * (distance - folded) if folded < distance else float(distance)
    allowed = allowed_edits(min(len(a), len(b)))
    if cost <= (0 if joined else allowed):
        value = (1 - cost / max(len(a), len(b)) + JaroWinkler.similarity(a, b)) / 2
        return value, "spelling"
    key = "" if joined else phonetic_key(a)
    if key and key == phonetic_key(b):
        return 0.85, "phonetic"
    return 0.0, "different"


def part_similarities(token: str, others: Sequence[str], others_folded: Sequence[str],
                      same_sound: npt.NDArray[np.bool_], joined: bool = False) -> npt.NDArray[np.float64]:
    """part_similarity of an alphabetic part against many alphabetic parts at once: the same values, computed with
    rapidfuzz over all of them. ``others_folded``: their confusable-folded spellings; ``same_sound``: which have
    the part's phonetic key."""
    if not others:
        return np.zeros(0)
    lengths = np.array([len(other) for other in others])
    firsts = np.array([other[0] == token[0] for other in others])
    plain = process.cdist([token], others, scorer=OSA.distance, dtype=np.int32)[0]
    folded = process.cdist([confusable_fold(token)], others_folded, scorer=OSA.distance, dtype=np.int32)[0]
    cost = np.where(folded < plain, folded + 0.5 * (plain - folded), plain)
    budget = 0 if joined else BUDGETS[np.minimum(np.minimum(lengths, len(token)), len(BUDGETS) - 1)]
    jaro = process.cdist([token], others, scorer=JaroWinkler.similarity, dtype=np.float64)[0]
    spelling = (1 - cost / np.maximum(lengths, len(token)) + jaro) / 2
    initial = (lengths == 1) | (len(token) == 1)
    return np.asarray(np.select(
        [plain == 0, initial & firsts, initial, folded == 0, cost <= budget, same_sound & (not joined)],
        [1.0, 0.9, 0.0, 0.92, spelling, 0.85], 0.0), dtype=np.float64)


@lru_cache(maxsize=262_144)
def _units(form: NameForm) -> tuple[_Unit, ...]:
    """Single parts and adjacent joined pairs, each with its weight."""
    units = [_Unit(token, 1 << i, form.scripts[i], part_weight(form, i), token in form.surname)
             for i, token in enumerate(form.tokens)]
    for i in range(len(form.tokens) - 1):
        left, right = form.tokens[i], form.tokens[i + 1]
        if len(left) > 1 and len(right) > 1:
            text = left + right
            units.append(_Unit(text, 3 << i, max(form.scripts[i], form.scripts[i + 1]),
                               float(len(text)), left in form.surname or right in form.surname))
    return tuple(units)


def _compared_as(query: Script, entry: Script) -> Script:
    """Syllables compare exactly only against syllables (a Latin spelling of them is compared by spelling)."""
    if query is entry:
        return query
    return Script.ABJAD if Script.ABJAD in (query, entry) else Script.ALPHABET


def is_particle(form: NameForm, index: int) -> bool:
    """A particle (al, van, das …) before another part; last in a name it is the surname itself (Das, Le)."""
    return form.tokens[index] in PARTICLES and index < len(form.tokens) - 1


def part_weight(form: NameForm, index: int) -> float:
    """How much a part counts: its length, less for an initial or a particle."""
    token = form.tokens[index]
    if len(token) == 1:
        return INITIAL_WEIGHT / 2
    return len(token) * (PARTICLE_WEIGHT if is_particle(form, index) else 1)


def align(query: NameForm, entry: NameForm) -> Alignment:
    """Align two names part by part and score the alignment (0..1)."""
    if not query.tokens or not entry.tokens:
        return NO_ALIGNMENT
    candidates = []
    entry_units = _units(entry)
    for q in _units(query):
        q_text, q_script = q.text, q.script
        for e in entry_units:
            joined = q.parts.bit_count() + e.parts.bit_count() > 2
            script = _compared_as(q_script, e.script)
            if joined and script != Script.ABJAD and abs(len(q_text) - len(e.text)) > 2:
                continue  # joined parts align only when spelt alike: a longer gap rules the pair out
            value, rule = part_similarity(q_text, e.text, script, joined)
            if value >= FLOOR:
                candidates.append((value, joined, q, e, rule))
    candidates.sort(key=lambda c: (-c[0], c[1]))  # best first; on a tie, separate parts before joined ones
    used_q = used_e = 0
    pairs = []
    total = weight_sum = 0.0
    for value, _, q, e, rule in candidates:
        if q.parts & used_q or e.parts & used_e:
            continue
        used_q |= q.parts
        used_e |= e.parts
        weight = INITIAL_WEIGHT if rule == "initial" else (q.weight + e.weight) / 2
        if q.surname and e.surname:
            weight *= SURNAME_WEIGHT
        total += value * weight
        weight_sum += weight
        pairs.append((q.text, e.text, value, rule))
    left_q = [i for i in range(len(query.tokens)) if not used_q >> i & 1]
    left_e = [i for i in range(len(entry.tokens)) if not used_e >> i & 1]
    contradicting = any(not is_particle(query, i) for i in left_q) and any(not is_particle(entry, i) for i in left_e)
    share = CONTRADICTION_WEIGHT if contradicting else EXTRA_WEIGHT
    weight_sum += share * sum(part_weight(query, i) for i in left_q)
    weight_sum += share * sum(part_weight(entry, i) for i in left_e)
    score = total / weight_sum if weight_sum else 0.0
    return Alignment(score, tuple(pairs), tuple(query.tokens[i] for i in left_q),
                     tuple(entry.tokens[i] for i in left_e), contradicting)
