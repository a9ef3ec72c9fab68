"""Assessing travellers: watchlist vetting, rules and links become hits — opened, brought up to date or withdrawn
with the reason — and each traveller's risk score and band.

Hits are never deleted: a hit whose cause has gone (the rule no longer fires, the entry was removed, the traveller
left the flight, an officer suppressed the cause for this person) is withdrawn with that reason, and reopened if its
cause comes back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.db import dialect_insert
from gtas.model import Hit, HitKind, HitStatus, HitSuppression, RiskBand, Traveller, TravellerRisk
from gtas.model.base import utcnow
from gtas.rules.engine import RuleResult, assess, risk_scores
from gtas.rules.links import LinkResult, link_results, sharing
from gtas.rules.screening import Screening, WatchlistResult, current_screening, traveller_records
from gtas.settings import Bands

BATCH = 500


@dataclass(slots=True)
class Tally:
    """What an assessment changed."""

    travellers: int = 0
    opened: int = 0
    updated: int = 0
    withdrawn: int = 0
    broken_rules: list[str] = field(default_factory=list)
    newly_flagged: set[int] = field(default_factory=set)  # travellers given a watchlist hit they did not have

    def add(self, other: Tally) -> None:
        """Fold another batch's tally into this one."""
        self.travellers += other.travellers
        self.opened += other.opened
        self.updated += other.updated
        self.withdrawn += other.withdrawn
        self.broken_rules = sorted({*self.broken_rules, *other.broken_rules})
        self.newly_flagged |= other.newly_flagged


@dataclass(frozen=True, slots=True)
class Finding:
    """A cause that flags a traveller now, in the shape of a hit."""

    traveller_id: int
    cause_key: str
    kind: HitKind
    score: float
    severity: str
    explanation: dict[str, Any]
    rule_version_id: int | None = None
    watchlist_entry_id: int | None = None
    watchlist_version: int | None = None


def assess_travellers(session: Session, traveller_ids: Iterable[int], *, message_id: int | None = None,
                      now: datetime | None = None, bands: Bands | None = None) -> Tally:
    """Assess these travellers in batches: hits opened, updated or withdrawn, risk recorded. Flushes, never commits.

    Travellers elsewhere who share a contact, card, document or booking with a traveller who has just been flagged
    are assessed again too, so their link hits appear now rather than at their next push.
    """
    now = now or utcnow()
    bands = bands or Bands.current(session)
    screening = current_screening(session, now)
    ids = set(traveller_ids)
    tally = Tally()
    for batch in _batches(sorted(ids)):
        tally.add(_assess_batch(session, batch, screening, message_id, now, bands))
    linked = sharing(session, tally.newly_flagged) - ids
    for batch in _batches(sorted(linked)):
        tally.add(_assess_batch(session, batch, screening, None, now, bands))
    return tally


def _assess_batch(session: Session, ids: Sequence[int], screening: Screening, message_id: int | None,
                  now: datetime, bands: Bands) -> Tally:
    records = traveller_records(session, ids)
    listed = [result for tid, person in records.items() for result in screening.screen(tid, person)]
    suppressed = _suppressions(session, ids, now)
    findings = [_from_watchlist(r) for r in listed]
    findings = [f for f in findings if (f.traveller_id, f.cause_key) not in suppressed]
    tally = _persist(session, ids, findings, {HitKind.WATCHLIST}, suppressed, message_id, now, records)

    watchlisted = {f.traveller_id for f in findings}
    rules = assess(session, records, watchlisted=watchlisted, bands=bands, at=now)
    fired = [r for r in rules.results if (r.traveller_id, r.cause_key) not in suppressed]
    rule_findings = [_from_rule(r) for r in fired]
    links = [f for f in map(_from_link, link_results(session, records))
             if (f.traveller_id, f.cause_key) not in suppressed]
    tally.add(_persist(session, ids, rule_findings + links, {HitKind.RULE, HitKind.LINK}, suppressed, message_id,
                       now, records))
    tally.travellers = len(ids)
    tally.broken_rules = [f"{b.key} v{b.version}: {b.error}" for b in rules.broken]

    risks = [{"traveller_id": tid, "score": risk.score, "band": risk.band, "assessed_at": now}
             for tid, risk in risk_scores(records, fired, bands, watchlisted).items()]
    risks += [{"traveller_id": tid, "score": 0.0, "band": RiskBand.NONE, "assessed_at": now}
              for tid in ids if tid not in records]
    if risks:
        insert = dialect_insert(session.get_bind().dialect.name, TravellerRisk.__table__)  # type: ignore[arg-type]
        session.execute(insert.on_conflict_do_update(
            index_elements=["traveller_id"],
            set_={"score": insert.excluded.score, "band": insert.excluded.band,
                  "assessed_at": insert.excluded.assessed_at}), risks)
    return tally


def _persist(session: Session, ids: Sequence[int], findings: Sequence[Finding], kinds: set[HitKind],
             suppressed: dict[tuple[int, str], str], message_id: int | None, now: datetime,
             present: dict[int, Any]) -> Tally:
    """Open or update a hit per finding; withdraw this batch's open hits of these kinds that no finding backs."""
    tally = Tally()
    wanted = {(f.traveller_id, f.cause_key): f for f in findings}
    existing = {(h.traveller_id, h.cause_key): h for h in session.scalars(
        select(Hit).where(Hit.traveller_id.in_(ids), Hit.kind.in_(kinds)))}
    for key, finding in wanted.items():
        hit = existing.get(key)
        if hit is None:
            session.add(Hit(traveller_id=finding.traveller_id, cause_key=finding.cause_key, kind=finding.kind,
                            rule_version_id=finding.rule_version_id, watchlist_entry_id=finding.watchlist_entry_id,
                            watchlist_version=finding.watchlist_version, score=finding.score,
                            severity=finding.severity, explanation=finding.explanation, message_id=message_id,
                            status=HitStatus.OPEN, created_at=now, updated_at=now))
            tally.opened += 1
            tally.newly_flagged |= {finding.traveller_id} if finding.kind == HitKind.WATCHLIST else set()
        elif hit.status == HitStatus.WITHDRAWN or _changed(hit, finding):
            if hit.status == HitStatus.WITHDRAWN and finding.kind == HitKind.WATCHLIST:
                tally.newly_flagged.add(finding.traveller_id)
            tally.opened += hit.status == HitStatus.WITHDRAWN
            tally.updated += hit.status == HitStatus.OPEN
            hit.status, hit.withdrawn_reason, hit.withdrawn_at = HitStatus.OPEN, None, None
            hit.rule_version_id, hit.watchlist_version = finding.rule_version_id, finding.watchlist_version
            hit.score, hit.severity, hit.explanation = finding.score, finding.severity, finding.explanation  # type: ignore[assignment]
            hit.message_id = message_id or hit.message_id
            hit.updated_at = now
    for key, hit in existing.items():
        if hit.status == HitStatus.OPEN and key not in wanted:
            hit.status, hit.withdrawn_at = HitStatus.WITHDRAWN, now
            hit.withdrawn_reason = _why_gone(hit, key, suppressed, present)
            hit.updated_at = now
            tally.withdrawn += 1
    session.flush()
    return tally


def _changed(hit: Hit, finding: Finding) -> bool:
    return (hit.rule_version_id, hit.watchlist_version, round(hit.score, 6), hit.explanation) != (
        finding.rule_version_id, finding.watchlist_version, round(finding.score, 6), finding.explanation)


def _why_gone(hit: Hit, key: tuple[int, str], suppressed: dict[tuple[int, str], str], present: dict[int, Any]) -> str:
    if key[0] not in present:
        return "the traveller is no longer on the flight"
    if key in suppressed:
        return suppressed[key]
    if hit.kind == HitKind.WATCHLIST:
        return "the watchlist entry was removed, expired or changed, or the traveller's data no longer matches it"
    if hit.kind == HitKind.RULE:
        return "the rule was disabled, expired or changed, or the traveller's data no longer meets its conditions"
    return "the shared element no longer links this traveller to a flagged traveller"


def _suppressions(session: Session, ids: Sequence[int], now: datetime) -> dict[tuple[int, str], str]:
    """(traveller, cause) pairs an officer suppressed for the traveller's person, with the reason to show."""
    rows = session.execute(
        select(Traveller.id, HitSuppression.cause_key, HitSuppression.until, HitSuppression.reason,
               HitSuppression.created_by)
        .join(HitSuppression, HitSuppression.person_id == Traveller.person_id)
        .where(Traveller.id.in_(ids), HitSuppression.until > now))
    return {(r.id, r.cause_key): f"suppressed for this person until {r.until:%Y-%m-%d %H:%M} UTC by "
            f"{r.created_by}: {r.reason}" for r in rows}


def _from_watchlist(result: WatchlistResult) -> Finding:
    return Finding(result.traveller_id, result.cause_key, HitKind.WATCHLIST, result.score, result.entry.severity,
                   result.explanation, watchlist_entry_id=result.entry.entry_id,
                   watchlist_version=result.entry.watchlist_version)


def _from_rule(result: RuleResult) -> Finding:
    return Finding(result.traveller_id, result.cause_key, HitKind.RULE, result.weight, result.severity,
                   result.explanation, rule_version_id=result.rule_version_id)


def _from_link(result: LinkResult) -> Finding:
    return Finding(result.traveller_id, result.cause_key, HitKind.LINK, 0.0, "medium", result.explanation)


def _batches(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]
