"""human handoff: handoffs to an operator and the bot's posts in the operator chat

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# At most one open handoff per customer: a partial unique index (SQLite and PostgreSQL).
OPEN_WHERE = sa.text("status IN ('waiting', 'active')")


def upgrade() -> None:
    op.create_table(
        "handoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("requested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("deadline_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("taken_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("operator_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("operator_name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("card_message_id", sa.Integer(), nullable=True),
        sa.Column("closed_by", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("handoff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handoff_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(
            "uq_handoff_customer_open",
            ["customer_id"],
            unique=True,
            sqlite_where=OPEN_WHERE,
            postgresql_where=OPEN_WHERE,
        )
        batch_op.create_index("ix_handoff_status_deadline", ["status", "deadline_at"], unique=False)
        batch_op.create_index("ix_handoff_chat_thread", ["chat_id", "thread_id"], unique=False)

    op.create_table(
        "handoff_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoff.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chat_id", "message_id", name="uq_handoff_post_chat_message"),
    )
    with op.batch_alter_table("handoff_post", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handoff_post_handoff_id"), ["handoff_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("handoff_post", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_post_handoff_id"))

    op.drop_table("handoff_post")
    with op.batch_alter_table("handoff", schema=None) as batch_op:
        batch_op.drop_index("ix_handoff_chat_thread")
        batch_op.drop_index("ix_handoff_status_deadline")
        batch_op.drop_index("uq_handoff_customer_open")
        batch_op.drop_index(batch_op.f("ix_handoff_customer_id"))

    op.drop_table("handoff")
