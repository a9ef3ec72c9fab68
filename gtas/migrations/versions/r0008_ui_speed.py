"""Indexes for the officer pages, each read without the table: the travellers still on board by flight (the board
counts a page of flights' travellers) and by id (the flight of each traveller with an open hit: "only flights with
hits" and the hits queue), and the hits by status and traveller (the open hits of those travellers, by kind and
severity).

Revision ID: 0008
Revises: 0007
Created: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ON_BOARD = sa.text("removed_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_traveller_on_board_by_flight", "traveller", ["flight_id", "role", "id"],
                    postgresql_where=ON_BOARD, sqlite_where=ON_BOARD)
    op.create_index("ix_traveller_on_board_by_id", "traveller", ["id", "flight_id"],
                    postgresql_where=ON_BOARD, sqlite_where=ON_BOARD)
    op.create_index(op.f("ix_hit_status_traveller_id_kind_severity"), "hit",
                    ["status", "traveller_id", "kind", "severity"])


def downgrade() -> None:
    op.drop_index(op.f("ix_hit_status_traveller_id_kind_severity"), table_name="hit")
    op.drop_index("ix_traveller_on_board_by_id", table_name="traveller")
    op.drop_index("ix_traveller_on_board_by_flight", table_name="traveller")
