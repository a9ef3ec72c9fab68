"""The watchlist index finds what exhaustive scoring finds, and only a bounded set of candidates."""

from __future__ import annotations

import random
from array import array

import pytest

from gtas.generator.names import CULTURES
from gtas.rules.matching.index import WatchlistIndex, _Postings, screen_all
from gtas.rules.matching.person import IdDocument, Name, PersonRecord
from gtas.rules.matching.score import DEFAULT_THRESHOLD, score


def generated_list(size: int, seed: int) -> list[tuple[str, PersonRecord]]:
    rng = random.Random(seed)
    cultures = list(CULTURES.values())
    entries = []
    for i in range(size):
        culture = rng.choice(cultures)
        given = rng.choice(culture.male + culture.female)
        surname = rng.choice(culture.surnames)
        names: tuple[Name, ...] = (Name(f"{given} {surname}", surname, given),)
        if rng.random() < 0.3:
            names += (Name(f"{rng.choice(culture.male)} {surname}"),)
        dob = f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        documents = (IdDocument(f"{rng.choice('ACNPX')}{rng.randrange(10**7):07d}", "P", "GBR"),)
        entries.append((f"E{i}", PersonRecord(names, (dob,), rng.choice("MF"), (), documents)))
    return entries


def variants(record: PersonRecord, rng: random.Random) -> list[PersonRecord]:
    """How a listed person may present himself: typos, reordering, joined parts, O/0 in the passport, no name."""
    name = record.names[0]
    typo = name.surname[:2] + name.surname[3:] if len(name.surname) > 4 else name.surname + "E"
    documents = tuple(IdDocument(d.number.replace("0", "O"), d.kind, d.country) for d in record.documents)
    return [
        PersonRecord((Name(f"{name.given} {typo}"),), record.dates_of_birth),
        PersonRecord((Name(f"{name.surname} {name.given}"),), record.dates_of_birth, record.gender),
        PersonRecord((Name(f"{name.given}{name.surname}".replace(" ", "")),)),
        PersonRecord((Name(f"{rng.choice('QXZ')}{name.given[1:]} {name.surname}"),), record.dates_of_birth),
        PersonRecord((Name("Somebody Else"),), documents=documents),
    ]


@pytest.fixture(scope="module")
def listed() -> list[tuple[str, PersonRecord]]:
    return generated_list(400, seed=5)


@pytest.fixture(scope="module")
def index(listed: list[tuple[str, PersonRecord]]) -> WatchlistIndex:
    return WatchlistIndex(listed)


def exhaustive(listed: list[tuple[str, PersonRecord]], person: PersonRecord, threshold: float) -> set[str]:
    return {key for key, record in listed if score(person, record).score >= threshold}


def test_index_finds_every_match_exhaustive_scoring_finds(
    listed: list[tuple[str, PersonRecord]], index: WatchlistIndex
) -> None:
    rng = random.Random(9)
    travellers = [variant for _, record in rng.sample(listed, 40) for variant in variants(record, rng)]
    travellers += [record for _, record in generated_list(40, seed=77)]
    wanted = found = 0
    for traveller in travellers:
        expected = exhaustive(listed, traveller, 0.7)
        got = {match.entry for match in index.screen(traveller, 0.7)}
        assert got == expected, traveller
        wanted += len(expected)
        found += len(got)
    assert wanted > 150  # the variants really are matches, not a vacuous equality of empty sets


def test_planted_variants_are_found_with_the_right_entry(
    listed: list[tuple[str, PersonRecord]], index: WatchlistIndex
) -> None:
    key, record = listed[17]
    for variant in variants(record, random.Random(3))[:2] + variants(record, random.Random(3))[4:]:
        assert key in {match.entry for match in index.screen(variant, DEFAULT_THRESHOLD)}


def test_candidates_are_bounded(index: WatchlistIndex) -> None:
    by_name, by_document = index.candidates(PersonRecord((Name("John Smith"),), ("1980-01-01",)))
    assert len(by_name) < 40
    assert len(by_document) == 0


def test_document_only_entry_found_by_confused_number() -> None:
    index = WatchlistIndex([("LOST-1", PersonRecord((), documents=(IdDocument("X01234567", "P", "FRA"),))),
                            ("OTHER", PersonRecord((Name("Jane Roe"),)))])
    traveller = PersonRecord((Name("Pierre Martin"),), documents=(IdDocument("XO1234567", "P", "FRA"),))
    matches = index.screen(traveller)
    assert [m.entry for m in matches] == ["LOST-1"]
    assert matches[0].explanation["document"]["rule"] == "confusable"
    swapped = PersonRecord((Name("Pierre Martin"),), documents=(IdDocument("X01234576", "P", "FRA"),))
    assert [m.entry for m in index.screen(swapped)] == ["LOST-1"]


def test_transliterated_and_one_part_names_are_found() -> None:
    index = WatchlistIndex([("RU-1", PersonRecord((Name("Владимир Путин"),))),
                            ("MONO", PersonRecord((Name("Maduro"),))),
                            ("AR-1", PersonRecord((Name("Mohamed Ali"),)))])
    assert [m.entry for m in index.screen(PersonRecord((Name("Vladimir Putin"),)))] == ["RU-1"]
    assert [m.entry for m in index.screen(PersonRecord((Name("محمد علي"),)))] == ["AR-1"]
    assert 1 in index.candidates(PersonRecord((Name("Nicolas Maduro"),)))[0].tolist()  # a one-part listed name


def test_birth_date_and_one_name_part_find_a_badly_garbled_name() -> None:
    listed = PersonRecord((Name("Abdelrahman Benslimane"),), ("1981-06-17",))
    index = WatchlistIndex([("E1", listed)])
    garbled = PersonRecord((Name("Abdelrahman Bensalimanov"),), ("1981-06-17",))
    assert len(index.candidates(garbled)[0]) == 1
    assert len(index.candidates(PersonRecord((Name("Abdelrahman Bensalimanov"),)))[0]) == 0


@pytest.mark.parametrize("threshold", [0.6, 0.75, 0.8, 0.9, 1.0])
def test_date_of_birth_pruning_keeps_everything_the_scorer_accepts(threshold: float) -> None:
    dates = ["1970-03-04", "1970-04-03", "1970-01-01", "1970-03-14", "1971-03-04", "1969-03-04", "1970-08-20",
             "1972-03-05", "1980-03-04", "1990-12-12", "1970", "1970-03", "1971", "1975", "1940"]
    listed = [(f"E{i}", PersonRecord((Name("Karim Benali"),), (d,), gender)) for i, d in enumerate(dates)
              for gender in ("M", "F", "")]
    listed.append(("TWO", PersonRecord((Name("Karim Benali"),), ("1968", "1970-03-05"))))
    index = WatchlistIndex(listed)
    for traveller in (PersonRecord((Name("Karim Benali"),), ("1970-03-04",), "M"),
                      PersonRecord((Name("Karim Benali"),), ("1970",)),
                      PersonRecord((Name("Karim Benalli"),), ("1970-04-03",), "F")):
        assert {m.entry for m in index.screen(traveller, threshold)} == exhaustive(listed, traveller, threshold)


def test_screen_all_in_two_processes_gives_the_same_results(
    listed: list[tuple[str, PersonRecord]], index: WatchlistIndex
) -> None:
    people = [record for _, record in listed[:30]]
    one = [[m.entry for m in found] for found in screen_all(index, people, DEFAULT_THRESHOLD, 1)]
    two = [[m.entry for m in found] for found in screen_all(index, people, DEFAULT_THRESHOLD, 2)]
    assert one == two
    assert all(key in found for (key, _), found in zip(listed[:30], one, strict=True))


def test_postings_filter_never_drops_a_key_that_is_there() -> None:
    rng = random.Random(2)
    keys = [rng.randrange(-(1 << 62), 1 << 62) for _ in range(20_000)]
    postings = _Postings(array("q", keys), array("i", range(len(keys))))
    asked = keys[::7] + [rng.randrange(-(1 << 62), 1 << 62) for _ in range(50_000)]
    wanted = set(asked)
    expected = [i for i, key in enumerate(keys) if key in wanted]
    assert sorted(postings.lookup(asked).tolist()) == expected
    assert postings.lookup([]).tolist() == []
