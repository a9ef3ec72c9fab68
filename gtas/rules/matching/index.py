"""An in-memory watchlist index: find the few entries worth scoring for a traveller, then score them.

Candidate lookup works on the vocabulary of name parts first: each part of the traveller's name is widened to the
listed parts within one edit (deletion neighbourhoods of confusable-folded parts), with the same phonetic key, or
the same consonant skeleton (abjad spellings), keeping those the scorer would align. An entry becomes a candidate
when two of its parts meet two parts of the traveller (pair keys, one of the two as similar as the score must be),
when it is a one-part name meeting one part, when one part meets and the date of birth is the same, or when a
document number is the same within one edit. Before scoring, candidates that could not reach the threshold even
with a perfect name (date of birth, gender) are dropped, then those whose name score is bounded below what they
would need (bound.py), all at once with numpy: the scorer only sees the few that might match. Postings are sorted
numpy arrays behind a bit filter.
"""

from __future__ import annotations

import dataclasses
import gc
import itertools
import multiprocessing
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, cast

import numpy as np
import numpy.typing as npt

from gtas.rules.matching.bound import ListedParts, NameLayout, QueryUnit, name_bounds, spread
from gtas.rules.matching.names import FLOOR, part_similarities, part_similarity
from gtas.rules.matching.normalise import (
    BirthDate,
    NameForm,
    Script,
    birth_date,
    confusable_fold,
    deletions,
    document_number,
    name_form,
    phonetic_key,
    skeleton,
)
from gtas.rules.matching.person import PersonRecord
from gtas.rules.matching.score import (
    DEFAULT_THRESHOLD,
    DOB_ADJUSTMENT,
    GENDER_CONFLICT,
    MIN_NEAR_DOCUMENT,
    Match,
    score_at_least,
)

MAX_CANDIDATES = 5000  # name-pair candidates kept per traveller (those meeting most pairs first): a safety cap
MAX_CACHED_TOKENS = 500_000  # traveller name parts whose similar listed parts are remembered
BOUNDED_FROM = 8  # fewer candidates than this are scored without bounding their names first (cheaper)

IdArray = npt.NDArray[np.int32]
SmallInts = npt.NDArray[np.int16] | npt.NDArray[np.int8]
_GENDERS = {"M": 1, "F": 2}
_NONE = np.zeros(0, np.int64)  # no similar listed parts
_FIBONACCI = np.uint64(0x9E3779B97F4A7C15)  # multiplier of the postings' key filter hash
_PAIR_BASE = 1 << 31  # two name-part numbers in one key: smaller * base + larger
_DATE_BITS = 27  # a part number and a date code (YYYYMMDD < 2**27) in one key


class _Similar(NamedTuple):
    """Listed name parts similar to one part of a traveller's name, and how similar."""

    ids: npt.NDArray[np.int64]
    similarity: npt.NDArray[np.float64]


def _pair_codes(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Pair keys of every two different listed parts, one from each array."""
    low = np.minimum.outer(a, b).ravel()
    high = np.maximum.outer(a, b).ravel()
    return np.asarray((low * _PAIR_BASE + high)[low != high], dtype=np.int64)


class _Columns:
    """What building an index collects per entry, in compact arrays."""

    def __init__(self) -> None:
        self.pairs, self.singles = (array("q"), array("i")), (array("q"), array("i"))
        self.dates, self.documents = (array("q"), array("i")), (array("q"), array("i"))
        self.genders, self.months, self.days = array("b"), array("b"), array("b")
        self.years_low, self.years_high = array("h"), array("h")

    @staticmethod
    def add(postings: tuple[array[int], array[int]], key: int, number: int) -> None:
        postings[0].append(key)
        postings[1].append(number)


def _numbers(values: array[int], dtype: type[np.int8] | type[np.int16]) -> SmallInts:
    """A compact array as numpy, without copying."""
    return cast(SmallInts, np.frombuffer(values, dtype=dtype) if len(values) else np.zeros(0, dtype))


class _Postings:
    """Integer keys to entry numbers: the distinct keys sorted, and each key's entries as one slice of an array.

    A bit per hashed key (a one-hash Bloom filter, about 16 bits per key) first drops most keys that are not
    there, so the binary search only sees a few: a traveller's name can ask for tens of thousands of part pairs.
    """

    def __init__(self, keys: array[int], entries: array[int]) -> None:
        key_array = np.frombuffer(keys, dtype=np.int64) if len(keys) else np.zeros(0, np.int64)
        entry_array = np.frombuffer(entries, dtype=np.int32) if len(entries) else np.zeros(0, np.int32)
        order = np.argsort(key_array, kind="stable")
        self.keys, starts = np.unique(key_array[order], return_index=True)
        self.starts = np.append(starts, len(order))
        self.entries = entry_array[order]
        self._shift = np.uint64(64 - max(13, int(len(self.keys) * 16).bit_length()))
        self._bits = np.zeros(1 << (64 - int(self._shift) - 3), dtype=np.uint8)
        slots = self._slots(self.keys)
        np.bitwise_or.at(self._bits, slots >> 3, (1 << (slots & 7)).astype(np.uint8))

    def _slots(self, keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Each key's bit in the filter (Fibonacci hashing)."""
        return np.asarray((keys.astype(np.uint64) * _FIBONACCI) >> self._shift, dtype=np.int64)

    def lookup(self, keys: Sequence[int] | npt.NDArray[np.int64]) -> IdArray:
        """Entry numbers posted under any of the keys (an entry appears once per key it is under)."""
        if not len(keys) or not len(self.keys):
            return np.zeros(0, np.int32)
        wanted = np.asarray(keys, dtype=np.int64)
        slots = self._slots(wanted)
        wanted = wanted[(self._bits[slots >> 3] >> (slots & 7)) & 1 == 1]
        found = np.searchsorted(self.keys, wanted).clip(max=len(self.keys) - 1)
        found = found[self.keys[found] == wanted]
        return np.asarray(self.entries[spread(self.starts[found], self.starts[found + 1])], dtype=np.int32)


def _date_code(date: BirthDate) -> int:
    """A date of birth as one number (YYYYMMDD, unknown month or day 00)."""
    return date.year * 10_000 + (date.month or 0) * 100 + (date.day or 0)


def _date_keys(text: str, *, widen: bool) -> list[int]:
    """The date as written; for a traveller also its year, year-month and day/month swapped form."""
    date = birth_date(text)
    if date is None:
        return []
    keys = [_date_code(date)]
    if widen:
        keys += [_date_code(dataclasses.replace(date, month=None, day=None))]
        if date.month is not None:
            keys.append(_date_code(dataclasses.replace(date, day=None)))
        if date.month is not None and date.day is not None and date.day <= 12:
            keys.append(_date_code(dataclasses.replace(date, month=date.day, day=date.month)))
    return keys


def _part_date_codes(token_ids: npt.NDArray[np.int64], dates: Sequence[int]) -> npt.NDArray[np.int64]:
    """Keys of every listed name part with every date of birth: part number and date in one integer."""
    codes = np.asarray(token_ids, dtype=np.int64)[:, None] << _DATE_BITS | np.asarray(dates, dtype=np.int64)[None, :]
    return np.asarray(codes.ravel(), dtype=np.int64)


class WatchlistIndex:
    """Watchlist entries, keyed by their reference, with the lookup structures that find candidates."""

    def __init__(self, entries: Iterable[tuple[str, PersonRecord]]) -> None:
        self.keys: list[str] = []
        self.records: list[PersonRecord] = []
        self.vocabulary: dict[str, int] = {}
        self._abjad: set[int] = set()  # parts written in an abjad somewhere on the list
        columns = _Columns()
        self._layout = NameLayout()
        for number, (key, record) in enumerate(entries):
            self.keys.append(key)
            self.records.append(record)
            self._add_person(number, record, columns)
            self._add_documents(number, record, columns)
            self._layout.add([name_form(name) for name in record.names], self._token_id)
        self._layout.freeze()
        self._genders = _numbers(columns.genders, np.int8)
        self._years_low = _numbers(columns.years_low, np.int16)
        self._years_high = _numbers(columns.years_high, np.int16)
        self._months = _numbers(columns.months, np.int8)
        self._days = _numbers(columns.days, np.int8)
        self._pairs = _Postings(*columns.pairs)
        self._singles = _Postings(*columns.singles)
        self._dates = _Postings(*columns.dates)
        self._documents = _Postings(*columns.documents)
        self._tokens = list(self.vocabulary)
        self._similar: dict[tuple[str, Script, bool], _Similar] = {}
        self._by_deletion: dict[str, list[int]] = defaultdict(list)
        self._by_phonetic: dict[str, list[int]] = defaultdict(list)
        self._by_skeleton: dict[str, list[int]] = defaultdict(list)
        self._abjad_by_skeleton: dict[str, list[int]] = defaultdict(list)
        folded_parts = []
        for token, token_id in self.vocabulary.items():
            folded = confusable_fold(token)
            folded_parts.append(folded)
            if len(token) < 2:
                continue  # initials are laid out for the bound, never looked up
            for variant in deletions(folded) | {folded}:
                self._by_deletion[variant].append(token_id)
            if key := phonetic_key(token):
                self._by_phonetic[key].append(token_id)
            self._by_skeleton[skeleton(token)].append(token_id)
            if token_id in self._abjad:
                self._abjad_by_skeleton[skeleton(token)].append(token_id)
        abjad = np.zeros(len(self._tokens), dtype=bool)
        abjad[list(self._abjad)] = True
        self._parts = ListedParts(self._tokens, folded_parts, np.array([len(token) for token in self._tokens]),
                                  np.array([ord(token[0]) for token in self._tokens]), abjad)
        # The index lives as long as its process: its millions of objects are moved out of the cyclic garbage
        # collector's reach (they hold no cycles; reference counting still frees them), or every full collection
        # while screening walks them all. Garbage of the moment is collected first so that none is frozen.
        gc.collect()
        gc.freeze()

    def _add_person(self, number: int, record: PersonRecord, columns: _Columns) -> None:
        """Post an entry under its name-part pairs (and one-part names, and parts with dates of birth)."""
        born = [parsed for text in record.dates_of_birth if (parsed := birth_date(text))]
        columns.years_low.append(min((parsed.year for parsed in born), default=0))
        columns.years_high.append(max((parsed.year for parsed in born), default=0))
        single = born[0] if len(born) == 1 and born[0].day is not None else None
        columns.months.append(single.month or 0 if single else 0)
        columns.days.append(single.day or 0 if single else 0)
        columns.genders.append(_GENDERS.get(record.gender.strip().upper()[:1], 0))
        dates = {date for text in record.dates_of_birth for date in _date_keys(text, widen=False)}
        seen: set[int] = set()
        for name in record.names:
            form = name_form(name)
            ids = sorted({self._token_id(token, script) for token, script in zip(form.tokens, form.scripts, strict=True)
                          if len(token) > 1})
            for a, b in itertools.combinations(ids, 2):
                if (code := a * _PAIR_BASE + b) not in seen:
                    seen.add(code)
                    columns.add(columns.pairs, code, number)
            if len(ids) == 1:
                columns.add(columns.singles, ids[0], number)
            for token_id, date in itertools.product(ids, dates):
                columns.add(columns.dates, token_id << _DATE_BITS | date, number)

    def _add_documents(self, number: int, record: PersonRecord, columns: _Columns) -> None:
        """Post an entry under its document numbers and their one-deletion variants."""
        for document in record.documents:
            folded = document_number(document.number)
            for variant in {folded} | (deletions(folded) if len(folded) >= MIN_NEAR_DOCUMENT else set()):
                columns.add(columns.documents, hash(variant), number)

    def __len__(self) -> int:
        return len(self.records)

    def _token_id(self, token: str, script: Script) -> int:
        token_id = self.vocabulary.setdefault(token, len(self.vocabulary))
        if script == Script.ABJAD:
            self._abjad.add(token_id)
        return token_id

    def similar_parts(self, token: str, script: Script = Script.ALPHABET, joined: bool = False) -> _Similar:
        """Listed name parts the scorer would align with this part (``joined``: two parts written together), with
        their similarity: looked up within one edit, by phonetic key or (abjad) by consonant skeleton, then kept
        if their similarity reaches the alignment floor."""
        cached = self._similar.get((token, script, joined))
        if cached is not None:
            return cached
        found: set[int] = set()
        same_sound: list[int] = []
        if (exact := self.vocabulary.get(token)) is not None:
            found.add(exact)
        if script != Script.SYLLABIC:
            folded = confusable_fold(token)
            for variant in deletions(folded) | {folded}:
                found.update(self._by_deletion.get(variant, ()))
            if key := phonetic_key(token):
                same_sound = self._by_phonetic.get(key, [])
                found.update(same_sound)
            by_skeleton = self._by_skeleton if script == Script.ABJAD else self._abjad_by_skeleton
            found.update(by_skeleton.get(skeleton(token), ()))
        ids = np.fromiter(found, np.int64, len(found))
        if script == Script.ALPHABET:
            spelt = ~self._parts.abjad[ids]
            values = np.zeros(len(ids))
            chosen = ids[spelt].tolist()
            values[spelt] = part_similarities(token, [self._tokens[i] for i in chosen],
                                              [self._parts.folded[i] for i in chosen],
                                              np.isin(ids[spelt], same_sound), joined)
            values[~spelt] = [part_similarity(token, self._tokens[i], Script.ABJAD, joined)[0]
                              for i in ids[~spelt].tolist()]
        else:
            values = np.array([part_similarity(token, self._tokens[i], max(script, self._script(i)), joined)[0]
                               for i in ids.tolist()], np.float64)
        kept = values >= FLOOR
        result = _Similar(ids[kept], values[kept])
        if len(self._similar) < MAX_CACHED_TOKENS:
            self._similar[(token, script, joined)] = result
        return result

    def _script(self, token_id: int) -> Script:
        return Script.ABJAD if token_id in self._abjad else Script.ALPHABET

    def _name_units(self, form: NameForm) -> list[tuple[frozenset[int], _Similar]]:
        """Each part of a traveller's name, adjacent parts joined, and the listed parts a part splits into (two or
        three), widened. A unit covers characters (part * 1000 + position): units covering none in common pair up.
        """
        units = []
        tokens = form.tokens
        spans = [frozenset(range(i * 1000, i * 1000 + len(token))) for i, token in enumerate(tokens)]
        for i, token in enumerate(tokens):
            if len(token) > 1:
                units.append((spans[i], self.similar_parts(token, form.scripts[i])))
                for cuts in self._splits(token):
                    for start, end in itertools.pairwise((0, *cuts, len(token))):
                        piece = self.similar_parts(token[start:end], form.scripts[i])
                        units.append((frozenset(range(i * 1000 + start, i * 1000 + end)), piece))
        for i in range(len(tokens) - 1):
            if len(tokens[i]) > 1 and len(tokens[i + 1]) > 1:
                script = max(form.scripts[i], form.scripts[i + 1])
                joined = self.similar_parts(tokens[i] + tokens[i + 1], script, joined=True)
                units.append((spans[i] | spans[i + 1], joined))
        return units

    def _splits(self, token: str) -> list[tuple[int, ...]]:
        """Where a part can be cut into two or three listed parts of two letters or more (joined names)."""
        known = self.vocabulary
        found: list[tuple[int, ...]] = []
        for cut in range(2, len(token) - 1):
            if token[:cut] not in known:
                continue
            if token[cut:] in known:
                found.append((cut,))
            found.extend((cut, second) for second in range(cut + 2, len(token) - 1)
                         if token[cut:second] in known and token[second:] in known)
        return found

    def candidates(self, person: PersonRecord, threshold: float = DEFAULT_THRESHOLD) -> tuple[IdArray, IdArray]:
        """Entry numbers worth scoring for this person by name or date (at most MAX_CANDIDATES by name pairs),
        and those sharing a document number within one edit.

        Two parts must meet, one of them at least as similar as the name score must be (``threshold`` less the
        most a date of birth adds): a weighted mean of part similarities reaches a level only if one part does.
        """
        strong = threshold - DOB_ADJUSTMENT["exact"]
        pair_codes: list[npt.NDArray[np.int64]] = []
        single_ids: set[int] = set()
        for name in person.names:
            units = self._name_units(name_form(name))
            for (parts_a, a), (parts_b, b) in itertools.combinations(units, 2):
                if not parts_a & parts_b and len(a.ids) and len(b.ids):
                    pair_codes.append(_pair_codes(a.ids[a.similarity >= strong], b.ids))
                    pair_codes.append(_pair_codes(a.ids, b.ids[b.similarity >= strong]))
            for _, similar in units:
                single_ids.update(similar.ids.tolist())
        dates = {date for text in person.dates_of_birth for date in _date_keys(text, widen=True)}
        by_pairs = self._pairs.lookup(np.concatenate(pair_codes) if pair_codes else [])
        if len(by_pairs) > MAX_CANDIDATES:
            numbers, counts = np.unique(by_pairs, return_counts=True)
            by_pairs = numbers[np.argsort(-counts, kind="stable")[:MAX_CANDIDATES]]
        by_name = np.unique(np.concatenate((
            by_pairs,
            self._singles.lookup(list(single_ids)),
            self._dates.lookup(_part_date_codes(np.fromiter(single_ids, np.int64, len(single_ids)), sorted(dates))),
        )))
        document_codes: list[int] = []
        for document in person.documents:
            folded = document_number(document.number)
            variants = {folded} | (deletions(folded) if len(folded) >= MIN_NEAR_DOCUMENT else set())
            document_codes.extend(hash(variant) for variant in variants)
        return by_name, np.unique(self._documents.lookup(document_codes))

    def _adjustments(self, person: PersonRecord, numbers: IdArray) -> npt.NDArray[np.float64]:
        """The most the date of birth and gender can add to the name score of each entry (an upper bound of the
        scorer's adjustments, computed for all candidates at once)."""
        bound = np.zeros(len(numbers))
        gender = _GENDERS.get(person.gender.strip().upper()[:1], 0)
        if gender:
            listed = self._genders[numbers]
            bound += np.where((listed != 0) & (listed != gender), GENDER_CONFLICT, 0.0)
        dates = [born for text in person.dates_of_birth if (born := birth_date(text))]
        if dates:
            best = np.full(len(numbers), -1.0)
            for date in dates:
                best = np.maximum(best, self._date_bound(date, numbers))
            bound += best
        return bound

    def _date_bound(self, date: BirthDate, numbers: IdArray) -> npt.NDArray[np.float64]:
        """The best date-of-birth adjustment each entry could get against this date: exact for entries with one
        full date when the traveller's is full, from the years alone otherwise."""
        adjust = DOB_ADJUSTMENT
        low, high = self._years_low[numbers], self._years_high[numbers]
        gap = np.maximum(low - date.year, 0) + np.maximum(date.year - high, 0)
        near = (gap <= 1) | _one_digit(low, date.year) | _one_digit(high, date.year)
        bound = np.select([gap == 0, near, gap <= 5],
                          [adjust["exact"], adjust["one_digit_off"], adjust["conflicting"]], adjust["far_apart"])
        if date.month is not None and date.day is not None:
            month, day = self._months[numbers], self._days[numbers]
            same_year, same_day = low == date.year, (month == date.month) & (day == date.day)
            digits = (_differing_digits(low, date.year, 4) + _differing_digits(month, date.month, 2)
                      + _differing_digits(day, date.day, 2))
            placeholder = ((month == 1) & (day == 1)) | (date.month == date.day == 1)
            swapped = (month == date.day) & (day == date.month)
            exact = np.select(
                [same_year & same_day, same_year & placeholder, digits == 1, same_year & swapped,
                 same_day & (np.abs(low - date.year) == 1), same_year, np.abs(low - date.year) <= 5],
                [adjust["exact"], adjust["placeholder_jan_01"], adjust["one_digit_off"], adjust["day_month_swapped"],
                 adjust["year_off_by_one"], adjust["same_year_other_date"], adjust["conflicting"]],
                adjust["far_apart"],
            )
            bound = np.where(month > 0, exact, bound)
        return np.where(low == 0, 0.0, bound)

    def name_bound(self, person: PersonRecord, numbers: IdArray) -> npt.NDArray[np.float64]:
        """The most each entry's name score can be for this person (bound.name_bounds; 1.0 where not bounded)."""
        best = np.zeros(len(numbers))
        for name in person.names:
            form = name_form(name)
            if any(script != Script.ALPHABET for script in form.scripts):
                return np.ones(len(numbers))
            units = [QueryUnit((i,), token, self.similar_parts(token).ids if len(token) > 1 else _NONE)
                     for i, token in enumerate(form.tokens)]
            units += [QueryUnit((i, i + 1), joined, self.similar_parts(joined, joined=True).ids)
                      for i, joined in enumerate(a + b for a, b in itertools.pairwise(form.tokens))
                      if len(form.tokens[i]) > 1 and len(form.tokens[i + 1]) > 1]
            best = np.maximum(best, name_bounds(self._layout, self._parts, numbers, form, units))
        return best

    def screen(self, person: PersonRecord, threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
        """Entries that score at least ``threshold`` for this person, best first; each Match names its entry."""
        by_name, by_document = self.candidates(person, threshold)
        by_name = np.setdiff1d(by_name, by_document, assume_unique=True)
        adjustments = self._adjustments(person, by_name)
        reachable = 1.0 + adjustments >= threshold - 1e-9
        by_name, adjustments = by_name[reachable], adjustments[reachable]
        if len(by_name) >= BOUNDED_FROM and person.names:
            by_name = by_name[self.name_bound(person, by_name) + adjustments >= threshold - 1e-9]
        matches = []
        for number in np.concatenate((by_document, by_name)).tolist():
            match = score_at_least(person, self.records[number], threshold)
            if match is not None:
                matches.append(dataclasses.replace(match, entry=self.keys[number]))
        matches.sort(key=lambda m: (-m.score, m.entry))
        return matches


def _differing_digits(values: SmallInts, value: int, width: int) -> npt.NDArray[np.int8]:
    """How many of the ``width`` decimal digits of each value differ from those of ``value``."""
    return np.asarray(sum(((values // 10**k) % 10 != (value // 10**k) % 10).astype(np.int8) for k in range(width)),
                      dtype=np.int8)


def _one_digit(years: SmallInts, year: int) -> npt.NDArray[np.bool_]:
    """Whether each year differs from ``year`` in exactly one of its four digits."""
    return np.asarray(_differing_digits(years, year, 4) == 1)


_WORKER: dict[str, WatchlistIndex] = {}  # the index a forked worker process screens against


def _start_worker(index: WatchlistIndex) -> None:
    _WORKER["index"] = index


def _screen_chunk(job: tuple[Sequence[PersonRecord], float]) -> list[list[Match]]:
    people, threshold = job
    return [_WORKER["index"].screen(person, threshold) for person in people]


def screen_all(
    index: WatchlistIndex, people: Sequence[PersonRecord], threshold: float = DEFAULT_THRESHOLD, processes: int = 1
) -> Iterator[list[Match]]:
    """Screen many people in order, in ``processes`` forked workers sharing the index (1: in this process)."""
    if processes <= 1 or len(people) < 2:
        yield from (index.screen(person, threshold) for person in people)
        return
    chunk = 256
    jobs = [(people[i : i + chunk], threshold) for i in range(0, len(people), chunk)]
    # Forked workers inherit the index (never pickled), and with it the process's string hashes used as keys.
    with multiprocessing.get_context("fork").Pool(processes, _start_worker, (index,)) as pool:
        for results in pool.imap(_screen_chunk, jobs):
            yield from results
