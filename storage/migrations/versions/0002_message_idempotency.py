"""one stored row per delivered message

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows stored twice before this revision (webhook retries) keep their text but lose the
    # external id on all copies but the first, so the unique index can be built.
    op.execute(
        """
        UPDATE message SET external_id = NULL
        WHERE external_id IS NOT NULL AND id NOT IN (
            SELECT keep FROM (
                SELECT MIN(id) AS keep FROM message
                WHERE external_id IS NOT NULL
                GROUP BY customer_id, direction, external_id
            ) AS firsts
        )
        """
    )
    op.create_index(
        "uq_message_customer_direction_ext",
        "message",
        ["customer_id", "direction", "external_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_message_customer_direction_ext", table_name="message")
