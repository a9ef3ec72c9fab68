"""The name-score bound that spares the scorer: never below the score, and tight enough to rule most candidates out."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import numpy as np

from gtas.generator.names import CULTURES
from gtas.rules.matching.index import WatchlistIndex
from gtas.rules.matching.names import part_similarities, part_similarity
from gtas.rules.matching.normalise import Script, confusable_fold, phonetic_key
from gtas.rules.matching.person import Name, PersonRecord
from gtas.rules.matching.score import name_score


def _bound_holds(pairs: list[tuple[str, str]]) -> list[tuple[str, str, float, float]]:
    """The pairs whose name score exceeds the bound the index gives for it (the listed name is the second)."""
    index = WatchlistIndex((str(i), PersonRecord((Name(listed),))) for i, (_, listed) in enumerate(pairs))
    broken = []
    for i, (query, listed) in enumerate(pairs):
        person = PersonRecord((Name(query),))
        bound = float(index.name_bound(person, np.array([i], np.int32))[0])
        actual = name_score(person, PersonRecord((Name(listed),)))
        if actual > bound + 1e-9:
            broken.append((query, listed, actual, bound))
    return broken


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    letter = rng.choice("aeiouyknrsth")
    return rng.choice([word[:i] + word[i + 1 :], word[:i] + letter + word[i:], word[:i] + letter + word[i + 1 :],
                       word[:i] + word[i] * 2 + word[i + 1 :], word[: max(i - 1, 0)] + word[i] + word[i - 1 : i]
                       + word[i + 1 :]])


def _variant(rng: random.Random, name: str) -> str:
    """A name as someone else might write it: typos, initials, parts joined, dropped or reordered, a title."""
    parts = name.split()
    for _ in range(rng.randint(0, 3)):
        i = rng.randrange(len(parts))
        kind = rng.randrange(6)
        if kind == 0 and len(parts[i]) > 2:
            parts[i] = _typo(rng, parts[i])
        elif kind == 1:
            parts[i] = parts[i][0]
        elif kind == 2 and i + 1 < len(parts):
            parts[i : i + 2] = [parts[i] + parts[i + 1]]
        elif kind == 3 and len(parts) > 1:
            del parts[i]
        elif kind == 4:
            rng.shuffle(parts)
        else:
            parts.insert(i, rng.choice(["al", "de", "van", "bin", "Dr", "Mohammed"]))
    return " ".join(parts)


def test_bound_is_never_below_the_score_on_the_name_benchmark(corpus: Path) -> None:
    with (corpus / "names" / "name-bench-cases.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["schema"] == "Person"]
    pairs = [(row["name1"], row["name2"]) for row in rows] + [(row["name2"], row["name1"]) for row in rows]
    assert len(pairs) == 1096
    assert _bound_holds(pairs) == []


def test_bound_is_never_below_the_score_on_cross_script_pairs(corpus: Path) -> None:
    lines = (corpus / "names" / "cross-script-pairs.csv").read_text(encoding="utf-8").splitlines()
    pairs = [(line.split(",")[0], line.split(",")[1]) for line in lines if line.strip() and not line.startswith("#")]
    assert _bound_holds(pairs + [(listed, query) for query, listed in pairs]) == []


def test_bound_is_never_below_the_score_on_generated_variants() -> None:
    rng = random.Random(11)
    cultures = list(CULTURES.values())
    pairs = []
    for _ in range(3000):
        culture = rng.choice(cultures)
        name = f"{rng.choice(culture.male + culture.female)} {rng.choice(culture.surnames)}"
        other = rng.choice(cultures) if rng.random() < 0.3 else culture
        unrelated = f"{rng.choice(other.male + other.female)} {rng.choice(other.surnames)}"
        pairs.append((_variant(rng, name), _variant(rng, name) if rng.random() < 0.7 else unrelated))
    assert _bound_holds(pairs) == []


def test_bound_rules_out_unrelated_names_and_keeps_variants() -> None:
    listed = [("KEPT", PersonRecord((Name("Abdelrahman Benslimane"),))),
              ("JOINED", PersonRecord((Name("Abdel Rahman Benslimane"),))),
              ("OTHER", PersonRecord((Name("Abdelrahman Haddad"),))),
              ("FAR", PersonRecord((Name("Giuseppe Leone"),)))]
    index = WatchlistIndex(listed)
    bounds = index.name_bound(PersonRecord((Name("Abdelrahman Bensalimanov"),)), np.arange(4, dtype=np.int32))
    assert bounds[0] >= name_score(PersonRecord((Name("Abdelrahman Bensalimanov"),)), listed[0][1]) >= 0.8
    assert bounds[1] >= 0.8
    assert bounds[2] < 0.75  # a different surname: the bound alone rules it out
    assert bounds[3] == 0.0  # nothing could align


def test_names_in_other_scripts_are_not_bounded() -> None:
    index = WatchlistIndex([("AR", PersonRecord((Name("محمد علي"),))),
                            ("LAT", PersonRecord((Name("Giuseppe Leone"),)))])
    assert index.name_bound(PersonRecord((Name("Mohamed Ali"),)), np.array([0], np.int32)).tolist() == [1.0]
    assert index.name_bound(PersonRecord((Name("محمد علي"),)), np.array([1], np.int32)).tolist() == [1.0]


def test_part_similarities_equal_part_similarity_one_by_one() -> None:
    rng = random.Random(4)
    words = sorted({part.lower() for culture in CULTURES.values()
                    for name in culture.male + culture.female + culture.surnames for part in name.split()
                    if part.isalpha()})
    others = [*rng.sample(words, 300), *(_typo(rng, word) for word in rng.sample(words, 300)), "a", "m", "mm"]
    for token in [*rng.sample(words, 60), "m", "ab"]:
        for joined in (False, True):
            key = phonetic_key(token)
            same_sound = np.array([bool(key) and phonetic_key(other) == key for other in others])
            values = part_similarities(token, others, [confusable_fold(other) for other in others], same_sound, joined)
            expected = [part_similarity(token, other, Script.ALPHABET, joined)[0] for other in others]
            assert values.tolist() == expected, token
