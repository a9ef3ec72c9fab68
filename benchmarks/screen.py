"""Watchlist screening throughput, and the index's recall against exhaustive scoring, measured in the same run.

    .venv/bin/python benchmarks/screen.py [--watchlist 1000000] [--travellers 100000] [--sample 2000]
                                          [--processes 2] [--threshold 0.8] [--seed 1]

Generates a watchlist of people from the generator's multi-culture name tables, with surname variants (parts of two
surnames of a culture spliced), aliases, year-only dates of birth and document-only entries (lost passports); then
travellers: mostly unlisted people, plus planted listed people with typos, reordered or dropped names, Cyrillic
spelling, joined names, swapped day/month and O/0-confused passport numbers. Reports the index build time and
travellers screened per second. On a sample of travellers it compares the index with the exhaustive baseline a user
would write: rapidfuzz ``cdist`` over every listed name (sorted parts, ``fuzz.ratio`` ≥ --prefilter) and over every
document number (one edit at most), then the same scorer on every pair that passes (``score_at_least``, which
returns the same scores as ``score`` and stops early on pairs that cannot reach the threshold); recall is the share
of the baseline's matches the index also returns.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from datetime import date

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from gtas.generator.names import CULTURES, Culture
from gtas.generator.people import birth_date, feminine, given_for, nationality_for, passport, surname_for
from gtas.rules.matching.index import WatchlistIndex, screen_all
from gtas.rules.matching.normalise import document_number, name_form
from gtas.rules.matching.person import IdDocument, Name, PersonRecord
from gtas.rules.matching.score import DEFAULT_THRESHOLD, score_at_least

TRAVEL = date(2026, 11, 24)
_CYRILLIC = [("SHCH", "Щ"), ("ZH", "Ж"), ("KH", "Х"), ("TS", "Ц"), ("CH", "Ч"), ("SH", "Ш"), ("YU", "Ю"),
             ("YA", "Я"), ("A", "А"), ("B", "Б"), ("V", "В"), ("G", "Г"), ("D", "Д"), ("E", "Е"), ("Z", "З"),
             ("I", "И"), ("Y", "Й"), ("K", "К"), ("L", "Л"), ("M", "М"), ("N", "Н"), ("O", "О"), ("P", "П"),
             ("R", "Р"), ("S", "С"), ("T", "Т"), ("U", "У"), ("F", "Ф"), ("C", "К"), ("H", "Х"), ("J", "Дж"),
             ("W", "В"), ("X", "Кс"), ("Q", "К")]


def cyrillic(text: str) -> str:
    """A Latin name written in Cyrillic, the way a Russian-language list would spell it."""
    out, i = [], 0
    while i < len(text):
        for latin, letter in _CYRILLIC:
            if text.startswith(latin, i):
                out.append(letter)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def surname_variant(rng: random.Random, culture: Culture) -> str:
    """A plausible surname of the culture not in its table: the start of one surname and the end of another."""
    a, b = rng.choice(culture.surnames), rng.choice(culture.surnames)
    if " " in a or " " in b or "'" in a or "'" in b or min(len(a), len(b)) < 4:
        return a
    return a[: rng.randint(2, len(a) - 1)] + b[rng.randint(1, len(b) - 2) :]


def make_person(rng: random.Random, cultures: list[Culture]) -> tuple[Name, str, str, str, str]:
    """Name, date of birth, gender, nationality and passport number of a generated person."""
    culture = rng.choice(cultures)
    gender = rng.choice("MF")
    surname = surname_variant(rng, culture) if rng.random() < 0.6 else surname_for(rng, culture)
    surname = feminine(surname, culture.key) if gender == "F" else surname
    given = given_for(rng, culture, gender)
    born = birth_date(rng, "adult", TRAVEL)
    nationality = nationality_for(rng, culture)
    number = passport(rng, nationality, born, TRAVEL).number or ""
    return Name(f"{given} {surname}", surname, given), born.isoformat(), gender, nationality, number


def watchlist(size: int, seed: int) -> list[tuple[str, PersonRecord]]:
    """Listed people: 30 % with an alias, 20 % with a year-only birth date, 30 % with a passport, 2 % documents only."""
    rng = random.Random(seed)
    cultures = list(CULTURES.values())
    entries = []
    for i in range(size):
        name, born, gender, nationality, number = make_person(rng, cultures)
        if rng.random() < 0.02:
            record = PersonRecord((), documents=(IdDocument(number, "P", nationality),))
        else:
            names = [name]
            if rng.random() < 0.3:
                alias = make_person(rng, cultures)[0]
                names.append(Name(f"{name.given.split()[0]} {alias.surname}"))
            dob = born[:4] if rng.random() < 0.2 else born
            documents = (IdDocument(number, "P", nationality),) if rng.random() < 0.3 else ()
            record = PersonRecord(tuple(names), (dob,), gender, (nationality,), documents)
        entries.append((f"WL{i:07d}", record))
    return entries


def typo(rng: random.Random, word: str) -> str:
    """One letter substituted, deleted, inserted or two swapped."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letter = rng.choice("AEIOUNRSTLMK")
    if kind == 0:
        return word[:i] + letter + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + letter + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def planted(rng: random.Random, record: PersonRecord) -> PersonRecord:
    """A listed person as he might present himself: the name and data altered one or two ways."""
    if not record.names:
        number = record.documents[0].number
        return PersonRecord((make_person(rng, list(CULTURES.values()))[0],),
                            documents=(IdDocument(number.replace("0", "O"), "P", record.documents[0].country),))
    name = record.names[0]
    given, surname = name.given, name.surname
    change = rng.randrange(6)
    if change == 0:
        full = f"{typo(rng, given)} {surname}" if rng.random() < 0.5 else f"{given} {typo(rng, surname)}"
    elif change == 1:
        full = f"{surname} {given}"
    elif change == 2:
        full = f"{given.split()[0]} {surname}"
    elif change == 3:
        full = cyrillic(f"{given} {surname}")
    elif change == 4:
        full = f"{given.replace(' ', '')} {surname.replace(' ', '').replace('-', '')}"
    else:
        full = f"{typo(rng, given)} {typo(rng, surname)}"
    dates = record.dates_of_birth
    if dates and len(dates[0]) == 10 and rng.random() < 0.3:
        y, m, d = dates[0].split("-")
        dates = (f"{y}-{d}-{m}",) if int(d) <= 12 else dates
    documents = tuple(IdDocument(d.number.replace("0", "O"), d.kind, d.country) for d in record.documents)
    return PersonRecord((Name(full),), dates, record.gender, record.nationalities, documents)


def travellers(count: int, entries: list[tuple[str, PersonRecord]], seed: int) -> list[PersonRecord]:
    """Unlisted people, with 2 % planted listed people."""
    rng = random.Random(seed + 1)
    cultures = list(CULTURES.values())
    people = []
    for _ in range(count):
        if rng.random() < 0.02:
            people.append(planted(rng, rng.choice(entries)[1]))
            continue
        name, born, gender, nationality, number = make_person(rng, cultures)
        people.append(PersonRecord((name,), (born,), gender, (nationality,), (IdDocument(number, "P", nationality),)))
    return people


def exhaustive(entries: list[tuple[str, PersonRecord]], sample: list[PersonRecord], threshold: float,
               prefilter: float) -> list[set[str]]:
    """The baseline: every listed name and document against every sampled traveller, then the scorer."""
    names: list[str] = []
    owners: list[int] = []
    numbers: list[str] = []
    number_owners: list[int] = []
    for i, (_, record) in enumerate(entries):
        for name in record.names:
            names.append(" ".join(sorted(name_form(name).tokens)))
            owners.append(i)
        for document in record.documents:
            numbers.append(document_number(document.number))
            number_owners.append(i)
    owner_array, number_owner_array = np.asarray(owners), np.asarray(number_owners)
    queries = [" ".join(sorted(name_form(p.names[0]).tokens)) for p in sample]
    query_numbers = [document_number(p.documents[0].number) if p.documents else "" for p in sample]
    candidates: list[set[int]] = [set() for _ in sample]
    for start in range(0, len(sample), 50):
        block = slice(start, start + 50)
        ratios = process.cdist(queries[block], names, scorer=fuzz.ratio, score_cutoff=prefilter, dtype=np.uint8,
                               workers=-1)
        for row, column in zip(*np.nonzero(ratios), strict=True):
            candidates[start + row].add(int(owner_array[column]))
        distances = process.cdist(query_numbers[block], numbers, scorer=Levenshtein.distance, score_cutoff=1,
                                  dtype=np.uint8, workers=-1)
        for row, column in zip(*np.nonzero(distances <= 1), strict=True):
            if query_numbers[start + row]:
                candidates[start + row].add(int(number_owner_array[column]))
    return [{entries[i][0] for i in found if score_at_least(person, entries[i][1], threshold)}
            for person, found in zip(sample, candidates, strict=True)]


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the screening workers), user and system."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--watchlist", type=int, default=1_000_000)
    parser.add_argument("--travellers", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--prefilter", type=float, default=60.0, help="baseline: fuzz.ratio cut-off (0-100)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    entries = watchlist(args.watchlist, args.seed)
    people = travellers(args.travellers, entries, args.seed)
    print(f"generated {len(entries):,} entries and {len(people):,} travellers in {time.perf_counter() - start:.1f} s")

    start, cpu = time.perf_counter(), time.process_time()
    index = WatchlistIndex(entries)
    build = time.perf_counter() - start
    print(f"index built in {build:.1f} s, {time.process_time() - cpu:.1f} s of CPU "
          f"({len(index.vocabulary):,} distinct name parts)")

    start, cpu = time.perf_counter(), _cpu_seconds()
    results = list(screen_all(index, people, args.threshold, args.processes))
    elapsed, used = time.perf_counter() - start, _cpu_seconds() - cpu
    hits = sum(len(r) for r in results)
    print(f"screened {len(people):,} travellers in {elapsed:.1f} s with {args.processes} processes: "
          f"{len(people) / elapsed:,.0f} travellers/s, {hits:,} matches at {args.threshold}")
    print(f"  CPU used {used:.1f} s ({used / len(people) * 1000:.2f} ms per traveller): on {args.processes} idle "
          f"cores {len(people) / used * args.processes:,.0f} travellers/s")

    rng = random.Random(args.seed + 2)
    picked = sorted(rng.sample(range(len(people)), min(args.sample, len(people))))
    sample = [people[i] for i in picked]
    start = time.perf_counter()
    baseline = exhaustive(entries, sample, args.threshold, args.prefilter)
    baseline_time = time.perf_counter() - start
    found = [{m.entry for m in results[i]} for i in picked]
    wanted = sum(len(b) for b in baseline)
    kept = sum(len(b & f) for b, f in zip(baseline, found, strict=True))
    beyond = sum(len(f - b) for b, f in zip(baseline, found, strict=True))
    per_traveller = baseline_time / len(sample)
    print(f"exhaustive baseline on {len(sample):,} travellers: {baseline_time:.1f} s "
          f"({per_traveller * 1000:.0f} ms per traveller, {per_traveller / (elapsed / len(people)):,.0f}x the index)")
    print(f"index recall against exhaustive: {kept:,}/{wanted:,} = {kept / wanted if wanted else 1.0:.4f}; "
          f"matches the baseline's prefilter missed but the index found: {beyond:,}")
    missed: dict[str, int] = defaultdict(int)
    for person, b, f in zip(sample, baseline, found, strict=True):
        for key in b - f:
            missed[person.names[0].full] += 1
            print(f"  missed: {person.names[0].full!r} -> {key}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
