"""Action items (IciActionItem.route, 9.12): the record action-svc rebuilds its live state from.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "action_items",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("process_id", sa.String(), nullable=False),
        sa.Column("open_key", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("item", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_key"),
    )
    with op.batch_alter_table("action_items") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_items_process_id"), ["process_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_action_items_ended_at"), ["ended_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("action_items") as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_items_ended_at"))
        batch_op.drop_index(batch_op.f("ix_action_items_process_id"))
    op.drop_table("action_items")
