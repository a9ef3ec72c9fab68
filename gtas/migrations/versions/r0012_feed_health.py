"""Feed health and the audit log viewer: indexes for their searches.

The dashboard and the message browser read messages by receipt time whatever their status (the index on status and
receipt time serves only searches by status); the audit log viewer finds the events of one object.

Revision ID: 0012
Revises: 0011
Created: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_message_received_at"), "message", ["received_at"], unique=False)
    op.create_index(op.f("ix_audit_event_object_kind_object_id"), "audit_event", ["object_kind", "object_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_event_object_kind_object_id"), table_name="audit_event")
    op.drop_index(op.f("ix_message_received_at"), table_name="message")
