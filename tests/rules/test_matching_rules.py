"""Every rule of the matcher: normalisation, name parts, alignment, dates of birth, documents, the other fields."""

from __future__ import annotations

import json

import pytest

from gtas.rules.matching.names import align, part_similarity
from gtas.rules.matching.normalise import (
    BirthDate,
    Script,
    birth_date,
    document_number,
    fold,
    name_form,
    skeleton,
)
from gtas.rules.matching.person import IdDocument, Name, PersonRecord
from gtas.rules.matching.score import DEFAULT_THRESHOLD, compare_dates, date_rule, document_rule, name_score, score


def person(*names: str, dob: str = "", gender: str = "", nationality: str = "",
           documents: tuple[IdDocument, ...] = ()) -> PersonRecord:
    return PersonRecord(tuple(Name(n) for n in names), (dob,) if dob else (), gender,
                        (nationality,) if nationality else (), documents)


def names(a: str, b: str) -> float:
    return name_score(person(a), person(b))


# --- normalisation ---

@pytest.mark.parametrize(("text", "expected"), [
    ("Jürgen GROSS", "jurgen gross"),
    ("Łukasz Ødegård", "lukasz odegard"),
    ("O'Brien, Seán", "obrien sean"),
    ("AL-QAIDA", "al qaida"),
    ("SMITH<<JOHN<PAUL", "smith john paul"),
    ("Владимир Путин", "vladimir putin"),
    ("Νικόλαος", "nikolaos"),
    ("习近平", "xi jin ping"),
])
def test_fold_makes_lower_case_ascii_of_any_script(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_name_form_drops_titles_and_keeps_script_and_surname() -> None:
    form = name_form(Name("Dr. Mohammed HASSAN", "Hassan", "Mohammed"))
    assert form.tokens == ("mohammed", "hassan")
    assert form.surname == frozenset({"hassan"})
    assert name_form(Name("محمد علي")).scripts == (Script.ABJAD, Script.ABJAD)
    assert name_form(Name("王伟")).scripts == (Script.SYLLABIC, Script.SYLLABIC)
    assert name_form(Name("Mr")).tokens == ("mr",)  # a title alone is kept rather than leaving no name
    assert name_form(Name("", "Smith", "John")).tokens == ("john", "smith")


def test_skeleton_and_document_number_folding() -> None:
    assert skeleton("mohammed") == skeleton("mhmd") == "mhmd"
    assert document_number("no-123 456") == document_number("N0123456") == "N0123456"
    assert document_number("I1l1") == "1111"


def test_birth_date_keeps_precision_and_refuses_nonsense() -> None:
    assert birth_date("1970") == BirthDate(1970)
    assert birth_date("1970-03") == BirthDate(1970, 3)
    assert birth_date("1970-03-04") == BirthDate(1970, 3, 4)
    assert birth_date("1970-00-00") == BirthDate(1970)
    assert birth_date("04/03/1970") is None
    assert str(BirthDate(1970, 3)) == "1970-03"


# --- name parts ---

@pytest.mark.parametrize(("a", "b", "rule"), [
    ("smith", "smith", "exact"),
    ("j", "john", "initial"),
    ("scholze", "scholz", "spelling"),
    ("mohammed", "muhammad", "spelling"),
    ("hasan", "hassan", "confusable"),
    ("kareem", "karim", "confusable"),
    ("catherine", "kathryn", "phonetic"),
])
def test_parts_that_align(a: str, b: str, rule: str) -> None:
    value, found = part_similarity(a, b)
    assert found == rule
    assert value >= 0.6


@pytest.mark.parametrize(("a", "b"), [("j", "peter"), ("li", "lu"), ("olaf", "octavian"), ("erdem", "erdogan")])
def test_parts_that_do_not_align(a: str, b: str) -> None:
    assert part_similarity(a, b) == (0.0, "different")


def test_short_parts_fail_closed_and_syllables_compare_exactly() -> None:
    assert part_similarity("wu", "wa")[0] == 0.0
    assert part_similarity("ping", "peng", Script.SYLLABIC)[0] == 0.0
    assert part_similarity("ping", "peng", Script.ALPHABET)[0] > 0.6
    assert part_similarity("mhmd", "mohamed", Script.ABJAD) == (0.9, "consonant_skeleton")


# --- alignment ---

def test_order_does_not_matter() -> None:
    assert names("Hassan Mohammed", "Mohammed Hassan") == 1.0


def test_missing_middle_name_costs_little_and_contradicting_one_much() -> None:
    missing = names("John Smith", "John Robert Smith")
    contradicting = names("John William Smith", "John Robert Smith")
    assert missing >= DEFAULT_THRESHOLD
    assert contradicting < DEFAULT_THRESHOLD
    alignment = align(name_form(Name("John William Smith")), name_form(Name("John Robert Smith")))
    assert alignment.contradicting
    assert alignment.extra_query == ("william",)
    assert alignment.extra_entry == ("robert",)


def test_initials_align_with_full_names() -> None:
    assert names("J. Smith", "John Smith") >= DEFAULT_THRESHOLD
    assert names("P. Smith", "John Smith") < DEFAULT_THRESHOLD


def test_joined_and_split_names() -> None:
    assert names("Abdulrahman Khalid", "Abdul Rahman Khalid") >= 0.95
    assert names("Abdul Rahman Khalid", "Abdulrahman Khalid") >= 0.95
    assert names("Al Qaida", "Alqaida") == 1.0


def test_particles_weigh_little_but_a_particle_surname_is_a_surname() -> None:
    assert names("Ahmed Al Hassan", "Ahmed Hassan") >= 0.95
    assert names("Luiz da Silva", "Luiz Silva") >= 0.95
    assert names("Suresh Kumar", "Suresh Das") < 0.6  # Das is the surname here, and it contradicts Kumar
    assert names("Ebru Erdem", "Ebru Le") < 0.6


def test_different_people_with_a_shared_part_stay_below_the_threshold() -> None:
    assert names("Olaf Scholz", "Octavian Scholz") < 0.6
    assert names("Angela Merkel", "Angelo Cruz") < 0.6


def test_transliterated_names_match() -> None:
    assert names("Владимир Путин", "Vladimir Putin") == 1.0
    assert names("محمد علي", "Mohamed Ali") >= DEFAULT_THRESHOLD
    assert names("Dmitriy Medvedev", "Дмитрий Медведев") >= DEFAULT_THRESHOLD


def test_aliases_are_compared_and_the_explanation_names_the_alias() -> None:
    entry = PersonRecord((Name("Ahmad Shah Massoud"), Name("Lion of Panjshir"), Name("Abu Ahmad")))
    match = score(person("Abu Ahmad"), entry)
    assert match.score == 1.0
    assert match.explanation["name"]["rule"] == "alias"
    assert match.explanation["name"]["entry_name"] == "Abu Ahmad"


# --- dates of birth ---

@pytest.mark.parametrize(("traveller", "listed", "rule"), [
    ("1970-03-04", "1970-03-04", "exact"),
    ("1970-03-04", "1970", "agrees_at_precision"),
    ("1970-03-04", "1970-03", "agrees_at_precision"),
    ("1970-03-04", "1970-04-03", "day_month_swapped"),
    ("1970-03-04", "1970-01-01", "placeholder_jan_01"),
    ("1970-03-04", "1970-03-14", "one_digit_off"),
    ("1970-03-04", "1971-03-04", "one_digit_off"),
    ("1970-03-04", "1969-03-04", "year_off_by_one"),
    ("1970", "1971", "year_off_by_one"),
    ("1970-03-04", "1970-08-20", "same_year_other_date"),
    ("1970-03", "1970-08", "same_year_other_date"),
    ("1970-03-04", "1973-08-20", "conflicting"),
    ("1970-03-04", "1990-08-20", "far_apart"),
])
def test_date_rules(traveller: str, listed: str, rule: str) -> None:
    q, e = birth_date(traveller), birth_date(listed)
    assert q is not None
    assert e is not None
    assert date_rule(q, e) == rule


def test_date_of_birth_raises_or_lowers_the_score() -> None:
    listed = PersonRecord((Name("John Smith"),), ("1970-03-04", "1972"), "M", ("GBR",))
    exact = score(person("John Smyth", dob="1970-03-04"), listed).score
    swapped = score(person("John Smyth", dob="1970-04-03"), listed).score
    unknown = score(person("John Smyth"), listed).score
    far = score(person("John Smyth", dob="1990-06-01"), listed).score
    assert exact > unknown > swapped > far
    assert compare_dates(("1972-05-05",), listed.dates_of_birth) == (
        "agrees_at_precision", {"traveller": "1972-05-05", "entry": "1972"})
    assert compare_dates((), listed.dates_of_birth) == ("not_compared", {})


def test_gender_and_nationality_conflicts_lower_the_score() -> None:
    listed = PersonRecord((Name("Maria Lopez"),), (), "F", ("MEX",))
    base = score(person("Maria Lopez", gender="F", nationality="MEX"), listed)
    assert base.score == 1.0
    assert score(person("Maria Lopez", gender="M"), listed).score == pytest.approx(0.85)
    assert score(person("Maria Lopez", nationality="ESP"), listed).score == pytest.approx(0.9)
    assert score(person("Maria Lopez", gender="X"), listed).explanation["gender"]["rule"] == "not_compared"


# --- documents ---

@pytest.mark.parametrize(("traveller", "listed", "rule"), [
    (IdDocument("X1234567", "P", "FRA"), IdDocument("x123-4567", "P", "FRA"), "exact"),
    (IdDocument("X1234567", "P", "FRA"), IdDocument("X1234567", "P", "DEU"), "exact_other_country"),
    (IdDocument("NO1234I7", "P", "FRA"), IdDocument("N0123417", "P", "FRA"), "confusable"),
    (IdDocument("X1234576", "P", "FRA"), IdDocument("X1234567", "P", "FRA"), "transposition"),
    (IdDocument("X1234568", "P", "FRA"), IdDocument("X1234567", "P", "FRA"), "one_character_off"),
    (IdDocument("123456", "P", "FRA"), IdDocument("123465", "P", "DEU"), "unrelated"),
    (IdDocument("1234", "P", "FRA"), IdDocument("1243", "P", "FRA"), "different_number"),
    (IdDocument("A9999999", "P", "FRA"), IdDocument("X1234567", "P", "FRA"), "different_number"),
    (IdDocument("A9999999", "V", "FRA"), IdDocument("X1234567", "P", "FRA"), "unrelated"),
])
def test_document_rules(traveller: IdDocument, listed: IdDocument, rule: str) -> None:
    assert document_rule(traveller, listed) == rule


def test_document_only_entries_match_on_the_number() -> None:
    stolen = PersonRecord((), documents=(IdDocument("X1234567", "P", "FRA"),))
    exact = score(person("Anyone At All", documents=(IdDocument("X1234567", "P", "FRA"),)), stolen)
    assert exact.score == pytest.approx(0.95)
    assert exact.explanation["decided_by"] == "document"
    assert exact.explanation["name"]["rule"] == "no_names"
    swapped = score(person("Anyone", documents=(IdDocument("X1234576", "P", "FRA"),)), stolen)
    assert swapped.score >= DEFAULT_THRESHOLD
    assert score(person("Anyone", documents=(IdDocument("Y7654321", "P", "FRA"),)), stolen).score == 0.0
    assert score(person("Anyone"), stolen).score == 0.0


def test_a_matching_document_supports_a_weak_name() -> None:
    listed = PersonRecord((Name("Jon Smyth-Jones"),), documents=(IdDocument("123456789", "P", "GBR"),))
    without = score(person("John Smith"), listed).score
    confused = score(person("John Smith", documents=(IdDocument("I23456789", "P", "GBR"),)), listed)
    assert confused.score == pytest.approx(max(without + 0.1, 0.9))
    assert confused.explanation["document"]["rule"] == "confusable"


def test_explanation_is_json_and_says_what_aligned_with_what() -> None:
    listed = PersonRecord((Name("Muhammad Hasan", "Hasan", "Muhammad"),), ("1970-03-04",), "M", ("SYR",),
                          (IdDocument("N0123456", "P", "SYR"),))
    match = score(person("Hassan Mohammed", dob="1970-04-03", gender="M", nationality="SYR",
                         documents=(IdDocument("NO123456", "P", "SYR"),)), listed)
    why = json.loads(json.dumps(match.explanation))
    assert why["score"] == round(match.score, 3)
    assert {(p["traveller"], p["entry"]) for p in why["name"]["aligned"]} == {
        ("hassan", "hasan"), ("mohammed", "muhammad")}
    assert why["date_of_birth"] == {"rule": "day_month_swapped", "traveller": "1970-04-03", "entry": "1970-03-04",
                                    "adjustment": -0.1}
    assert why["document"]["rule"] == "confusable"
    assert why["gender"]["rule"] == why["nationality"]["rule"] == "agrees"
