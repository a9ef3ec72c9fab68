"""Normalising the person fields of watchlist files."""

from __future__ import annotations

from datetime import date

import pytest

from gtas.rules import watchlist_fields

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("text", "stored"), [
    ("1980-03-12", "1980-03-12"),
    ("1980-3-2", "1980-03-02"),
    ("1980-03", "1980-03"),
    ("1980", "1980"),
    ("1980.0", "1980"),
    ("1980-03-12 00:00:00", "1980-03-12"),
    ("19800312", "1980-03-12"),
    ("12/03/1980", "1980-03-12"),
    ("12.03.1980", "1980-03-12"),
    ("03/25/1980", "1980-03-25"),
    ("1980/03/12", "1980-03-12"),
    ("03/1980", "1980-03"),
    ("12 Mar 1980", "1980-03-12"),
    ("12-MAR-1980", "1980-03-12"),
    ("March 1980", "1980-03"),
    ("sept. 1980", "1980-09"),
])
def test_dates_of_birth_in_many_forms(text: str, stored: str) -> None:
    assert watchlist_fields.date_of_birth(text, TODAY) == stored


@pytest.mark.parametrize(("text", "reason"), [
    ("1980-13-01", "no month 13"),
    ("1980-02-30", "no such day"),
    ("31/02/1980", "no such day"),
    ("2030-01-01", "out of range"),
    ("1850", "out of range"),
    ("yesterday", "not a date"),
    ("12 Foo 1980", "not a date"),
])
def test_bad_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        watchlist_fields.date_of_birth(text, TODAY)


@pytest.mark.parametrize(("text", "code"), [
    ("FRA", "FRA"), ("fr", "FRA"), ("France", "FRA"), ("germany", "DEU"), ("D", "DEU"), ("XK", "RKS"),
    ("UK", "GBR"), ("United Kingdom", "GBR"), ("Iran, Islamic Republic of", "IRN"), ("XXA", "XXA"),
    (" us ", "USA"),
])
def test_countries_become_alpha3(text: str, code: str) -> None:
    assert watchlist_fields.country(text) == code


@pytest.mark.parametrize("text", ["ZZZ", "Atlantis", "Q"])
def test_unknown_countries_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="unknown country"):
        watchlist_fields.country(text)


@pytest.mark.parametrize(("text", "stored"), [
    ("M", "M"), ("male", "M"), ("Female", "F"), ("f", "F"), ("X", "X"), ("non-binary", "X"), ("unknown", ""),
])
def test_gender_words(text: str, stored: str) -> None:
    assert watchlist_fields.gender(text) == stored


def test_unknown_gender_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown gender"):
        watchlist_fields.gender("maybe")


@pytest.mark.parametrize(("text", "code"), [
    ("passport", "P"), ("Identity  Card", "I"), ("visa", "V"), ("p", "P"), ("AC", "AC"),
])
def test_document_kinds(text: str, code: str) -> None:
    assert watchlist_fields.document_kind(text) == code


def test_unknown_document_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown document type"):
        watchlist_fields.document_kind("library card")


def test_document_number_key_keeps_letters_and_digits() -> None:
    assert watchlist_fields.document_number_key(" ab-12 345/c ") == "AB12345C"


@pytest.mark.parametrize(("text", "key"), [
    ("wanted", "wanted"), ("Human trafficking", "human_trafficking"), ("lost/stolen document", "lost_stolen_document"),
    (" Cash-Couriers ", "cash_couriers"),
])
def test_categories_in_their_key_form(text: str, key: str) -> None:
    assert watchlist_fields.category(text) == key


@pytest.mark.parametrize("text", ["#1 spying!", "7th", "x", "a" * 51])
def test_malformed_categories_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a category"):
        watchlist_fields.category(text)
