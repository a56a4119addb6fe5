"""The store's tables (SQLAlchemy 2 declarative).

The schema itself is created and changed only by the Alembic migrations in
``dsa/storage/migrations``; these classes describe it to the ORM and must match
the latest migration (a test checks that they do).

Why the shape is what it is:

- ``versions`` rows are never updated or deleted: every save adds a row, so
  nothing a user saved can be lost. ``(model_id, number)`` is unique, which is
  what makes two concurrent saves on the same base collide in the database
  instead of both succeeding.
- Documents and findings are stored as JSON text, not a JSON column type, so
  the same bytes come back from SQLite and PostgreSQL.
- Times are stored as naive UTC (``UTCDateTime``) because SQLite has no
  time-zone type; they come back as aware UTC datetimes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, Date, DateTime, ForeignKey, Integer, MetaData, String, Text,
                        TypeDecorator, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime, stored naive because SQLite cannot store a zone."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("the store only accepts time-zone-aware datetimes")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ModelRow(Base):
    """One named partnership model; its content lives in ``versions``."""

    __tablename__ = "models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)


class VersionRow(Base):
    """One saved version of a model: immutable once written."""

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("model_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("models.id", ondelete="RESTRICT"), nullable=False)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    document: Mapped[str] = mapped_column(Text, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    author: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    is_draft: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    findings: Mapped[str] = mapped_column(Text, nullable=False, default="[]")


class SignOffRow(Base):
    """A party's sign-off of one version, by a named person in a named role."""

    __tablename__ = "signoffs"
    __table_args__ = (UniqueConstraint("version_id", "party_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("versions.id", ondelete="RESTRICT"), nullable=False)
    party_id: Mapped[str] = mapped_column(String(64), nullable=False)
    role: Mapped[str] = mapped_column(String(64), nullable=False)
    # "approval" (SIRO, Caldicott Guardian, DPO) or "review" (legal reviewer, other): only approvals
    # count as the party's sign-off. Stored, not derived, so a later change to the role lists cannot
    # silently turn a recorded review into an approval.
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="approval")
    signer: Mapped[str] = mapped_column(String(200), nullable=False)
    signed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)


class AuditRow(Base):
    """Who did what, when: written in the same transaction as the change it records."""

    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    actor: Mapped[str] = mapped_column(String(200), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    model_name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    version_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")


class MemberRow(Base):
    """Shared mode: one person's role for one party of one saved model (deployment.md, "Membership").

    Keyed by the model's *name*, not its row, so the operator can grant roles before the first save.
    Emails are stored lower-case: the provider's verified email is compared case-insensitively.
    """

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("model_name", "email", "party_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    email: Mapped[str] = mapped_column(String(320), nullable=False)
    party_id: Mapped[str] = mapped_column(String(64), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    added_by: Mapped[str] = mapped_column(String(320), nullable=False)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
