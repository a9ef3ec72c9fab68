"""The matcher on labelled name pairs: nomenklatura's name benchmark (Person rows) and cross-script pairs.

The scorer's weights were set from the matching literature, not per case. Only the extra-part weight and the
threshold were chosen on a tuning half of the benchmark (rows whose CRC-32 of ``name1|name2`` is even); the other
half is held out and checked separately. OpenSanctions' logic-v2 reaches F1 about 0.75 on the same rows.
"""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

import pytest

from gtas.rules.matching.person import Name, PersonRecord
from gtas.rules.matching.score import DEFAULT_THRESHOLD, name_score

Case = dict[str, str]


def _person_cases(corpus: Path) -> list[Case]:
    with (corpus / "names" / "name-bench-cases.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["schema"] == "Person"]


def _predicted(case: Case) -> bool:
    return name_score(PersonRecord((Name(case["name1"]),)), PersonRecord((Name(case["name2"]),))) >= DEFAULT_THRESHOLD


def _f1(cases: list[Case]) -> float:
    outcomes = [(_predicted(case), case["is_match"] == "true") for case in cases]
    true_positives = sum(1 for predicted, actual in outcomes if predicted and actual)
    false_positives = sum(1 for predicted, actual in outcomes if predicted and not actual)
    false_negatives = sum(1 for predicted, actual in outcomes if actual and not predicted)
    return 2 * true_positives / (2 * true_positives + false_positives + false_negatives)


def _held_out(case: Case) -> bool:
    return zlib.crc32(f"{case['name1']}|{case['name2']}".encode()) % 2 == 1


def _logic_v2_f1(corpus: Path) -> float:
    with (corpus / "names" / "name-bench-logicv2-scores.csv").open(encoding="utf-8") as handle:
        outcomes = [row["outcome"] for row in csv.DictReader(handle) if row["schema"] == "Person"]
    tp, fp, fn = (outcomes.count(kind) for kind in ("TP", "FP", "FN"))
    return 2 * tp / (2 * tp + fp + fn)


def test_person_rows_reach_f1_080_and_beat_logic_v2(corpus: Path) -> None:
    cases = _person_cases(corpus)
    assert len(cases) == 548
    ours, theirs = _f1(cases), _logic_v2_f1(corpus)
    assert ours >= 0.80
    assert ours > theirs  # logic-v2: about 0.75 on the same rows
    assert theirs == pytest.approx(0.75, abs=0.01)


def test_held_out_half_reaches_f1_080(corpus: Path) -> None:
    held_out = [case for case in _person_cases(corpus) if _held_out(case)]
    assert len(held_out) > 250
    assert _f1(held_out) >= 0.80


def test_strong_rows_are_all_right(corpus: Path) -> None:
    strong = [case for case in _person_cases(corpus) if case["quality"] == "STRONG"]
    assert len(strong) == 24
    wrong = [(case["name1"], case["name2"]) for case in strong if _predicted(case) != (case["is_match"] == "true")]
    assert wrong == []


# Pairs whose transliteration needs a reading anyascii does not give: Han read in Korean or Japanese, Hangul in
# McCune-Reischauer spelling, a Greek ending that English changes (-os → -er). Listed so that a change shows.
NOT_SUPPORTED = {"金正恩", "김정은", "박지성", "이민호", "山田太郎", "田中花子", "Αλέξανδρος"}


def _cross_script_pairs(corpus: Path) -> list[tuple[str, str]]:
    lines = (corpus / "names" / "cross-script-pairs.csv").read_text(encoding="utf-8").splitlines()
    return [tuple(line.split(",")[:2]) for line in lines if line.strip() and not line.startswith("#")]  # type: ignore[misc]


def test_cross_script_pairs_match_for_arabic_cyrillic_greek_hebrew_han_thai(corpus: Path) -> None:
    pairs = _cross_script_pairs(corpus)
    assert len(pairs) == 22
    matched = {query for query, listed in pairs
               if name_score(PersonRecord((Name(query),)), PersonRecord((Name(listed),))) >= DEFAULT_THRESHOLD}
    assert matched == {query for query, _ in pairs} - NOT_SUPPORTED
