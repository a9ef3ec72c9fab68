"""Organisation: carriers' contacts and onboarding state, stored settings, hit categories and severity guidance.

The category list starts with the watchlist categories and every category existing rules name, so that no stored
value falls outside it; the severity guidance starts with a plain description of each severity.

Revision ID: 0011
Revises: 0009
Created: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gtas.model.base import UtcDateTime

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
UTC_TIME = UtcDateTime(timezone=True)

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

STATES = ("registered", "testing", "live_api", "live_pnr")
SEVERITIES = ("low", "medium", "high", "critical")
CATEGORIES = (
    ("terrorism", "terrorism", "Terrorist offences and support to terrorist groups."),
    ("narcotics", "narcotics", "Trafficking in narcotic drugs and psychotropic substances."),
    ("immigration", "immigration", "Irregular migration, overstays, visa and entry-ban violations."),
    ("wanted", "wanted", "Persons sought by warrant or for arrest."),
    ("sanctions", "sanctions", "Persons and entities under travel bans or financial sanctions."),
    ("human_trafficking", "human trafficking", "Trafficking in human beings and facilitation of illegal entry."),
    ("smuggling", "smuggling", "Smuggling of goods, currency, weapons or cultural goods."),
    ("fraud", "fraud", "Fraud, including payment-card and travel-document fraud."),
    ("lost_stolen_document", "lost or stolen document", "Travel documents reported lost, stolen or invalid."),
    ("other", "other", "Anything the other categories do not cover."),
)
GUIDES = (
    ("low", "low", "Of interest: worth a look when time allows.",
     "Review before arrival if the queue allows; no inspection unless other hits add up."),
    ("medium", "medium", "A concern that needs an officer's review before arrival.",
     "Review before arrival; refer to secondary inspection when the explanation holds up."),
    ("high", "high", "A serious concern: review at once.",
     "Review at once; refer to secondary inspection and tell the supervisor on duty."),
    ("critical", "critical", "A threat to life or security: act now.",
     "Act now: alert the supervisor on duty and the responding unit before the aircraft lands."),
)


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    """A VARCHAR column type with a CHECK constraint, as gtas.model.base.str_enum declares it."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade() -> None:
    op.add_column("party", sa.Column("contact_name", sa.String(100), nullable=True))
    op.add_column("party", sa.Column("contact_email", sa.String(254), nullable=True))
    op.add_column("party", sa.Column("contact_phone", sa.String(40), nullable=True))
    _add_state_column()
    op.add_column("party", sa.Column("testing_since", UTC_TIME, nullable=True))
    op.add_column("party", sa.Column("live_api_since", UTC_TIME, nullable=True))
    op.add_column("party", sa.Column("live_pnr_since", UTC_TIME, nullable=True))
    op.add_column("party", sa.Column("grace_period_end", sa.Date(), nullable=True))

    op.create_table(
        "setting",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_setting")),
    )
    category = op.create_table(
        "hit_category",
        sa.Column("id", ID, nullable=False),
        sa.Column("key", sa.String(50), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hit_category")),
        sa.UniqueConstraint("key", name=op.f("uq_hit_category_key")),
    )
    guide = op.create_table(
        "severity_guide",
        sa.Column("severity", _enum(SEVERITIES, "severity_guide_severity"), nullable=False),
        sa.Column("label", sa.String(50), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("handling", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("severity", name=op.f("pk_severity_guide")),
    )
    _seed(category, guide)


def _add_state_column() -> None:
    """``party.state`` with its CHECK constraint (SQLite takes one in ADD COLUMN, though Alembic will not write it)."""
    if op.get_bind().dialect.name == "sqlite":
        allowed = ", ".join(f"'{state}'" for state in STATES)
        op.execute(f"ALTER TABLE party ADD COLUMN state VARCHAR({max(map(len, STATES))}) DEFAULT 'registered' NOT NULL "
                   f"CONSTRAINT ck_party_onboarding_state CHECK (state IN ({allowed}))")
    else:
        op.add_column("party", sa.Column("state", _enum(STATES, "onboarding_state"), nullable=False,
                                         server_default="registered"))


def _seed(category: sa.Table, guide: sa.Table) -> None:
    """The starting categories (the watchlist ones, then those existing rules use) and severity guidance."""
    from gtas.model.base import utcnow

    now = utcnow()
    known = {key for key, _, _ in CATEGORIES}
    connection = op.get_bind()
    used = sorted({value for value in connection.execute(sa.text("SELECT DISTINCT category FROM rule")).scalars()
                   if value and value not in known})
    rows = [*CATEGORIES, *((key, key.replace("_", " "), "") for key in used)]
    op.bulk_insert(category, [{"key": key, "label": label, "description": description, "active": True,
                               "updated_by": "gtas:migration", "created_at": now, "updated_at": now}
                              for key, label, description in rows])
    op.bulk_insert(guide, [{"severity": severity, "label": label, "description": description, "handling": handling,
                            "updated_by": "gtas:migration", "updated_at": now}
                           for severity, label, description, handling in GUIDES])


def downgrade() -> None:
    op.drop_table("severity_guide")
    op.drop_table("hit_category")
    op.drop_table("setting")
    for column in ("grace_period_end", "live_pnr_since", "live_api_since", "testing_since", "state",
                   "contact_phone", "contact_email", "contact_name"):
        op.drop_column("party", column)
