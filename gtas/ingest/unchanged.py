"""PNRs a push repeats unchanged, recognised before they are read.

Most PNRs of a push are the same as in the push before. The parser gives each PNR of a PNRGOV push a digest of its
text as sent and of all that reading it depends on (``Pnr.raw_digest``); a PNR whose digest equals that of its
current version, and which an earlier push for the same flight carried, needs neither reading nor loading again.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from gtas.ingest.assembly import is_part
from gtas.ingest.context import table_of
from gtas.ingest.flights import find_flight, prime_leg
from gtas.model import Pnr, PnrFlight
from gtas.parsers.records import Message as ParsedMessage

_PNR, _PNR_FLIGHT = table_of(Pnr), table_of(PnrFlight)
_CARRIED = select(  # the flight's PNRs with the raw digests of their current versions (each looked up by key)
    _PNR_FLIGHT.c.pnr_id,
    select(_PNR.c.raw_digest).where(_PNR.c.id == _PNR_FLIGHT.c.pnr_id).scalar_subquery(),
).where(_PNR_FLIGHT.c.flight_id == bindparam("flight"))


class UnchangedPnrs:
    """Answers the parser's question (``gtas.parsers.UnchangedPnrs``) from the database; keeps the ids it found.

    Parts of a series are always read whole: they are loaded together later.
    """

    def __init__(self, session: Session, home_country: str) -> None:
        self.session = session
        self.home_country = home_country
        self.ids: dict[str, int] = {}  # PNR id by raw digest

    def __call__(self, header: ParsedMessage, digests: list[str]) -> set[str]:
        leg = prime_leg(header.flights, self.home_country)
        if is_part(header) or leg is None:
            return set()
        flight_id = find_flight(self.session, leg)
        if flight_id is None:
            return set()
        wanted = set(digests)
        found = {digest: pnr_id for pnr_id, digest in self.session.execute(_CARRIED, {"flight": flight_id})
                 if digest in wanted}
        self.ids.update(found)
        return set(found)
