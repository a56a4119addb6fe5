"""Shared mode: members with a role per party, and sign-offs that are approvals or reviews.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

Existing sign-offs keep their role; "Other" becomes a review (it never named an
approving office), every other recorded role stays an approval, so no party that
had signed off a version loses that sign-off.
"""

from __future__ import annotations

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, Sequence[str], None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("added_by", sa.String(length=320), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("model_name", "email", "party_id", name=op.f("uq_members_model_name_email_party_id")),
    )
    op.create_index(op.f("ix_members_model_name"), "members", ["model_name"], unique=False)
    with op.batch_alter_table("signoffs") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="approval"))
    op.execute("UPDATE signoffs SET kind = 'review' WHERE role = 'Other'")


def downgrade() -> None:
    with op.batch_alter_table("signoffs") as batch:
        batch.drop_column("kind")
    op.drop_index(op.f("ix_members_model_name"), table_name="members")
    op.drop_table("members")
