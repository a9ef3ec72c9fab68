"""The GTAS data model: SQLAlchemy 2.0 typed tables, one module per aggregate (migrations in gtas/migrations)."""

from gtas.model.audit import AuditEvent
from gtas.model.base import Base, UtcDateTime
from gtas.model.category import HitCategory, SeverityGuide
from gtas.model.decision import Disposition, DispositionKind, HitWork, Outcome, OutcomeKind, SeizureKind
from gtas.model.flight import Direction, Flight, FlightMessage
from gtas.model.hit import Hit, HitKind, HitStatus, HitSuppression, RiskBand, TravellerRisk
from gtas.model.message import Channel, Message, MessageStatus
from gtas.model.party import ApiToken, OnboardingState, Party, PartyKind
from gtas.model.pnr import Pnr, PnrFlight, PnrFlightStatus, PnrPush, PnrVersion
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
from gtas.model.rescreen import Rescreen, RescreenEffect, RescreenHit
from gtas.model.rule import ReferenceKind, ReferenceList, Rule, RuleVersion
from gtas.model.setting import Setting
from gtas.model.traveller import Document, Person, PersonKey, PersonKeyKind, Traveller, TravellerSource
from gtas.model.user import User, UserRole, UserSession
from gtas.model.user_token import UserToken
from gtas.model.watchlist import (
    EntryAction,
    EntryStatus,
    Watchlist,
    WatchlistDocument,
    WatchlistEntry,
    WatchlistEntryChange,
    WatchlistSeverity,
    WatchlistVersion,
)
from gtas.model.watchlist_upload import WatchlistUpload

__all__ = [
    "Agency",
    "Airport",
    "ApiToken",
    "AuditEvent",
    "Bag",
    "Base",
    "Carrier",
    "Channel",
    "Codeshare",
    "Contact",
    "ContactKind",
    "Country",
    "Direction",
    "Disposition",
    "DispositionKind",
    "Document",
    "EntryAction",
    "EntryStatus",
    "Flight",
    "FlightMessage",
    "FrequentFlyer",
    "HistoryEntry",
    "Hit",
    "HitCategory",
    "HitKind",
    "HitStatus",
    "HitSuppression",
    "HitWork",
    "ItineraryLeg",
    "Message",
    "MessageStatus",
    "OnboardingState",
    "Outcome",
    "OutcomeKind",
    "Party",
    "PartyKind",
    "Payment",
    "Person",
    "PersonKey",
    "PersonKeyKind",
    "Pnr",
    "PnrFlight",
    "PnrFlightStatus",
    "PnrPush",
    "PnrVersion",
    "ReferenceKind",
    "ReferenceList",
    "Rescreen",
    "RescreenEffect",
    "RescreenHit",
    "RiskBand",
    "Rule",
    "RuleVersion",
    "Seat",
    "SeizureKind",
    "Setting",
    "SeverityGuide",
    "Ticket",
    "Traveller",
    "TravellerRisk",
    "TravellerSource",
    "User",
    "UserRole",
    "UserSession",
    "UserToken",
    "UtcDateTime",
    "Watchlist",
    "WatchlistDocument",
    "WatchlistEntry",
    "WatchlistEntryChange",
    "WatchlistSeverity",
    "WatchlistUpload",
    "WatchlistVersion",
]
