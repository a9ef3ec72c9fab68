"""Loading speed: the references of the bulk-loaded tables are checked once per statement on PostgreSQL.

Current PNR views, versions, pushes, traveller sources, documents, person keys and flight–message links get
triggers in place of their foreign keys (``gtas.migrations.references``): the same rows are refused, deleted or
cleared, with a query per statement instead of one per row. PostgreSQL spent a quarter of its loading work on those
per-row checks. SQLite keeps its foreign keys: nothing changes there.

Revision ID: 0017
Revises: 0016
Created: 2026-11-24
"""

from __future__ import annotations

from alembic import op

from gtas.migrations.references import Reference, check_per_row, check_per_statement

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

PNR_VIEWS = ("itinerary_leg", "contact", "payment", "agency", "frequent_flyer", "ticket", "bag", "seat", "codeshare",
             "history_entry")
OF_TRAVELLER = ("contact", "payment", "frequent_flyer", "ticket", "bag", "seat")
REFERENCES = (
    *(Reference(table, "pnr_id", "pnr", "CASCADE") for table in (*PNR_VIEWS, "pnr_version", "pnr_push")),
    *(Reference(table, "traveller_id", "traveller", "SET NULL") for table in OF_TRAVELLER),
    Reference("traveller_source", "traveller_id", "traveller", "CASCADE"),
    Reference("document", "traveller_id", "traveller", "CASCADE"),
    Reference("itinerary_leg", "flight_id", "flight", "SET NULL"),
    Reference("pnr_version", "flight_id", "flight", "SET NULL"),
    Reference("pnr_push", "flight_id", "flight", "CASCADE"),
    Reference("flight_message", "flight_id", "flight", "CASCADE"),
    *(Reference(table, "message_id", "message", "CASCADE")
      for table in ("pnr_version", "pnr_push", "traveller_source", "flight_message")),
    Reference("person_key", "person_id", "person", "CASCADE"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        check_per_statement(REFERENCES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        check_per_row(REFERENCES)
