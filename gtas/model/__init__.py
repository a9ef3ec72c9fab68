"""The GTAS data model: SQLAlchemy 2.0 typed tables, one module per aggregate (migrations in gtas/migrations)."""

from gtas.model.base import Base, UtcDateTime
from gtas.model.flight import Direction, Flight, FlightMessage
from gtas.model.message import Channel, Message, MessageStatus
from gtas.model.party import ApiToken, Party, PartyKind
from gtas.model.pnr import Pnr, PnrFlight, PnrFlightStatus, PnrVersion
from gtas.model.pnr_view import (
    Agency,
    Bag,
    Codeshare,
    Contact,
    ContactKind,
    FrequentFlyer,
    HistoryEntry,
    ItineraryLeg,
    Payment,
    Seat,
    Ticket,
)
from gtas.model.reference import Airport, Carrier, Country
from gtas.model.traveller import Document, Person, PersonKey, PersonKeyKind, Traveller, TravellerSource

__all__ = [
    "Agency", "Airport", "ApiToken", "Bag", "Base", "Carrier", "Channel", "Codeshare", "Contact", "ContactKind",
    "Country", "Direction", "Document", "Flight", "FlightMessage", "FrequentFlyer", "HistoryEntry",
    "ItineraryLeg", "Message", "MessageStatus", "Party", "PartyKind", "Payment", "Person", "PersonKey",
    "PersonKeyKind", "Pnr", "PnrFlight", "PnrFlightStatus", "PnrVersion", "Seat", "Ticket", "Traveller",
    "TravellerSource", "UtcDateTime",
]
