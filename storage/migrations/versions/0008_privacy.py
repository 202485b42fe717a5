"""privacy: consent history, the erasure log, and the customer's latest consent decision

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_CUSTOMER_COLUMNS = ("consent_version", "consent_at", "consent_mode")


def upgrade() -> None:
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.create_index("ix_consent_customer_at", ["customer_id", "at"], unique=False)

    op.create_table(
        "erasure_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("rows_deleted", sa.JSON(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("subject_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("erasure_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_erasure_log_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_erasure_log_subject_hash"), ["subject_hash"], unique=False
        )

    # Plain ALTER TABLE … ADD/DROP COLUMN, not batch mode: on SQLite batch mode rebuilds the
    # table, and dropping the old copy with foreign keys on would cascade into every row that
    # references a customer (see 0003).
    op.add_column(
        "customer",
        sa.Column("consent_version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    )
    op.add_column(
        "customer", sa.Column("consent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
    )
    op.add_column(
        "customer",
        sa.Column("consent_mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    )
    # The retention job deletes by age across all customers: without this index its last,
    # empty batch would scan the whole message table every day.
    op.create_index("ix_message_created", "message", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_message_created", table_name="message")
    for column in reversed(_CUSTOMER_COLUMNS):
        op.drop_column("customer", column)

    with op.batch_alter_table("erasure_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_erasure_log_subject_hash"))
        batch_op.drop_index(batch_op.f("ix_erasure_log_at"))

    op.drop_table("erasure_log")
    with op.batch_alter_table("consent", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_customer_at")

    op.drop_table("consent")
