"""References PostgreSQL checks once per statement (triggers) instead of once per row (foreign keys).

A foreign key makes PostgreSQL run a query and take a row lock for every inserted row. For the tables loading fills
in bulk (current PNR views, versions, pushes, traveller sources) that was a quarter of the server's work. The
triggers made here do the same job per statement, over the statement's transition table:

- after an INSERT or UPDATE of the referring table, the referred rows are locked (``FOR KEY SHARE``, as a foreign
  key does, so that they cannot be deleted before the transaction ends) and a missing one fails the statement with
  SQLSTATE 23503 (``foreign_key_violation``);
- after a DELETE from the referred table, the referring rows are deleted (``CASCADE``) or their reference cleared
  (``SET NULL``).

Keys are never updated (they come from sequences), so there is nothing to do on an UPDATE of the referred table.
The triggers rely on GTAS's isolation level, READ COMMITTED: each of their queries sees what other transactions
committed meanwhile (a delete that waited for a loader's lock then deletes the rows that loader added). TRUNCATE
follows foreign keys only: a table truncated with its referred one must be named too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alembic import op


@dataclass(frozen=True, slots=True)
class Reference:
    """``table.column`` refers to ``referred.id``; ``ondelete``: CASCADE or SET NULL."""

    table: str
    column: str
    referred: str
    ondelete: str

    @property
    def constraint(self) -> str:
        """The name the foreign key had (the models' naming convention)."""
        return f"fk_{self.table}_{self.column}_{self.referred}"


def check_per_statement(references: Sequence[Reference]) -> None:
    """Replace these foreign keys by triggers (PostgreSQL)."""
    for reference in references:
        op.drop_constraint(reference.constraint, reference.table, type_="foreignkey")
    for table in _tables(references):
        checks = "".join(_check(r) for r in references if r.table == table)
        op.execute(f"CREATE FUNCTION {table}_refers_to_existing_rows() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                   f"DECLARE missing bigint;\nBEGIN{checks}\n  RETURN NULL;\nEND $$")
        for event in ("INSERT", "UPDATE"):
            op.execute(f"CREATE TRIGGER {table}_refers_to_existing_rows_on_{event.lower()} AFTER {event} ON {table} "
                       f"REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
                       f"EXECUTE FUNCTION {table}_refers_to_existing_rows()")
    for referred in _referred(references):
        actions = "".join(_on_delete(r) for r in references if r.referred == referred)
        op.execute(f"CREATE FUNCTION {referred}_deleted_from_referring_rows() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                   f"BEGIN{actions}\n  RETURN NULL;\nEND $$")
        op.execute(f"CREATE TRIGGER {referred}_deleted_from_referring_rows AFTER DELETE ON {referred} "
                   f"REFERENCING OLD TABLE AS gone FOR EACH STATEMENT "
                   f"EXECUTE FUNCTION {referred}_deleted_from_referring_rows()")


def check_per_row(references: Sequence[Reference]) -> None:
    """Undo ``check_per_statement``: the foreign keys again, without the triggers."""
    for referred in _referred(references):
        op.execute(f"DROP TRIGGER {referred}_deleted_from_referring_rows ON {referred}")
        op.execute(f"DROP FUNCTION {referred}_deleted_from_referring_rows()")
    for table in _tables(references):
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER {table}_refers_to_existing_rows_on_{event} ON {table}")
        op.execute(f"DROP FUNCTION {table}_refers_to_existing_rows()")
    for reference in references:
        op.create_foreign_key(reference.constraint, reference.table, reference.referred, [reference.column], ["id"],
                              ondelete=reference.ondelete)


def _tables(references: Sequence[Reference]) -> list[str]:
    return list(dict.fromkeys(r.table for r in references))


def _referred(references: Sequence[Reference]) -> list[str]:
    return list(dict.fromkeys(r.referred for r in references))


def _check(r: Reference) -> str:
    """Lock the rows the statement's rows refer to; fail on the first that is missing. The lateral lookup with its
    lock cannot be turned into a scan of the referred table: each distinct value is one probe of its primary key."""
    return (f"\n  SELECT wanted.id INTO missing FROM (SELECT DISTINCT {r.column} AS id FROM added "
            f"WHERE {r.column} IS NOT NULL) AS wanted LEFT JOIN LATERAL (SELECT true AS found FROM {r.referred} "
            f"WHERE {r.referred}.id = wanted.id FOR KEY SHARE) AS referred ON true WHERE referred.found IS NULL "
            f"LIMIT 1;\n  IF FOUND THEN\n    RAISE EXCEPTION 'insert or update on table \"{r.table}\" violates the "
            f"reference of {r.column} to {r.referred}' USING ERRCODE = 'foreign_key_violation', "
            f"DETAIL = format('Key ({r.column})=(%s) is not present in table \"{r.referred}\".', missing);\n"
            f"  END IF;")


def _on_delete(r: Reference) -> str:
    if r.ondelete == "CASCADE":
        return f"\n  DELETE FROM {r.table} WHERE {r.column} IN (SELECT id FROM gone);"
    if r.ondelete == "SET NULL":
        return f"\n  UPDATE {r.table} SET {r.column} = NULL WHERE {r.column} IN (SELECT id FROM gone);"
    raise ValueError(f"{r.table}.{r.column}: no per-statement trigger for ON DELETE {r.ondelete}")
