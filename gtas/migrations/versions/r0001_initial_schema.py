"""Initial schema: messages, flights, travellers and persons, PNRs with their current view, parties, reference data.

Revision ID: 0001
Revises: (none)
Created: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from gtas.model.base import UtcDateTime

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC_TIME = UtcDateTime(timezone=True)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "airport",
        sa.Column("iata", sa.String(length=3), nullable=False),
        sa.Column("icao", sa.String(length=4), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country_alpha3", sa.String(length=3), nullable=True),
        sa.Column("country_alpha2", sa.String(length=2), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("iata", name=op.f("pk_airport")),
    )
    op.create_index(op.f("ix_airport_country_alpha3"), "airport", ["country_alpha3"], unique=False)
    op.create_table(
        "carrier",
        sa.Column("iata", sa.String(length=2), nullable=False),
        sa.Column("icao", sa.String(length=3), nullable=True),
        sa.Column("numeric", sa.String(length=3), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("country_alpha3", sa.String(length=3), nullable=True),
        sa.PrimaryKeyConstraint("iata", name=op.f("pk_carrier")),
    )
    op.create_table(
        "country",
        sa.Column("alpha3", sa.String(length=3), nullable=False),
        sa.Column("alpha2", sa.String(length=2), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("alpha3", name=op.f("pk_country")),
        sa.UniqueConstraint("alpha2", name=op.f("uq_country_alpha2")),
    )
    op.create_table(
        "flight",
        sa.Column("id", ID, nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=5), nullable=False),
        sa.Column("suffix", sa.String(length=1), nullable=True),
        sa.Column("origin", sa.String(length=3), nullable=False),
        sa.Column("destination", sa.String(length=3), nullable=False),
        sa.Column("departure_date", sa.Date(), nullable=False),
        sa.Column("departure_local", sa.DateTime(), nullable=True),
        sa.Column("arrival_local", sa.DateTime(), nullable=True),
        sa.Column("departure_utc", UTC_TIME, nullable=True),
        sa.Column("arrival_utc", UTC_TIME, nullable=True),
        sa.Column(
            "direction",
            sa.Enum(
                "inbound",
                "outbound",
                "domestic",
                "overflight",
                name="direction",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("passenger_count", sa.Integer(), nullable=True),
        sa.Column("crew_count", sa.Integer(), nullable=True),
        sa.Column("api_received_at", UTC_TIME, nullable=True),
        sa.Column("pnr_received_at", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flight")),
        sa.UniqueConstraint(
            "carrier",
            "number",
            "origin",
            "destination",
            "departure_date",
            name=op.f("uq_flight_carrier_number_origin_destination_departure_date"),
        ),
    )
    op.create_index(op.f("ix_flight_arrival_utc"), "flight", ["arrival_utc"], unique=False)
    op.create_index(op.f("ix_flight_departure_date"), "flight", ["departure_date"], unique=False)
    op.create_table(
        "message",
        sa.Column("id", ID, nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("http", "folder", "amqp", "cli", name="channel", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("submitter", sa.String(length=100), nullable=True),
        sa.Column("carrier", sa.String(length=3), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("received_at", UTC_TIME, nullable=False),
        sa.Column("type", sa.String(length=8), nullable=True),
        sa.Column("version", sa.String(length=16), nullable=True),
        sa.Column("part_key", sa.String(length=70), nullable=True),
        sa.Column("part_sequence", sa.Integer(), nullable=True),
        sa.Column("part_final", sa.Boolean(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "received",
                "parsed",
                "loaded",
                "assessed",
                "failed_parse",
                "failed_load",
                "duplicate",
                "partial",
                name="message_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("warnings", JSON, nullable=False),
        sa.Column("errors", JSON, nullable=False),
        sa.Column("parse_ms", sa.Double(), nullable=True),
        sa.Column("load_ms", sa.Double(), nullable=True),
        sa.Column("duplicate_of_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"], ["message.id"], name=op.f("fk_message_duplicate_of_id_message"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message")),
    )
    op.create_index(op.f("ix_message_part_key"), "message", ["part_key"], unique=False)
    op.create_index(op.f("ix_message_sha256"), "message", ["sha256"], unique=False)
    op.create_index(op.f("ix_message_status_received_at"), "message", ["status", "received_at"], unique=False)
    op.create_table(
        "party",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("airline", "provider", name="party_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("carriers", JSON, nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party")),
        sa.UniqueConstraint("name", name=op.f("uq_party_name")),
    )
    op.create_table(
        "person",
        sa.Column("id", ID, nullable=False),
        sa.Column("surname", sa.String(length=100), nullable=True),
        sa.Column("given_names", sa.String(length=100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    op.create_table(
        "api_token",
        sa.Column("id", ID, nullable=False),
        sa.Column("party_id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("revoked_at", UTC_TIME, nullable=True),
        sa.Column("last_used_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_api_token_party_id_party"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_party_id"), "api_token", ["party_id"], unique=False)
    op.create_table(
        "flight_message",
        sa.Column("flight_id", ID, nullable=False),
        sa.Column("message_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_flight_message_flight_id_flight"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_flight_message_message_id_message"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("flight_id", "message_id", name=op.f("pk_flight_message")),
    )
    op.create_index(op.f("ix_flight_message_message_id"), "flight_message", ["message_id"], unique=False)
    op.create_table(
        "person_key",
        sa.Column("id", ID, nullable=False),
        sa.Column(
            "kind",
            sa.Enum("document", "bio", name="person_key_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=250), nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_key_person_id_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_key")),
        sa.UniqueConstraint("kind", "value", name=op.f("uq_person_key_kind_value")),
    )
    op.create_index(op.f("ix_person_key_person_id"), "person_key", ["person_id"], unique=False)
    op.create_table(
        "pnr",
        sa.Column("id", ID, nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=False),
        sa.Column("record_locator", sa.String(length=16), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("last_modified", sa.DateTime(), nullable=True),
        sa.Column("current_message_id", ID, nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("cancelled_at", UTC_TIME, nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["current_message_id"], ["message.id"], name=op.f("fk_pnr_current_message_id_message"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr")),
        sa.UniqueConstraint(
            "carrier", "record_locator", "created_on", name=op.f("uq_pnr_carrier_record_locator_created_on")
        ),
    )
    op.create_table(
        "agency",
        sa.Column("id", ID, nullable=False),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("iata_number", sa.String(length=12), nullable=True),
        sa.Column("office", sa.String(length=20), nullable=True),
        sa.Column("location", sa.String(length=50), nullable=True),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.Column("agent", sa.String(length=20), nullable=True),
        sa.Column("system", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_agency_pnr_id_pnr"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
    )
    op.create_index(op.f("ix_agency_iata_number"), "agency", ["iata_number"], unique=False)
    op.create_index(op.f("ix_agency_pnr_id"), "agency", ["pnr_id"], unique=False)
    op.create_table(
        "codeshare",
        sa.Column("id", ID, nullable=False),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("marketing_carrier", sa.String(length=3), nullable=True),
        sa.Column("marketing_number", sa.String(length=5), nullable=True),
        sa.Column("operating_carrier", sa.String(length=3), nullable=True),
        sa.Column("operating_number", sa.String(length=5), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_codeshare_pnr_id_pnr"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codeshare")),
    )
    op.create_index(op.f("ix_codeshare_pnr_id"), "codeshare", ["pnr_id"], unique=False)
    op.create_table(
        "history_entry",
        sa.Column("id", ID, nullable=False),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=3), nullable=True),
        sa.Column("happened_at", sa.DateTime(), nullable=True),
        sa.Column("who", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_history_entry_pnr_id_pnr"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_entry")),
        sa.UniqueConstraint("pnr_id", "position", name=op.f("uq_history_entry_pnr_id_position")),
    )
    op.create_index(op.f("ix_history_entry_pnr_id"), "history_entry", ["pnr_id"], unique=False)
    op.create_table(
        "itinerary_leg",
        sa.Column("id", ID, nullable=False),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=True),
        sa.Column("number", sa.String(length=5), nullable=True),
        sa.Column("suffix", sa.String(length=1), nullable=True),
        sa.Column("origin", sa.String(length=3), nullable=True),
        sa.Column("destination", sa.String(length=3), nullable=True),
        sa.Column("departure_local", sa.DateTime(), nullable=True),
        sa.Column("arrival_local", sa.DateTime(), nullable=True),
        sa.Column("booking_class", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=3), nullable=True),
        sa.Column("operating_carrier", sa.String(length=3), nullable=True),
        sa.Column("operating_number", sa.String(length=5), nullable=True),
        sa.Column("flight_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_itinerary_leg_flight_id_flight"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_itinerary_leg_pnr_id_pnr"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_itinerary_leg")),
        sa.UniqueConstraint("pnr_id", "position", name=op.f("uq_itinerary_leg_pnr_id_position")),
    )
    op.create_index(op.f("ix_itinerary_leg_flight_id"), "itinerary_leg", ["flight_id"], unique=False)
    op.create_index(op.f("ix_itinerary_leg_pnr_id"), "itinerary_leg", ["pnr_id"], unique=False)
    op.create_table(
        "pnr_flight",
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("flight_id", ID, nullable=False),
        sa.Column(
            "status",
            sa.Enum("active", "cancelled", name="pnr_flight_status", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("cancelled_at", UTC_TIME, nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_pnr_flight_flight_id_flight"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_pnr_flight_pnr_id_pnr"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pnr_id", "flight_id", name=op.f("pk_pnr_flight")),
    )
    op.create_index(op.f("ix_pnr_flight_flight_id"), "pnr_flight", ["flight_id"], unique=False)
    op.create_table(
        "pnr_version",
        sa.Column("id", ID, nullable=False),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("message_id", ID, nullable=False),
        sa.Column("flight_id", ID, nullable=True),
        sa.Column("pushed_at", UTC_TIME, nullable=False),
        sa.Column("last_modified", sa.DateTime(), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("snapshot", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_pnr_version_flight_id_flight"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_pnr_version_message_id_message"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_pnr_version_pnr_id_pnr"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pnr_version")),
        sa.UniqueConstraint("pnr_id", "message_id", name=op.f("uq_pnr_version_pnr_id_message_id")),
    )
    op.create_index(op.f("ix_pnr_version_flight_id"), "pnr_version", ["flight_id"], unique=False)
    op.create_index(op.f("ix_pnr_version_message_id"), "pnr_version", ["message_id"], unique=False)
    op.create_table(
        "pnr_push",
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("message_id", ID, nullable=False),
        sa.Column("flight_id", ID, nullable=True),
        sa.Column("pushed_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_pnr_push_flight_id_flight"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_pnr_push_message_id_message"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_pnr_push_pnr_id_pnr"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("pnr_id", "message_id", name=op.f("pk_pnr_push")),
    )
    op.create_index(op.f("ix_pnr_push_flight_id"), "pnr_push", ["flight_id"], unique=False)
    op.create_index(op.f("ix_pnr_push_message_id"), "pnr_push", ["message_id"], unique=False)
    op.create_table(
        "traveller",
        sa.Column("id", ID, nullable=False),
        sa.Column("flight_id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=True),
        sa.Column(
            "role",
            sa.Enum(
                "passenger",
                "crew",
                "in_transit",
                "in_transit_crew",
                "infant",
                name="role",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("identity_key", sa.String(length=250), nullable=False),
        sa.Column("surname", sa.String(length=100), nullable=True),
        sa.Column("given_names", sa.String(length=100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("residence_country", sa.String(length=3), nullable=True),
        sa.Column("birth_place", sa.String(length=100), nullable=True),
        sa.Column("birth_country", sa.String(length=3), nullable=True),
        sa.Column("embarkation", sa.String(length=5), nullable=True),
        sa.Column("debarkation", sa.String(length=5), nullable=True),
        sa.Column("seat", sa.String(length=5), nullable=True),
        sa.Column("bag_count", sa.Integer(), nullable=True),
        sa.Column("bag_weight_kg", sa.Float(), nullable=True),
        sa.Column("bag_tags", JSON, nullable=False),
        sa.Column("record_locator", sa.String(length=16), nullable=True),
        sa.Column("reference", sa.String(length=35), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=True),
        sa.Column("boarded", sa.Boolean(), nullable=True),
        sa.Column("pnr_id", ID, nullable=True),
        sa.Column("first_message_id", ID, nullable=True),
        sa.Column("last_message_id", ID, nullable=True),
        sa.Column("removed_at", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["first_message_id"],
            ["message.id"],
            name=op.f("fk_traveller_first_message_id_message"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_traveller_flight_id_flight"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["last_message_id"], ["message.id"], name=op.f("fk_traveller_last_message_id_message"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_traveller_person_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_traveller_pnr_id_pnr"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traveller")),
        sa.UniqueConstraint("flight_id", "identity_key", name=op.f("uq_traveller_flight_id_identity_key")),
    )
    op.create_index(op.f("ix_traveller_person_id"), "traveller", ["person_id"], unique=False)
    op.create_index(op.f("ix_traveller_pnr_id"), "traveller", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_traveller_record_locator"), "traveller", ["record_locator"], unique=False)
    op.create_index(op.f("ix_traveller_surname_given_names"), "traveller", ["surname", "given_names"], unique=False)
    op.create_table(
        "bag",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_ref", sa.String(length=35), nullable=True),
        sa.Column("traveller_id", ID, nullable=True),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("weight_kg", sa.Float(), nullable=True),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("destination", sa.String(length=3), nullable=True),
        sa.Column("carrier", sa.String(length=3), nullable=True),
        sa.Column("pool", sa.String(length=35), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_bag_pnr_id_pnr"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["traveller_id"], ["traveller.id"], name=op.f("fk_bag_traveller_id_traveller"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bag")),
    )
    op.create_index(op.f("ix_bag_pnr_id"), "bag", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_bag_traveller_id"), "bag", ["traveller_id"], unique=False)
    op.create_table(
        "contact",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_ref", sa.String(length=35), nullable=True),
        sa.Column("traveller_id", ID, nullable=True),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column(
            "kind",
            sa.Enum("phone", "email", "address", name="contact_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("normalised", sa.String(length=320), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_contact_pnr_id_pnr"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["traveller_id"], ["traveller.id"], name=op.f("fk_contact_traveller_id_traveller"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    op.create_index(op.f("ix_contact_normalised"), "contact", ["normalised"], unique=False)
    op.create_index(op.f("ix_contact_pnr_id"), "contact", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_contact_traveller_id"), "contact", ["traveller_id"], unique=False)
    op.create_table(
        "document",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_id", ID, nullable=False),
        sa.Column("type", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("issuing_country", sa.String(length=3), nullable=True),
        sa.Column("expiry", sa.Date(), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("nationality", sa.String(length=3), nullable=True),
        sa.Column("place_of_issue", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["traveller_id"], ["traveller.id"], name=op.f("fk_document_traveller_id_traveller"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("traveller_id", "type", "number", name=op.f("uq_document_traveller_id_type_number")),
    )
    op.create_index(op.f("ix_document_number_issuing_country"), "document", ["number", "issuing_country"], unique=False)
    op.create_table(
        "frequent_flyer",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_ref", sa.String(length=35), nullable=True),
        sa.Column("traveller_id", ID, nullable=True),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("carrier", sa.String(length=3), nullable=True),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_frequent_flyer_pnr_id_pnr"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_frequent_flyer_traveller_id_traveller"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_frequent_flyer")),
    )
    op.create_index(op.f("ix_frequent_flyer_number"), "frequent_flyer", ["number"], unique=False)
    op.create_index(op.f("ix_frequent_flyer_pnr_id"), "frequent_flyer", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_frequent_flyer_traveller_id"), "frequent_flyer", ["traveller_id"], unique=False)
    op.create_table(
        "payment",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_ref", sa.String(length=35), nullable=True),
        sa.Column("traveller_id", ID, nullable=True),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("type", sa.String(length=4), nullable=False),
        sa.Column("amount", sa.String(length=24), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("card_type", sa.String(length=4), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("card_hash", sa.String(length=64), nullable=True),
        sa.Column("card_expiry", sa.String(length=8), nullable=True),
        sa.Column("card_holder", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_payment_pnr_id_pnr"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["traveller_id"], ["traveller.id"], name=op.f("fk_payment_traveller_id_traveller"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    op.create_index(op.f("ix_payment_card_hash"), "payment", ["card_hash"], unique=False)
    op.create_index(op.f("ix_payment_pnr_id"), "payment", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_payment_traveller_id"), "payment", ["traveller_id"], unique=False)
    op.create_table(
        "seat",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_ref", sa.String(length=35), nullable=True),
        sa.Column("traveller_id", ID, nullable=True),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("number", sa.String(length=5), nullable=False),
        sa.Column("cabin", sa.String(length=2), nullable=True),
        sa.Column("origin", sa.String(length=3), nullable=True),
        sa.Column("destination", sa.String(length=3), nullable=True),
        sa.Column("carrier", sa.String(length=3), nullable=True),
        sa.Column("flight_number", sa.String(length=5), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_seat_pnr_id_pnr"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["traveller_id"], ["traveller.id"], name=op.f("fk_seat_traveller_id_traveller"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat")),
    )
    op.create_index(op.f("ix_seat_pnr_id"), "seat", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_seat_traveller_id"), "seat", ["traveller_id"], unique=False)
    op.create_table(
        "ticket",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_ref", sa.String(length=35), nullable=True),
        sa.Column("traveller_id", ID, nullable=True),
        sa.Column("pnr_id", ID, nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=3), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=True),
        sa.Column("issuing_carrier", sa.String(length=3), nullable=True),
        sa.Column("place_of_issue", sa.String(length=50), nullable=True),
        sa.Column("fare", sa.String(length=24), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("one_way", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(["pnr_id"], ["pnr.id"], name=op.f("fk_ticket_pnr_id_pnr"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["traveller_id"], ["traveller.id"], name=op.f("fk_ticket_traveller_id_traveller"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket")),
    )
    op.create_index(op.f("ix_ticket_number"), "ticket", ["number"], unique=False)
    op.create_index(op.f("ix_ticket_pnr_id"), "ticket", ["pnr_id"], unique=False)
    op.create_index(op.f("ix_ticket_traveller_id"), "ticket", ["traveller_id"], unique=False)
    op.create_table(
        "traveller_source",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_id", ID, nullable=False),
        sa.Column("message_id", ID, nullable=False),
        sa.Column("fields", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"], ["message.id"], name=op.f("fk_traveller_source_message_id_message"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_traveller_source_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traveller_source")),
        sa.UniqueConstraint("traveller_id", "message_id", name=op.f("uq_traveller_source_traveller_id_message_id")),
    )
    op.create_index(op.f("ix_traveller_source_message_id"), "traveller_source", ["message_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_traveller_source_message_id"), table_name="traveller_source")
    op.drop_table("traveller_source")
    op.drop_index(op.f("ix_ticket_traveller_id"), table_name="ticket")
    op.drop_index(op.f("ix_ticket_pnr_id"), table_name="ticket")
    op.drop_index(op.f("ix_ticket_number"), table_name="ticket")
    op.drop_table("ticket")
    op.drop_index(op.f("ix_seat_traveller_id"), table_name="seat")
    op.drop_index(op.f("ix_seat_pnr_id"), table_name="seat")
    op.drop_table("seat")
    op.drop_index(op.f("ix_payment_traveller_id"), table_name="payment")
    op.drop_index(op.f("ix_payment_pnr_id"), table_name="payment")
    op.drop_index(op.f("ix_payment_card_hash"), table_name="payment")
    op.drop_table("payment")
    op.drop_index(op.f("ix_frequent_flyer_traveller_id"), table_name="frequent_flyer")
    op.drop_index(op.f("ix_frequent_flyer_pnr_id"), table_name="frequent_flyer")
    op.drop_index(op.f("ix_frequent_flyer_number"), table_name="frequent_flyer")
    op.drop_table("frequent_flyer")
    op.drop_index(op.f("ix_document_number_issuing_country"), table_name="document")
    op.drop_table("document")
    op.drop_index(op.f("ix_contact_traveller_id"), table_name="contact")
    op.drop_index(op.f("ix_contact_pnr_id"), table_name="contact")
    op.drop_index(op.f("ix_contact_normalised"), table_name="contact")
    op.drop_table("contact")
    op.drop_index(op.f("ix_bag_traveller_id"), table_name="bag")
    op.drop_index(op.f("ix_bag_pnr_id"), table_name="bag")
    op.drop_table("bag")
    op.drop_index(op.f("ix_traveller_surname_given_names"), table_name="traveller")
    op.drop_index(op.f("ix_traveller_record_locator"), table_name="traveller")
    op.drop_index(op.f("ix_traveller_pnr_id"), table_name="traveller")
    op.drop_index(op.f("ix_traveller_person_id"), table_name="traveller")
    op.drop_table("traveller")
    op.drop_index(op.f("ix_pnr_push_message_id"), table_name="pnr_push")
    op.drop_index(op.f("ix_pnr_push_flight_id"), table_name="pnr_push")
    op.drop_table("pnr_push")
    op.drop_index(op.f("ix_pnr_version_message_id"), table_name="pnr_version")
    op.drop_index(op.f("ix_pnr_version_flight_id"), table_name="pnr_version")
    op.drop_table("pnr_version")
    op.drop_index(op.f("ix_pnr_flight_flight_id"), table_name="pnr_flight")
    op.drop_table("pnr_flight")
    op.drop_index(op.f("ix_itinerary_leg_pnr_id"), table_name="itinerary_leg")
    op.drop_index(op.f("ix_itinerary_leg_flight_id"), table_name="itinerary_leg")
    op.drop_table("itinerary_leg")
    op.drop_index(op.f("ix_history_entry_pnr_id"), table_name="history_entry")
    op.drop_table("history_entry")
    op.drop_index(op.f("ix_codeshare_pnr_id"), table_name="codeshare")
    op.drop_table("codeshare")
    op.drop_index(op.f("ix_agency_pnr_id"), table_name="agency")
    op.drop_index(op.f("ix_agency_iata_number"), table_name="agency")
    op.drop_table("agency")
    op.drop_table("pnr")
    op.drop_index(op.f("ix_person_key_person_id"), table_name="person_key")
    op.drop_table("person_key")
    op.drop_index(op.f("ix_flight_message_message_id"), table_name="flight_message")
    op.drop_table("flight_message")
    op.drop_index(op.f("ix_api_token_party_id"), table_name="api_token")
    op.drop_table("api_token")
    op.drop_table("person")
    op.drop_table("party")
    op.drop_index(op.f("ix_message_status_received_at"), table_name="message")
    op.drop_index(op.f("ix_message_sha256"), table_name="message")
    op.drop_index(op.f("ix_message_part_key"), table_name="message")
    op.drop_table("message")
    op.drop_index(op.f("ix_flight_departure_date"), table_name="flight")
    op.drop_index(op.f("ix_flight_arrival_utc"), table_name="flight")
    op.drop_table("flight")
    op.drop_table("country")
    op.drop_table("carrier")
    op.drop_index(op.f("ix_airport_country_alpha3"), table_name="airport")
    op.drop_table("airport")
