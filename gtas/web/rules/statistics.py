"""How each rule performs: hits per week, what officers decided about its hits, what inspections found.

A rule's hits are every hit it raised (``cause_key`` ``rule:<id>``, whatever the version, open or withdrawn). A hit's
disposition is its newest one; its outcome is the newest outcome recorded for its traveller. **Precision** is the
share of the hits with an outcome whose outcome was a finding (seizure, arrest, refused entry); it is undefined (None)
while no hit has an outcome.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas.model import Disposition, DispositionKind, Hit, HitKind, Outcome, OutcomeKind

FINDINGS = frozenset({OutcomeKind.SEIZURE, OutcomeKind.ARREST, OutcomeKind.REFUSED_ENTRY})
WEEKS = 12
UNDECIDED = "undecided"


def cause_key(rule_id: int) -> str:
    """The cause key of a rule's hits (the same for every version)."""
    return f"rule:{rule_id}"


@dataclass(frozen=True, slots=True)
class Precision:
    """Of the hits with an outcome, how many led to a finding."""

    findings: int
    with_outcome: int

    @property
    def share(self) -> float | None:
        """Findings / hits with an outcome, None while no hit has one."""
        return self.findings / self.with_outcome if self.with_outcome else None

    @property
    def percent(self) -> str:
        """The share as people read it: "67% (2 of 3)", or "—" without outcomes."""
        share = self.share
        return "—" if share is None else f"{share:.0%} ({self.findings} of {self.with_outcome})"


@dataclass(frozen=True, slots=True)
class RuleStatistics:
    """One rule's figures, ready for the charts."""

    hits: int
    weekly: list[tuple[str, float]]  # (first day of the week, hits raised), oldest first
    dispositions: list[tuple[str, float]]
    outcomes: list[tuple[str, float]]
    precision: Precision


def _latest_outcomes(session: Session, keys: Collection[str]) -> list[tuple[str, OutcomeKind | None]]:
    """(cause key, newest outcome of the traveller or None) for every hit of these causes."""
    hits = session.execute(select(Hit.cause_key, Hit.traveller_id)
                           .where(Hit.kind == HitKind.RULE, Hit.cause_key.in_(keys))).all()
    newest: dict[int, OutcomeKind] = {}
    for traveller_id, kind in session.execute(
            select(Outcome.traveller_id, Outcome.kind)
            .where(Outcome.traveller_id.in_(select(Hit.traveller_id).where(Hit.kind == HitKind.RULE,
                                                                           Hit.cause_key.in_(keys))))
            .order_by(Outcome.recorded_at, Outcome.id)):
        newest[traveller_id] = kind
    return [(key, newest.get(traveller_id)) for key, traveller_id in hits]


def _precision(outcomes: list[OutcomeKind | None]) -> Precision:
    known = [kind for kind in outcomes if kind is not None]
    return Precision(sum(kind in FINDINGS for kind in known), len(known))


def overview(session: Session, rule_ids: Collection[int], now: datetime) -> dict[int, tuple[int, Precision]]:
    """For the rules list: each rule's hits raised in the last 7 days and its precision."""
    keys = {cause_key(rule_id): rule_id for rule_id in rule_ids}
    recent: dict[str, int] = {key: count for key, count in session.execute(
        select(Hit.cause_key, func.count()).where(Hit.kind == HitKind.RULE, Hit.cause_key.in_(keys),
                                                  Hit.created_at >= now - timedelta(days=7))
        .group_by(Hit.cause_key))}
    outcomes: dict[str, list[OutcomeKind | None]] = {key: [] for key in keys}
    for key, kind in _latest_outcomes(session, keys):
        outcomes[key].append(kind)
    return {rule_id: (recent.get(key, 0), _precision(outcomes[key])) for key, rule_id in keys.items()}


def rule_statistics(session: Session, rule_id: int, now: datetime) -> RuleStatistics:
    """One rule's hits per week (the last WEEKS weeks up to now), dispositions, outcomes and precision."""
    key = cause_key(rule_id)
    hits = session.execute(select(Hit.id, Hit.created_at).where(Hit.kind == HitKind.RULE, Hit.cause_key == key)).all()
    start = now - timedelta(weeks=WEEKS)
    per_week = Counter(int((created - start) / timedelta(weeks=1)) for _id, created in hits if start <= created < now)
    weekly = [((start + timedelta(weeks=week)).strftime("%d %b"), float(per_week[week])) for week in range(WEEKS)]
    decided: dict[int, DispositionKind] = {}
    for hit_id, kind in session.execute(
            select(Disposition.hit_id, Disposition.kind)
            .where(Disposition.hit_id.in_(select(Hit.id).where(Hit.kind == HitKind.RULE, Hit.cause_key == key)))
            .order_by(Disposition.decided_at, Disposition.id)):
        decided[hit_id] = kind
    disposition_counts = Counter(decided[hit_id].label if hit_id in decided else UNDECIDED for hit_id, _ in hits)
    dispositions = [(kind.label, float(disposition_counts[kind.label])) for kind in DispositionKind
                    if disposition_counts[kind.label]]
    if disposition_counts[UNDECIDED]:
        dispositions.append((UNDECIDED, float(disposition_counts[UNDECIDED])))
    latest = [kind for _key, kind in _latest_outcomes(session, [key])]
    outcome_counts = Counter(kind for kind in latest if kind is not None)
    outcomes = [(kind.label, float(outcome_counts[kind])) for kind in OutcomeKind if outcome_counts[kind]]
    return RuleStatistics(len(hits), weekly, dispositions, outcomes, _precision(latest))
