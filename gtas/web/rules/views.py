"""The rules area: the list, the builder (new and edit), enable/disable, versions and their diff, trying a rule
against one traveller and back-testing it, and each rule's statistics; every change audited with before and after.

Rule authors and administrators write rules; supervisors and auditors may read them (list, rule, versions,
statistics, export) but not try them against travellers, which shows personal data.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.categories import category_choices, category_labels
from gtas.model import Airport, Rule, RuleVersion, UserRole
from gtas.numbers import whole_number
from gtas.rules.conditions import InvalidConditions
from gtas.rules.engine import MAX_BACKTEST_DAYS, RuleSpec, backtest, save_rule
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import now
from gtas.web.charts import bar_chart, sparkline
from gtas.web.database import get_session, row_or_404
from gtas.web.rules import editing, history, statistics, trials
from gtas.web.travellers.access import visible_traveller

bp = Blueprint("rules", __name__, url_prefix="/rules")
EDITORS = (UserRole.RULE_AUTHOR, UserRole.ADMINISTRATOR)
READERS = (*EDITORS, UserRole.SUPERVISOR, UserRole.AUDITOR)
AIRPORT_SUGGESTIONS = 20
DEFAULT_BACKTEST_DAYS = 30
AHEAD_DAYS = 3  # the back-test may look this far ahead: the flights loaded and not yet departed


def _rule(rule_id: int) -> tuple[Rule, RuleVersion]:
    """The rule and its current version.

    :raise 404: no such rule.
    """
    rule = row_or_404(Rule, rule_id)
    return rule, _version(get_session(), rule, rule.version)


def _version(session: Session, rule: Rule, number: int) -> RuleVersion:
    """One version of the rule.

    :raise 404: the rule has no such version.
    """
    version = session.scalars(select(RuleVersion).where(RuleVersion.rule_id == rule.id,
                                                        RuleVersion.number == number)).one_or_none()
    if version is None:
        abort(404)
    return version


def status_of(rule: Rule) -> str:
    """Whether the rule is in force now: enabled, disabled, scheduled (valid later) or expired."""
    moment = now()
    if not rule.enabled:
        return "disabled"
    if rule.valid_from and rule.valid_from > moment:
        return "scheduled"
    if rule.valid_until and rule.valid_until <= moment:
        return "expired"
    return "enabled"


@bp.get("")
@roles(*READERS)
@menu("Rules", 40)
def rules_list() -> str:
    """Every rule with its state, version, severity, weight, hits of the last 7 days and precision."""
    session = get_session()
    rules = list(session.scalars(select(Rule).order_by(Rule.category, Rule.key)))
    figures = statistics.overview(session, [rule.id for rule in rules], now())
    user = signed_in_user()
    return render_template("rules/list.html", rules=rules, figures=figures, status_of=status_of,
                           labels=category_labels(session), may_edit=user.has_role(*EDITORS))


@bp.get("/<int:rule_id>")
@roles(*READERS)
def rule(rule_id: int) -> str:
    """A rule: its metadata, its conditions in words, its last weeks of hits, and what may be done with it."""
    found, version = _rule(rule_id)
    figures = statistics.rule_statistics(get_session(), found.id, now())
    return render_template("rules/rule.html", rule=found, version=version, status=status_of(found),
                           labels=category_labels(get_session()), lines=history.tree_lines(version.conditions),
                           trend=sparkline([value for _label, value in figures.weekly],
                                           title=f"Hits per week, last {statistics.WEEKS} weeks"),
                           figures=figures, may_edit=signed_in_user().has_role(*EDITORS))


def _builder(form: editing.RuleForm, rule: Rule | None, status: int = 200) -> ResponseReturnValue:
    session = get_session()
    data = editing.builder_data(session)
    choices = category_choices(session, rule.category if rule is not None else form.values.get("category") or None)
    return render_template("rules/builder.html", form=form, rule=rule, data=data, categories=choices,
                           severities=data["severities"]), status


@bp.get("/new")
@roles(*EDITORS)
def new_rule() -> ResponseReturnValue:
    """The builder with an empty rule."""
    return _builder(editing.blank_form(), None)


@bp.get("/<int:rule_id>/edit")
@roles(*EDITORS)
def edit_rule(rule_id: int) -> ResponseReturnValue:
    """The builder with the rule's current version."""
    found, version = _rule(rule_id)
    return _builder(editing.rule_form(found, version), found)


@bp.post("/new")
@roles(*EDITORS)
def create_rule() -> ResponseReturnValue:
    """Save a new rule (disabled until enabled); the form again with its problems when it cannot be saved."""
    return _save(None)


@bp.post("/<int:rule_id>/edit")
@roles(*EDITORS)
def update_rule(rule_id: int) -> ResponseReturnValue:
    """Save the rule's new version when anything changed; the form again with its problems otherwise."""
    found, _version = _rule(rule_id)
    return _save(found)


def _save(existing: Rule | None) -> ResponseReturnValue:
    session = get_session()
    form = editing.read_rule_form(session, request.form, rule=existing)
    if form.spec is None:
        return _builder(form, existing, 400)
    return _store(form.spec, existing)


def _store(spec: RuleSpec, existing: Rule | None) -> ResponseReturnValue:
    """Save the spec as the rule's next version, audit before and after, and show the rule."""
    session = get_session()
    user = signed_in_user()
    before = editing.version_snapshot(_version(session, existing, existing.version)) if existing else None
    try:
        saved, outcome = save_rule(session, spec, user.username)
    except InvalidConditions as exc:  # a reference list it names was removed meanwhile
        abort(400, description=str(exc))
    if outcome == "unchanged":
        flash("Nothing changed: no new version was saved.", "info")
        return redirect(url_for("rules.rule", rule_id=saved.id), code=303)
    after = editing.version_snapshot(_version(session, saved, saved.version))
    audit.record(f"rule.{'add' if outcome == 'added' else 'change'}", object_kind="rule", object_id=saved.key,
                 before=before, after=after)
    session.commit()
    flash(f"Saved rule {saved.key} as version {saved.version}; travellers not yet arrived are re-screened.",
          "success")
    return redirect(url_for("rules.rule", rule_id=saved.id), code=303)


def _toggle(rule_id: int, enabled: bool) -> ResponseReturnValue:
    found, version = _rule(rule_id)
    if found.enabled is enabled:
        flash(f"Rule {found.key} is {'enabled' if enabled else 'disabled'} already.", "info")
        return redirect(url_for("rules.rule", rule_id=found.id), code=303)
    spec = RuleSpec(key=found.key, title=found.title, category=found.category, severity=found.severity.value,
                    weight=found.weight, conditions=version.conditions, description=found.description,
                    handling=found.handling, valid_from=found.valid_from, valid_until=found.valid_until,
                    enabled=enabled)
    return _store(spec, found)


@bp.post("/<int:rule_id>/enable")
@roles(*EDITORS)
def enable(rule_id: int) -> ResponseReturnValue:
    """Put the rule in force (a new version); travellers not yet arrived are re-screened."""
    return _toggle(rule_id, True)


@bp.post("/<int:rule_id>/disable")
@roles(*EDITORS)
def disable(rule_id: int) -> ResponseReturnValue:
    """Take the rule out of force (a new version); its open hits are withdrawn by the re-screening."""
    return _toggle(rule_id, False)


def _number(name: str, default: int, low: int, high: int) -> int:
    """A whole number from the query string.

    :raise 400: not a number between low and high.
    """
    text = request.args.get(name, "")
    if not text:
        return default
    number = whole_number(text)
    if number is None or not low <= number <= high:
        abort(400, description=f"{name} must be a whole number from {low} to {high}")
    return number


@bp.get("/<int:rule_id>/versions")
@roles(*READERS)
def versions(rule_id: int) -> str:
    """Every version of the rule, and the difference between two of them (``?old=&new=``, default the last two)."""
    found, current = _rule(rule_id)
    session = get_session()
    every = history.versions(session, found)
    new_number = _number("new", current.number, 1, current.number)
    old_number = _number("old", max(new_number - 1, 1), 1, current.number)
    difference = history.diff(_version(session, found, old_number), _version(session, found, new_number))
    return render_template("rules/versions.html", rule=found, versions=every, diff=difference,
                           may_edit=signed_in_user().has_role(*EDITORS))


@bp.get("/<int:rule_id>/test")
@roles(*EDITORS)
def test(rule_id: int) -> str:
    """Try the rule's current version against one traveller (``?traveller=``), found by surname (``?surname=``)."""
    found, version = _rule(rule_id)
    session = get_session()
    user = signed_in_user()
    surname = request.args.get("surname", "").strip()[:100]
    matches = trials.find_travellers(session, surname, user) if surname else []
    trial = None
    if request.args.get("traveller"):
        traveller = visible_traveller(session, _number("traveller", 0, 1, 2**62), user)
        try:
            trial = trials.try_rule(session, version.conditions, traveller)
        except InvalidConditions as exc:
            abort(400, description=f"the rule's conditions no longer validate: {exc}")
        audit.record("rule.test", object_kind="rule", object_id=found.key, traveller_id=traveller.id,
                     details={"version": version.number, "holds": trial.holds})
    if matches:
        audit.record("rule.test.search", object_kind="rule", object_id=found.key,
                     details={"surname": surname, "travellers": [t.id for t, _ in matches]})
    session.commit()
    return render_template("rules/test.html", rule=found, version=version, surname=surname, matches=matches,
                           trial=trial)


@bp.get("/<int:rule_id>/backtest")
@roles(*EDITORS)
def run_backtest(rule_id: int) -> str:
    """What the rule's current version would have hit among the travellers of the last ``?days=`` days (with
    ``?ahead=1`` also those departing in the next AHEAD_DAYS days, whom enabling the rule would screen)."""
    found, version = _rule(rule_id)
    session = get_session()
    days = _number("days", DEFAULT_BACKTEST_DAYS, 1, MAX_BACKTEST_DAYS - AHEAD_DAYS)
    ahead = request.args.get("ahead") == "1"
    result = None
    if "days" in request.args:
        try:
            result = backtest(session, version.conditions, days + (AHEAD_DAYS if ahead else 0),
                              now=now() + timedelta(days=AHEAD_DAYS if ahead else 0))
        except InvalidConditions as exc:
            abort(400, description=f"the rule's conditions no longer validate: {exc}")
        audit.record("rule.backtest", object_kind="rule", object_id=found.key,
                     details={"version": version.number, "days": days, "ahead_days": AHEAD_DAYS if ahead else 0,
                              "travellers": result.travellers,
                              "hits": result.hits, "shown": [row["traveller_id"] for row in result.sample]})
        session.commit()
    return render_template("rules/backtest.html", rule=found, version=version, days=days, ahead=ahead,
                           ahead_days=AHEAD_DAYS, result=result, max_days=MAX_BACKTEST_DAYS - AHEAD_DAYS,
                           lines_of=_sample_lines)


def _sample_lines(conditions: list[dict[str, Any]]) -> list[str]:
    """A back-test sample's deciding conditions in words, each with whether it held for the traveller."""
    return [f"{history.tree_lines(condition)[0]} ({'holds' if condition.get('holds') else 'does not hold'})"
            for condition in conditions]


@bp.get("/<int:rule_id>/statistics")
@roles(*READERS)
def rule_statistics(rule_id: int) -> str:
    """Hits per week, dispositions, outcomes and precision of the rule, as small charts with their figures."""
    found, _current = _rule(rule_id)
    figures = statistics.rule_statistics(get_session(), found.id, now())
    share = figures.precision.share
    charts = {
        "weekly": bar_chart(figures.weekly, title=f"Hits per week (last {statistics.WEEKS} weeks)"),
        "dispositions": bar_chart(figures.dispositions, title="Decisions about the hits (latest per hit)"),
        "outcomes": bar_chart(figures.outcomes, title="Inspection outcomes of the travellers hit"),
        "precision": bar_chart([] if share is None else [("findings", round(share * 100, 1))],
                               title="Precision: hits with an outcome that led to a finding", unit="%"),
    }
    return render_template("rules/statistics.html", rule=found, figures=figures, charts=charts,
                           may_edit=signed_in_user().has_role(*EDITORS))


@bp.get("/airports")
@roles(*EDITORS)
def airports() -> ResponseReturnValue:
    """Airports whose code, city or name starts with ``?q=``, for the builder's airport picker (JSON)."""
    text = request.args.get("q", "").strip()[:40]
    if not text:
        return jsonify([])
    pattern = text.upper()
    session = get_session()
    found = session.execute(select(Airport.iata, Airport.name, Airport.city, Airport.country_alpha3)
                            .where(Airport.iata.startswith(pattern, autoescape=True)
                                   | Airport.city.istartswith(text, autoescape=True)
                                   | Airport.name.istartswith(text, autoescape=True))
                            .order_by(Airport.iata).limit(AIRPORT_SUGGESTIONS)).all()
    return jsonify([{"code": code, "label": f"{code} {city or name} ({country or '?'})"}
                    for code, name, city, country in found])

