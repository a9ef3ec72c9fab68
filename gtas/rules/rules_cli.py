"""``gtas rules import | export``: rule sets as JSON files, validated whole before anything is written.

A rule set is ``{"reference_lists": [{name, kind, description, items}], "rules": [{key, title, category, severity,
weight, conditions, description, handling, valid_from, valid_until, enabled}]}``. Importing replaces the items of the
named reference lists and saves each rule: new rules get version 1, changed rules a new version, unchanged rules
stay as they are. Rules absent from the file are left alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from gtas import config
from gtas.categories import active_keys, normalised_key, refusal
from gtas.model import ReferenceKind, ReferenceList, Rule, RuleVersion
from gtas.model.watchlist import WatchlistSeverity
from gtas.rules.conditions import InvalidConditions, ReferenceItems, parse
from gtas.rules.engine import RuleSpec, reference_lists, save_rule
from gtas.rules.rescreen import request_rescreen
from gtas.text import UNSTORABLE, all_storable

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_REFERENCE_ITEMS = 100_000
KEY = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
FORMAT = "gtas-rules/1"


@dataclass(frozen=True, slots=True)
class ReferenceSpec:
    name: str
    kind: ReferenceKind
    description: str
    items: list[str]


@dataclass(slots=True)
class RuleSet:
    """A rule set read from JSON, or the problems that stop it from being imported."""

    reference_lists: list[ReferenceSpec] = field(default_factory=list)
    rules: list[RuleSpec] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RuleCategories:
    """The categories a rule may name: an active managed one, or the one the stored rule of that key already has."""

    active: frozenset[str]
    stored: dict[str, str] = field(default_factory=dict)  # rule key -> its category

    def allowed(self, key: str) -> set[str]:
        """What the rule of this key may name."""
        return {*self.active, *([self.stored[key]] if key in self.stored else [])}


def rule_categories(session: Session) -> RuleCategories:
    """The active managed categories and every stored rule's own."""
    stored = {key: category for key, category in session.execute(select(Rule.key, Rule.category))}
    return RuleCategories(frozenset(active_keys(session)), stored)


def read_rule_set(data: Any, known_lists: dict[str, ReferenceItems], categories: RuleCategories) -> RuleSet:
    """Validate a rule set (JSON value) against the catalogue, the lists it brings plus those already stored, and
    the categories rules may name."""
    out = RuleSet()
    if not all_storable(data):
        out.errors.append(f"the rule set holds {UNSTORABLE}")
        return out
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list) \
            or not isinstance(data.get("reference_lists", []), list):
        out.errors.append('expected an object {"reference_lists": [...], "rules": [...]}')
        return out
    for i, raw in enumerate(data.get("reference_lists", [])):
        where = f"reference_lists[{i}]"
        try:
            out.reference_lists.append(_reference_spec(raw))
        except ValueError as exc:
            out.errors.append(f"{where}: {exc}")
    lists = dict(known_lists) | {r.name: ReferenceItems(str(r.kind), frozenset(r.items)) for r in out.reference_lists}
    seen: set[str] = set()
    for i, raw in enumerate(data.get("rules", [])):
        where = f"rules[{i}]" + (f" ({raw['key']})" if isinstance(raw, dict) and isinstance(raw.get("key"), str)
                                 else "")
        try:
            spec = rule_spec(raw, categories)
            parse(spec.conditions, lists)
        except InvalidConditions as exc:
            out.errors += [f"{where}: conditions: {error}" for error in exc.errors]
            continue
        except ValueError as exc:
            out.errors.append(f"{where}: {exc}")
            continue
        if spec.key in seen:
            out.errors.append(f"{where}: key {spec.key!r} appears twice")
        seen.add(spec.key)
        out.rules.append(spec)
    return out


def _text(raw: dict[str, Any], name: str, limit: int, *, required: bool = True) -> str:
    value = raw.get(name, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{name} must be {'a non-empty' if required else 'a'} text")
    if len(value) > limit:
        raise ValueError(f"{name} is longer than {limit} characters")
    return value.strip()


def _moment(raw: dict[str, Any], name: str) -> datetime | None:
    value = raw.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"{name} must be an ISO date-time with a time zone, e.g. 2027-01-01T00:00:00Z")
    return moment


def rule_spec(raw: Any, categories: RuleCategories) -> RuleSpec:
    """A rule's metadata and conditions (one JSON object of a rule set) as a RuleSpec; ValueError says what is wrong.

    The category is a key (or its words) of one of ``categories``. The conditions are only checked to be an object
    here: ``parse`` validates the tree against the catalogue.
    """
    if not isinstance(raw, dict):
        raise ValueError("a rule is an object")
    allowed = {"key", "title", "description", "category", "severity", "weight", "handling", "valid_from",
               "valid_until", "enabled", "conditions", "version"}
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ValueError(f"unknown keys {', '.join(unknown)}")
    key = raw.get("key")
    if not isinstance(key, str) or not KEY.fullmatch(key):
        raise ValueError("key must be 1-100 lower-case letters, digits, '.', '_' or '-'")
    severity = raw.get("severity")
    if severity not in {s.value for s in WatchlistSeverity}:
        raise ValueError(f"severity must be one of {', '.join(s.value for s in WatchlistSeverity)}")
    weight = raw.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 1000:
        raise ValueError("weight must be a number from 0 to 1000")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ValueError("enabled must be true or false")
    valid_from, valid_until = _moment(raw, "valid_from"), _moment(raw, "valid_until")
    if valid_from and valid_until and valid_from >= valid_until:
        raise ValueError("valid_from must be before valid_until")
    category, allowed = normalised_key(_text(raw, "category", 50)), categories.allowed(key)
    if category not in allowed:
        raise ValueError(refusal(category, allowed))
    conditions = raw.get("conditions")
    if not isinstance(conditions, dict):
        raise ValueError("conditions must be a condition tree object")
    return RuleSpec(key=key, title=_text(raw, "title", 200), category=category, severity=severity,
                    weight=float(weight), conditions=conditions,
                    description=_text(raw, "description", 10_000, required=False),
                    handling=_text(raw, "handling", 10_000, required=False),
                    valid_from=valid_from, valid_until=valid_until, enabled=enabled)


def _reference_spec(raw: Any) -> ReferenceSpec:
    if not isinstance(raw, dict):
        raise ValueError("a reference list is an object {name, kind, items}")
    name = _text(raw, "name", 100)
    try:
        kind = ReferenceKind(str(raw.get("kind")))
    except ValueError:
        raise ValueError(f"kind must be one of {', '.join(k.value for k in ReferenceKind)}") from None
    items = raw.get("items")
    if not isinstance(items, list) or not all(isinstance(item, str) and item.strip() for item in items):
        raise ValueError("items must be a list of non-empty texts")
    if len(items) > MAX_REFERENCE_ITEMS:
        raise ValueError(f"at most {MAX_REFERENCE_ITEMS} items")
    if kind is not ReferenceKind.TEXT:
        bad = [item for item in items if len(item.strip()) != 3 or not item.strip().isalpha()]
        if bad:
            raise ValueError(f"{kind} codes have three letters: {', '.join(map(repr, bad[:5]))}")
    cleaned = sorted({item.strip().upper() if kind is not ReferenceKind.TEXT else item.strip() for item in items})
    return ReferenceSpec(name, kind, _text(raw, "description", 10_000, required=False), cleaned)


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: list[str]
    changed: list[str]
    unchanged: list[str]
    lists: list[str]


def import_rule_set(session: Session, rule_set: RuleSet, author: str) -> ImportReport:
    """Write a validated rule set: reference lists first, then each rule as a new version when it changed."""
    if rule_set.errors:
        raise ValueError("rule set has errors: " + "; ".join(rule_set.errors))
    changed_lists = []
    for spec in rule_set.reference_lists:
        stored = session.scalars(select(ReferenceList).where(ReferenceList.name == spec.name)).one_or_none()
        if stored is None:
            stored = ReferenceList(name=spec.name)
            session.add(stored)
        elif (stored.kind, sorted(stored.items)) != (spec.kind, sorted(spec.items)):
            changed_lists.append(spec.name)
        stored.kind, stored.description, stored.items, stored.updated_by = (
            spec.kind, spec.description, spec.items, author)
    if changed_lists:  # rules naming these lists now decide differently
        request_rescreen(session, f"reference lists changed: {', '.join(changed_lists)}", by=author)
    session.flush()
    outcome: dict[str, list[str]] = {"added": [], "changed": [], "unchanged": []}
    for rule in rule_set.rules:
        _, status = save_rule(session, rule, author)
        outcome[status].append(rule.key)
    return ImportReport(outcome["added"], outcome["changed"], outcome["unchanged"],
                        [spec.name for spec in rule_set.reference_lists])


def export_rule_set(session: Session) -> dict[str, Any]:
    """Every reference list and every rule in its current version, as a rule set."""
    current = and_(RuleVersion.rule_id == Rule.id, RuleVersion.number == Rule.version)
    rules = [{"key": rule.key, "version": version.number, **version.details, "conditions": version.conditions}
             for rule, version in session.execute(select(Rule, RuleVersion).join(RuleVersion, current)
                                                  .order_by(Rule.key))]
    lists = [{"name": r.name, "kind": str(r.kind), "description": r.description, "items": sorted(r.items)}
             for r in session.scalars(select(ReferenceList).order_by(ReferenceList.name))]
    return {"format": FORMAT, "reference_lists": lists, "rules": rules}


def load_json(path: Path) -> Any:
    """The JSON value of a file, or a ClickException that says why it cannot be read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise click.ClickException(f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{path} is not JSON: {exc}") from exc
    except RecursionError as exc:
        raise click.ClickException(f"{path} is nested too deeply to be a rule set") from exc


@click.group("rules")
def rules() -> None:
    """Import and export risk rules and reference lists as JSON rule sets."""


@rules.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--author", default="cli", show_default=True, help="Who the new versions are recorded for.")
@click.option("--dry-run", is_flag=True, help="Validate and report what would change, write nothing.")
def import_command(file: Path, author: str, dry_run: bool) -> None:
    """Validate a rule set and save it: new rules, new versions of changed rules, reference lists replaced.

    Nothing is written when any rule or list has an error; every error is listed.

    Example: gtas rules import rules.json --author j.smith
    """
    from gtas.ingest.batch import open_database

    data = load_json(file)
    sessions, engine = open_database(config.database_url())
    try:
        with sessions() as session:
            rule_set = read_rule_set(data, reference_lists(session), rule_categories(session))
            if rule_set.errors:
                for error in rule_set.errors:
                    click.echo(f"error: {error}", err=True)
                raise click.ClickException(f"{file}: {len(rule_set.errors)} error(s), nothing imported")
            report = import_rule_set(session, rule_set, author)
            if dry_run:
                session.rollback()
            else:
                session.commit()
    finally:
        engine.dispose()
    prefix = "would import" if dry_run else "imported"
    click.echo(f"{prefix} {len(report.added)} new, {len(report.changed)} changed (new version), "
               f"{len(report.unchanged)} unchanged rules; {len(report.lists)} reference lists")
    for label, keys in (("new", report.added), ("changed", report.changed)):
        for key in keys:
            click.echo(f"  {label}: {key}")


@rules.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: standard output).")
def export_command(out: Path | None) -> None:
    """Write every rule (current version) and reference list as a rule set that `gtas rules import` reads.

    Example: gtas rules export --out rules.json
    """
    from gtas.ingest.batch import open_database

    sessions, engine = open_database(config.database_url())
    try:
        with sessions() as session:
            text = json.dumps(export_rule_set(session), ensure_ascii=False, indent=1)
    finally:
        engine.dispose()
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
