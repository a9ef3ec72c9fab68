"""Synthetic payment cards: Luhn-valid numbers derived from the booking, so writers can reproduce them."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date

from gtas.parsers.values import mask_card

# Card type → (number prefixes, length).
CARD_TYPES: dict[str, tuple[tuple[str, ...], int]] = {
    "VI": (("4",), 16),
    "CA": (("51", "52", "53", "54", "55"), 16),
    "AX": (("34", "37"), 15),
    "DC": (("36",), 14),
}


def luhn_digit(body: str) -> str:
    """The check digit that makes ``body`` + digit pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and luhn_digit(number[:-1]) == number[-1]


def card_number(card_type: str, key: str) -> str:
    """The synthetic card number of a booking: a pure function of the card type and the key (the locator)."""
    prefixes, length = CARD_TYPES.get(card_type, CARD_TYPES["VI"])
    digest = hashlib.sha256(f"{card_type}/{key}".encode()).digest()
    prefix = prefixes[digest[0] % len(prefixes)]
    digits = "".join(str(b % 10) for b in digest[1:])
    body = prefix + digits[: length - len(prefix) - 1]
    return body + luhn_digit(body)


@dataclass(frozen=True, slots=True)
class Card:
    type: str
    number: str
    expiry: str  # MMYY

    def masked(self) -> tuple[str | None, str | None]:
        """(last four digits, hash) as the parser computes them with its default (empty) key."""
        return mask_card(self.number, b"")


def synthetic_card(rng: random.Random, key: str, travel: date) -> Card:
    """A card of a common type, expiring one to four years after travel."""
    card_type = rng.choices(tuple(CARD_TYPES), cum_weights=(45, 80, 95, 100))[0]
    expiry_year = travel.year + rng.randint(1, 4)
    return Card(card_type, card_number(card_type, key), f"{rng.randint(1, 12):02d}{expiry_year % 100:02d}")
