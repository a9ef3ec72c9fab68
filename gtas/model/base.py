"""The declarative base, its naming convention, and the column types every aggregate shares."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, Dialect, Enum, ForeignKey, ForeignKeyConstraint, Integer, MetaData
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.schema import SchemaItem
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# 64-bit keys on PostgreSQL; SQLite only auto-increments a column declared exactly INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")

# JSON documents: JSONB on PostgreSQL (indexable, compact), JSON text elsewhere.
Json = JSON().with_variant(JSONB(), "postgresql")


CHECKED_PER_STATEMENT = "checked_per_statement"


def bulk_reference(target: str, *, ondelete: str) -> ForeignKey:
    """A reference from a table loading fills in bulk: a foreign key on SQLite, triggers on PostgreSQL.

    PostgreSQL checks a foreign key with a query and a row lock for every inserted row; the triggers of migration
    0017 (``gtas.migrations.references``) refuse, delete and clear the same rows with one query per statement.
    """
    return ForeignKey(target, ondelete=ondelete, info={CHECKED_PER_STATEMENT: True})


def is_bulk_reference(constraint: ForeignKeyConstraint) -> bool:
    """Whether a foreign key is a ``bulk_reference`` (a trigger on PostgreSQL)."""
    return any(element.info.get(CHECKED_PER_STATEMENT) for element in constraint.elements)


def schema_filter(dialect: str) -> Callable[[SchemaItem, str | None, str, bool, SchemaItem | None], bool]:
    """Alembic's ``include_object`` for comparing the models with a database of this dialect: on PostgreSQL the
    bulk references are triggers, not foreign keys."""

    def include(item: SchemaItem, name: str | None, kind: str, reflected: bool, compared: SchemaItem | None) -> bool:
        return not (dialect == "postgresql" and kind == "foreign_key_constraint" and not reflected
                    and isinstance(item, ForeignKeyConstraint) and is_bulk_reference(item))

    return include


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time: takes aware datetimes, stores UTC (naive in SQLite), returns aware UTC datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(DateTime(timezone=dialect.name != "sqlite"))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given for a UTC column; attach a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def str_enum(enum: type[StrEnum], name: str) -> Enum:
    """A column type for a StrEnum: VARCHAR holding the values (not the names), with a CHECK constraint."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Base of every GTAS table; constraint names follow NAMING_CONVENTION so migrations stay stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime()}
