"""Settings administrators change at run time, stored in the database: the risk-score bands and the retention periods.

Each has a default (the bands: GTAS_RISK_BANDS; retention: the EU PNR directive, Art. 12: depersonalise after 6
months, delete after 5 years) that holds until an administrator stores a value. Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, case, exists, update
from sqlalchemy.orm import Session

from gtas import config
from gtas.model import Hit, HitKind, HitStatus, RiskBand, Setting, TravellerRisk
from gtas.model.base import utcnow
from gtas.numbers import whole_number

BANDS = "risk_bands"
RETENTION = "retention"
MAX_SCORE = 1_000_000.0
MAX_MONTHS = 1200  # a hundred years: anything longer is a typing mistake


class SettingError(ValueError):
    """A setting value that cannot be stored, with the reason in words for the administrator."""


@dataclass(frozen=True, slots=True)
class Bands:
    """Score thresholds: a score at or above ``high`` is high, and so on; below ``low`` (or zero) is none."""

    high: float
    medium: float
    low: float

    @classmethod
    def from_settings(cls) -> Bands:
        """The bands of GTAS_RISK_BANDS, e.g. ``high=50,medium=20,low=1``."""
        return cls.parse(config.setting("GTAS_RISK_BANDS"))

    @classmethod
    def current(cls, session: Session) -> Bands:
        """The bands an administrator stored (Administration → Settings), else those of GTAS_RISK_BANDS."""
        stored = stored_bands(session)
        return cls.from_settings() if stored is None else stored

    @classmethod
    def parse(cls, text: str) -> Bands:
        values: dict[str, float] = {}
        for part in text.split(","):
            name, _, number = part.partition("=")
            try:
                values[name.strip().lower()] = float(number)
            except ValueError:
                raise ValueError(f"GTAS_RISK_BANDS: {part.strip()!r} is not name=number") from None
        if set(values) != {"high", "medium", "low"}:
            raise ValueError(f"GTAS_RISK_BANDS must set high, medium and low, got {text!r}")
        bands = cls(values["high"], values["medium"], values["low"])
        if not 0 < bands.low <= bands.medium <= bands.high:
            raise ValueError(f"GTAS_RISK_BANDS must be 0 < low <= medium <= high, got {text!r}")
        return bands

    def band(self, score: float, *, watchlisted: bool = False) -> RiskBand:
        """The band of a score; a traveller with a watchlist hit is always in the top band."""
        if watchlisted or score >= self.high:
            return RiskBand.HIGH
        if score >= self.medium:
            return RiskBand.MEDIUM
        if score >= self.low:
            return RiskBand.LOW
        return RiskBand.NONE


@dataclass(frozen=True, slots=True)
class Retention:
    """How long travel data stays whole: depersonalised (personal fields masked) after ``depersonalise_months``,
    deleted with its raw messages after ``delete_months``; nothing happens while ``enabled`` is false."""

    depersonalise_months: int = 6
    delete_months: int = 60
    enabled: bool = True


def _stored(session: Session, name: str) -> Setting | None:
    return session.get(Setting, name)


def _store(session: Session, name: str, value: dict[str, Any], by: str) -> None:
    setting = _stored(session, name)
    if setting is None:
        session.add(Setting(name=name, value=value, updated_by=by, updated_at=utcnow()))
    else:
        setting.value, setting.updated_by = value, by
    session.flush()


def stored_bands(session: Session) -> Bands | None:
    """The bands an administrator stored, or None while GTAS_RISK_BANDS applies."""
    setting = _stored(session, BANDS)
    if setting is None:
        return None
    return Bands(float(setting.value["high"]), float(setting.value["medium"]), float(setting.value["low"]))


def check_bands(high: str, medium: str, low: str) -> Bands:
    """Thresholds typed in a form, as numbers with high ≥ medium ≥ low > 0.

    :raises SettingError: a value that is no number, or out of order.
    """
    values: dict[str, float] = {}
    for name, text in (("high", high), ("medium", medium), ("low", low)):
        try:
            value = float(text.strip())
        except ValueError:
            raise SettingError(f"the {name} threshold must be a number, not {text.strip()[:20]!r}") from None
        if not 0 < value <= MAX_SCORE:  # NaN fails too
            raise SettingError(f"the {name} threshold must be above 0 and at most {MAX_SCORE:g}")
        values[name] = value
    if not values["high"] >= values["medium"] >= values["low"]:
        raise SettingError("the thresholds must keep their order: high ≥ medium ≥ low")
    return Bands(values["high"], values["medium"], values["low"])


def save_bands(session: Session, bands: Bands, by: str) -> int:
    """Store the bands and put every assessed traveller in the band his score now falls in (a traveller with an open
    watchlist hit stays high); returns how many travellers changed band."""
    _store(session, BANDS, asdict(bands), by)
    listed = exists().where(and_(Hit.traveller_id == TravellerRisk.traveller_id, Hit.kind == HitKind.WATCHLIST,
                                 Hit.status == HitStatus.OPEN))
    band = case((listed, RiskBand.HIGH.value), (TravellerRisk.score >= bands.high, RiskBand.HIGH.value),
                (TravellerRisk.score >= bands.medium, RiskBand.MEDIUM.value),
                (TravellerRisk.score >= bands.low, RiskBand.LOW.value), else_=RiskBand.NONE.value)
    changed = session.execute(update(TravellerRisk).where(TravellerRisk.band != band).values(band=band)
                              .execution_options(synchronize_session=False))
    session.expire_all()
    return int(changed.rowcount)  # type: ignore[attr-defined]


def retention(session: Session) -> Retention:
    """The retention periods in force: stored, else the EU PNR directive's."""
    setting = _stored(session, RETENTION)
    if setting is None:
        return Retention()
    return Retention(int(setting.value["depersonalise_months"]), int(setting.value["delete_months"]),
                     bool(setting.value["enabled"]))


def check_retention(depersonalise_months: str, delete_months: str, enabled: bool) -> Retention:
    """Periods typed in a form, in whole months, depersonalisation first: 1 ≤ depersonalise ≤ delete.

    :raises SettingError: a value that is no whole number, or out of order.
    """
    months: dict[str, int] = {}
    for name, text in (("depersonalise", depersonalise_months), ("delete", delete_months)):
        number = whole_number(text.strip())
        if number is None:
            raise SettingError(f"the months until data is {name}d must be a whole number, not {text.strip()[:20]!r}")
        months[name] = number
        if not 1 <= months[name] <= MAX_MONTHS:
            raise SettingError(f"the months until data is {name}d must be between 1 and {MAX_MONTHS}")
    if months["depersonalise"] > months["delete"]:
        raise SettingError("data must be depersonalised before it is deleted: depersonalise after fewer months")
    return Retention(months["depersonalise"], months["delete"], enabled)


def save_retention(session: Session, periods: Retention, by: str) -> None:
    """Store the retention periods (the retention job applies them at its next run)."""
    _store(session, RETENTION, asdict(periods), by)


def updated(session: Session, name: str) -> Setting | None:
    """The stored row of a setting (who changed it and when), or None while its default applies."""
    return _stored(session, name)
