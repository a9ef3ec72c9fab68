"""People: names from many cultures, dates of birth, nationality, passports, visas, addresses and contacts."""

from __future__ import annotations

import random
import re
import string
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from gtas.generator.names import CULTURES, DIASPORA, Culture
from gtas.generator.places import AIRPORTS, COUNTRIES, MAIL, STREETS, Country
from gtas.parsers.records import Address, Document

AgeBand = Literal["adult", "child", "infant"]

_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_RUNS = re.compile(r"D+|L+|[^DL]+")


@dataclass(slots=True)
class Person:
    """Who someone is, independent of any message: the truth that API and PNR records are built from."""

    surname: str
    given_names: str
    gender: str  # M or F
    date_of_birth: date
    nationality: str
    residence: str
    culture: str
    passport: Document
    visa: Document | None = None

    @property
    def first_name(self) -> str:
        return self.given_names.split(" ", 1)[0]

    def age_on(self, day: date) -> int:
        years = day.year - self.date_of_birth.year
        return years - ((day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day))


def weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    """One of the options, by weight."""
    total = sum(w for _, w in options)
    pick = rng.random() * total
    for value, weight in options:
        pick -= weight
        if pick < 0:
            return value
    return options[-1][0]


def pattern(rng: random.Random, text: str) -> str:
    """Fill a pattern: ``D`` a digit, ``L`` a letter, anything else as is."""
    out = []
    for run in _RUNS.findall(text):
        if run[0] == "D":
            out.append(f"{rng.randrange(10 ** len(run)):0{len(run)}d}")
        elif run[0] == "L":
            out.append("".join(rng.choice(_LETTERS) for _ in run))
        else:
            out.append(run)
    return "".join(out)


def feminine(surname: str, culture: str) -> str:
    """The form a surname takes for a woman (East Slavic -OV/-EV/-IN take -A, -SKIY becomes -SKAYA)."""
    if culture != "slavic":
        return surname
    if surname.endswith("SKIY"):
        return surname[:-4] + "SKAYA"
    if surname.endswith(("OV", "EV", "IN", "YN")):
        return surname + "A"
    return surname


def surname_for(rng: random.Random, culture: Culture) -> str:
    """A family name, sometimes compound (two Hispanic surnames, a double-barrelled English one)."""
    first = rng.choice(culture.surnames)
    if rng.random() < culture.compound_surname_rate:
        second = rng.choice(culture.surnames)
        if second != first:
            return f"{first}-{second}" if culture.hyphenate else f"{first} {second}"
    return first


def given_for(rng: random.Random, culture: Culture, gender: str, *, father: str | None = None) -> str:
    """Given names; Arabic second names are often the father's name."""
    names = culture.male if gender == "M" else culture.female
    first = rng.choice(names)
    if rng.random() < culture.middle_name_rate:
        second = (father or rng.choice(culture.male)) if culture.key == "arabic" else rng.choice(names)
        if second != first and " " not in first:
            return f"{first} {second}"
    return first


def nationality_for(rng: random.Random, culture: Culture) -> str:
    """Mostly a country of the culture, sometimes a diaspora country."""
    if rng.random() < 0.12:
        return weighted(rng, DIASPORA)
    return weighted(rng, culture.nationalities)


def birth_date(rng: random.Random, band: AgeBand, travel: date) -> date:
    """A date of birth for an adult (18–85, most 25–60), child (2–15) or infant (under 2)."""
    if band == "infant":
        days = rng.randint(14, 700)
    elif band == "child":
        days = rng.randint(2 * 365 + 10, 15 * 365)
    else:
        age = min(85.0, max(18.2, rng.gauss(42, 13)))
        days = int(age * 365.25) + rng.randint(0, 300)
    return travel - timedelta(days=days)


def passport(rng: random.Random, country: str, holder_birth: date, travel: date) -> Document:
    """A passport with a number in the country's format, valid beyond the travel date."""
    info = COUNTRIES.get(country)
    number = pattern(rng, info.passport if info else "LDDDDDDDD")
    adult = (travel - holder_birth).days >= 16 * 365
    validity = 10 if adult else 5
    issued = travel - timedelta(days=rng.randint(30, validity * 365 - 30))
    issued = max(issued, holder_birth + timedelta(days=7))
    expiry = issued.replace(day=min(issued.day, 28)) + timedelta(days=validity * 365 + 2)
    if expiry <= travel:
        expiry = travel + timedelta(days=rng.randint(30, 900))
    return Document(type="P", number=number, issuing_country=country, expiry=expiry, issue_date=issued,
                    nationality=country)


def visa(rng: random.Random, destination: str, nationality: str, travel: date) -> Document:
    """An entry visa issued by the destination country at a consulate in the traveller's country."""
    issued = travel - timedelta(days=rng.randint(20, 4 * 365))
    years = rng.choice((1, 2, 5, 10))
    expiry = issued + timedelta(days=years * 365)
    if expiry <= travel:
        expiry = travel + timedelta(days=rng.randint(60, 700))
    home = COUNTRIES.get(nationality)
    city = rng.choice(home.cities) if home else "CONSULATE"
    return Document(type="V", number=pattern(rng, "DDDDDDDD"), issuing_country=destination, expiry=expiry,
                    issue_date=issued, place_of_issue=city)


def needs_visa(nationality: str, destination: str) -> bool:
    """Whether a national needs a visa to enter the destination country (simplified waiver lists)."""
    if nationality == destination:
        return False
    info = COUNTRIES.get(nationality)
    return not (info and info.visa_waiver)


def make_person(
    rng: random.Random,
    culture_key: str,
    band: AgeBand,
    travel: date,
    destination_country: str,
    *,
    gender: str | None = None,
    surname: str | None = None,
    nationality: str | None = None,
    residence: str | None = None,
) -> Person:
    """A person of a culture; surname, nationality and residence may be imposed (families share them)."""
    culture = CULTURES[culture_key]
    sex = gender or rng.choice("MF")
    family = surname or surname_for(rng, culture)
    if sex == "F":
        family = feminine(family, culture_key)
    nat = nationality or nationality_for(rng, culture)
    dob = birth_date(rng, band, travel)
    doc = passport(rng, nat, dob, travel)
    person = Person(
        surname=family,
        given_names=given_for(rng, culture, sex),
        gender=sex,
        date_of_birth=dob,
        nationality=nat,
        residence=residence or (nat if rng.random() < 0.9 else weighted(rng, DIASPORA)),
        culture=culture_key,
        passport=doc,
    )
    if needs_visa(nat, destination_country):
        person.visa = visa(rng, destination_country, nat, travel)
    return person


def street_address(rng: random.Random, country: str, *, kind: str = "residence") -> Address:
    """A residential address in a city of the country."""
    info: Country | None = COUNTRIES.get(country)
    culture = info.culture if info else "anglo"
    street = rng.choice(STREETS.get(culture, STREETS["anglo"]))
    number = rng.randint(1, 240)
    text = f"{number} {street}" if culture in ("anglo", "french") else f"{street} {number}"
    city = rng.choice(info.cities) if info else "CAPITAL"
    postcode = pattern(rng, info.postcode) if info and info.postcode else None
    return Address(street=text, city=city, postcode=postcode, country=country, kind=kind)


def destination_address(rng: random.Random, airport_code: str) -> Address:
    """Where a visitor stays: an address in the city of the arrival airport."""
    airport = AIRPORTS[airport_code]
    info = COUNTRIES.get(airport.country)
    culture = info.culture if info else "anglo"
    street = rng.choice(STREETS.get(culture, STREETS["anglo"]))
    number = rng.randint(1, 2400)
    text = f"{number} {street}" if culture in ("anglo", "french") else f"{street} {number}"
    postcode = airport.postcode + pattern(rng, "DD") if airport.postcode else None
    return Address(street=text, city=airport.city, region=airport.region or None, postcode=postcode,
                   country=airport.country, kind="destination")


def mobile_number(rng: random.Random, country: str) -> str:
    """An international mobile number, digits only, with the country's dialling code."""
    info = COUNTRIES.get(country)
    dial = info.dial if info else "1"
    length = 10 if dial == "1" else rng.randint(9, 10)
    return dial + str(rng.randint(2, 9)) + pattern(rng, "D" * (length - 1))


def email_for(rng: random.Random, person: Person) -> str:
    """A plausible personal e-mail address (upper case, as reservation systems store it)."""
    clean_given = "".join(ch for ch in person.first_name if ch.isalpha())
    clean_surname = "".join(ch for ch in person.surname if ch.isalpha())
    info = COUNTRIES.get(person.residence)
    domains = (*MAIL, *(info.mail if info else ()), *(info.mail if info else ()))
    style = rng.randrange(4)
    if style == 0:
        local = f"{clean_given}.{clean_surname}"
    elif style == 1:
        local = f"{clean_given}_{clean_surname}{rng.randint(1, 99)}"
    elif style == 2:
        local = f"{clean_given[0]}{clean_surname}{person.date_of_birth.year % 100:02d}"
    else:
        local = f"{clean_surname}.{clean_given}{rng.choice(string.digits)}"
    return f"{local}@{rng.choice(domains)}"
