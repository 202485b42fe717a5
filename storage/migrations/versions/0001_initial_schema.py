"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ad_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payload", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("campaign", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("ad", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("creative", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("ad_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ad_source_campaign"), ["campaign"], unique=False)
        batch_op.create_index(batch_op.f("ix_ad_source_payload"), ["payload"], unique=True)

    op.create_table(
        "customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("first_source_id", sa.Integer(), nullable=True),
        sa.Column("first_touch_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_source_id", sa.Integer(), nullable=True),
        sa.Column("last_touch_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=True),
        sa.Column("profiling_opt_out", sa.Boolean(), nullable=False),
        sa.Column("checkins_opt_out", sa.Boolean(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("holdout", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["first_source_id"],
            ["ad_source.id"],
        ),
        sa.ForeignKeyConstraint(
            ["last_source_id"],
            ["ad_source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "external_id", name="uq_customer_channel_ext"),
    )
    op.create_table(
        "message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("direction", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("gap_s", sa.Float(), nullable=True),
        sa.Column("latency_s", sa.Float(), nullable=True),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("features", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_message_customer_created", ["customer_id", "created_at"], unique=False
        )

    op.create_table(
        "profile",
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("messages_total", sa.Integer(), nullable=False),
        sa.Column("hotness", sa.Integer(), nullable=False),
        sa.Column("churn", sa.Integer(), nullable=False),
        sa.Column("urgent", sa.Float(), nullable=False),
        sa.Column("researcher", sa.Float(), nullable=False),
        sa.Column("doubting_buyer", sa.Float(), nullable=False),
        sa.Column("returning_with_problem", sa.Float(), nullable=False),
        sa.Column("irritated", sa.Float(), nullable=False),
        sa.Column("price_sensitive", sa.Float(), nullable=False),
        sa.Column("next_checkin_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_churn"), ["churn"], unique=False)
        batch_op.create_index(batch_op.f("ix_profile_hotness"), ["hotness"], unique=False)
        batch_op.create_index(batch_op.f("ix_profile_irritated"), ["irritated"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_profile_next_checkin_at"), ["next_checkin_at"], unique=False
        )

    op.create_table(
        "source_touch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("raw_payload", sa.Text(), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["ad_source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("source_touch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_touch_customer_id"), ["customer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("source_touch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_touch_customer_id"))

    op.drop_table("source_touch")
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_next_checkin_at"))
        batch_op.drop_index(batch_op.f("ix_profile_irritated"))
        batch_op.drop_index(batch_op.f("ix_profile_hotness"))
        batch_op.drop_index(batch_op.f("ix_profile_churn"))

    op.drop_table("profile")
    with op.batch_alter_table("message", schema=None) as batch_op:
        batch_op.drop_index("ix_message_customer_created")

    op.drop_table("message")
    op.drop_table("customer")
    with op.batch_alter_table("ad_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ad_source_payload"))
        batch_op.drop_index(batch_op.f("ix_ad_source_campaign"))

    op.drop_table("ad_source")
