"""customer.address: a channel-specific reply address instead of a Telegram chat id

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The core knows customers as (channel, external id) and writes to an opaque address; a
    # Telegram chat id becomes its decimal string, a WhatsApp number will be its E.164 form.
    op.add_column("customer", sa.Column("address", sa.String(length=128), nullable=True))
    op.execute("UPDATE customer SET address = CAST(chat_id AS VARCHAR) WHERE chat_id IS NOT NULL")
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): batch mode would rebuild the table,
    # and dropping the old copy with foreign keys on would cascade into every message.
    op.drop_column("customer", "chat_id")


def downgrade() -> None:
    op.add_column("customer", sa.Column("chat_id", sa.BigInteger(), nullable=True))
    # Only Telegram addresses are chat ids; other channels' addresses have no equivalent.
    op.execute(
        "UPDATE customer SET chat_id = CAST(address AS BIGINT) "
        "WHERE channel = 'telegram' AND address IS NOT NULL"
    )
    op.drop_column("customer", "address")
