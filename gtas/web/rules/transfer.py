"""Sharing rule sets between administrations: export all or selected rules as JSON (the format of ``gtas rules
export``), and import a rule set after a preview of what it would change (added, new versions with their
difference, unchanged, reference lists replaced), written only when confirmed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import Rule, RuleVersion
from gtas.rules.engine import reference_lists
from gtas.rules.rules_cli import (
    MAX_FILE_BYTES,
    RuleSet,
    export_rule_set,
    import_rule_set,
    read_rule_set,
    rule_categories,
)
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.database import get_session
from gtas.web.field_changes import FieldChange
from gtas.web.rules import editing, history
from gtas.web.rules.views import EDITORS, READERS, bp


@dataclass(slots=True)
class ImportPreview:
    """What importing a rule set would do, read in a transaction that is rolled back."""

    added: list[str] = field(default_factory=list)
    changed: dict[str, tuple[list[FieldChange], list[history.DiffLine]]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)


def _referenced_lists(tree: Any) -> set[str]:
    """The reference lists a condition tree names."""
    if isinstance(tree, list):
        return {name for member in tree for name in _referenced_lists(member)}
    if not isinstance(tree, dict):
        return set()
    if tree.get("operator") == "in_reference_list" and isinstance(tree.get("value"), str):
        return {tree["value"]}
    return {name for kind in ("and", "or", "not") if kind in tree for name in _referenced_lists(tree[kind])}


def selected_rule_set(session: Session, keys: list[str]) -> dict[str, Any]:
    """The rule set of the rules with these keys (every rule when none) and the reference lists they name."""
    exported = export_rule_set(session)
    if not keys:
        return exported
    wanted = set(keys)
    rules = [rule for rule in exported["rules"] if rule["key"] in wanted]
    named = {name for rule in rules for name in _referenced_lists(rule["conditions"])}
    return {**exported, "rules": rules,
            "reference_lists": [item for item in exported["reference_lists"] if item["name"] in named]}


@bp.get("/export")
@roles(*READERS)
def export() -> Response:
    """Download the selected rules (``?key=``, repeated; all when none) as a JSON rule set."""
    keys = [key[:100] for key in request.args.getlist("key") if key]
    session = get_session()
    rule_set = selected_rule_set(session, keys)
    audit.record("rule.export", object_kind="rule_set",
                 details={"rules": [rule["key"] for rule in rule_set["rules"]],
                          "reference_lists": [item["name"] for item in rule_set["reference_lists"]]})
    session.commit()
    body = json.dumps(rule_set, ensure_ascii=False, indent=1) + "\n"
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="gtas-rules.json"'})


def _current(session: Session, keys: list[str]) -> dict[str, RuleVersion]:
    """The current version of each rule with one of these keys, by key."""
    return {key: version for key, version in session.execute(
        select(Rule.key, RuleVersion).select_from(RuleVersion).join(Rule, Rule.id == RuleVersion.rule_id)
        .where(Rule.key.in_(keys), RuleVersion.number == Rule.version))}


def preview(session: Session, rule_set: RuleSet, author: str) -> ImportPreview:
    """What importing the (valid) rule set would change; nothing is written (a savepoint rolled back)."""
    out = ImportPreview()
    savepoint = session.begin_nested()
    try:
        before = _current(session, [spec.key for spec in rule_set.rules])
        report = import_rule_set(session, rule_set, author)
        out.added, out.unchanged, out.lists = report.added, report.unchanged, report.lists
        after = _current(session, report.changed)
        for key in report.changed:
            old, new = before.get(key), after.get(key)
            if old is not None and new is not None:
                difference = history.diff(old, new)
                out.changed[key] = (difference.fields, difference.conditions)
    finally:
        savepoint.rollback()
    return out


def _read_upload() -> tuple[str, list[str]]:
    """The posted rule set's text (an uploaded file, else the pasted text), and why it cannot be read."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return "", [f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"]
        try:
            return data.decode("utf-8"), []
        except UnicodeDecodeError:
            return "", ["the file is not UTF-8 text"]
    return request.form.get("rule_set", ""), []


def _rule_set(session: Session, text: str) -> RuleSet:
    """The rule set in the text, validated; its ``errors`` say why it cannot be imported."""
    if not text.strip():
        return RuleSet(errors=["choose a rule set file or paste one"])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return RuleSet(errors=[f"not JSON: {exc}"])
    except RecursionError:
        return RuleSet(errors=["nested too deeply to be a rule set"])
    return read_rule_set(data, reference_lists(session), rule_categories(session))


@bp.get("/import")
@roles(*EDITORS)
def import_form() -> str:
    """The form to upload or paste a rule set."""
    return render_template("rules/import.html", errors=[], text="", result=None)


@bp.post("/import")
@roles(*EDITORS)
def import_preview() -> ResponseReturnValue:
    """Validate the rule set and show what it would change, with a form to confirm; its errors when invalid."""
    session = get_session()
    text, problems = _read_upload()
    rule_set = _rule_set(session, text) if not problems else RuleSet(errors=problems)
    if rule_set.errors:
        return render_template("rules/import.html", errors=rule_set.errors, text=text, result=None), 400
    result = preview(session, rule_set, signed_in_user().username)
    return render_template("rules/import.html", errors=[], text=text, result=result)


@bp.post("/import/confirm")
@roles(*EDITORS)
def import_confirm() -> ResponseReturnValue:
    """Import the previewed rule set: reference lists replaced, new rules and new versions saved, all audited."""
    session = get_session()
    text = request.form.get("rule_set", "")
    rule_set = _rule_set(session, text)
    if rule_set.errors:
        return render_template("rules/import.html", errors=rule_set.errors, text=text, result=None), 400
    old = _current(session, [spec.key for spec in rule_set.rules])
    before = {spec.key: editing.version_snapshot(old[spec.key]) for spec in rule_set.rules if spec.key in old}
    report = import_rule_set(session, rule_set, signed_in_user().username)
    saved = [*report.added, *report.changed]
    new = _current(session, saved)
    after = {key: editing.version_snapshot(new[key]) for key in saved if key in new}
    audit.record("rule.import", object_kind="rule_set",
                 details={"added": report.added, "changed": report.changed, "unchanged": report.unchanged,
                          "reference_lists": report.lists},
                 before={key: value for key, value in before.items() if key in after}, after=after)
    session.commit()
    flash(f"Imported {len(report.added)} new and {len(report.changed)} changed rules "
          f"({len(report.unchanged)} unchanged, {len(report.lists)} reference lists).", "success")
    return redirect(url_for("rules.rules_list"), code=303)
