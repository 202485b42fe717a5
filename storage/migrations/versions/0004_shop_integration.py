"""shop integration: shop customers, orders (with their status history), site events and
visitors, dialogs and conversions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dialog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["ad_source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dialog", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dialog_customer_started", ["customer_id", "started_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dialog_source_id"), ["source_id"], unique=False)

    op.create_table(
        "shop_customer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
        sa.Column("link_token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("linked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("linked_by", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shop_customer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shop_customer_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_shop_customer_link_token"), ["link_token"], unique=True
        )
        batch_op.create_index(batch_op.f("ix_shop_customer_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_shop_customer_shop_id"), ["shop_id"], unique=True)

    op.create_table(
        "site_visitor",
        sa.Column("visitor_id", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visitor_id"),
    )
    with op.batch_alter_table("site_visitor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_site_visitor_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "conversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("dialog_id", sa.Integer(), nullable=True),
        sa.Column("seconds_from_dialog_start", sa.Float(), nullable=True),
        sa.Column("first_source_id", sa.Integer(), nullable=True),
        sa.Column("last_source_id", sa.Integer(), nullable=True),
        sa.Column("revenue", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["dialog_id"],
            ["dialog.id"],
        ),
        sa.ForeignKeyConstraint(
            ["first_source_id"],
            ["ad_source.id"],
        ),
        sa.ForeignKeyConstraint(
            ["last_source_id"],
            ["ad_source.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "kind", "ref", name="uq_conversion_customer_kind_ref"),
    )
    with op.batch_alter_table("conversion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversion_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_conversion_dialog_id"), ["dialog_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_conversion_first_source_id"), ["first_source_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_conversion_last_source_id"), ["last_source_id"], unique=False
        )

    op.create_table(
        "shop_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shop_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("shop_customer_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("total", sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("statuses", sa.Integer(), nullable=False),
        sa.Column("applied", sa.Integer(), nullable=False),
        sa.Column("ordered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["shop_customer_id"], ["shop_customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_shop_order_shop_customer_id"), ["shop_customer_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_shop_order_shop_id"), ["shop_id"], unique=True)

    op.create_table(
        "site_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("shop_customer_id", sa.Integer(), nullable=True),
        sa.Column("visitor_id", sqlmodel.sql.sqltypes.AutoString(length=48), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("page", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("product", sa.JSON(), nullable=True),
        sa.Column("device", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("source", sa.JSON(), nullable=True),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["shop_customer_id"], ["shop_customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event_key"),
    )
    with op.batch_alter_table("site_event", schema=None) as batch_op:
        batch_op.create_index("ix_site_event_customer_at", ["customer_id", "at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_site_event_shop_customer_id"), ["shop_customer_id"], unique=False
        )
        batch_op.create_index("ix_site_event_visitor_at", ["visitor_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("site_event", schema=None) as batch_op:
        batch_op.drop_index("ix_site_event_visitor_at")
        batch_op.drop_index(batch_op.f("ix_site_event_shop_customer_id"))
        batch_op.drop_index("ix_site_event_customer_at")

    op.drop_table("site_event")
    with op.batch_alter_table("shop_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shop_order_shop_id"))
        batch_op.drop_index(batch_op.f("ix_shop_order_shop_customer_id"))

    op.drop_table("shop_order")
    with op.batch_alter_table("conversion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversion_last_source_id"))
        batch_op.drop_index(batch_op.f("ix_conversion_first_source_id"))
        batch_op.drop_index(batch_op.f("ix_conversion_dialog_id"))
        batch_op.drop_index(batch_op.f("ix_conversion_customer_id"))

    op.drop_table("conversion")
    with op.batch_alter_table("site_visitor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_visitor_customer_id"))

    op.drop_table("site_visitor")
    with op.batch_alter_table("shop_customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shop_customer_shop_id"))
        batch_op.drop_index(batch_op.f("ix_shop_customer_phone"))
        batch_op.drop_index(batch_op.f("ix_shop_customer_link_token"))
        batch_op.drop_index(batch_op.f("ix_shop_customer_customer_id"))

    op.drop_table("shop_customer")
    with op.batch_alter_table("dialog", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dialog_source_id"))
        batch_op.drop_index("ix_dialog_customer_started")

    op.drop_table("dialog")
