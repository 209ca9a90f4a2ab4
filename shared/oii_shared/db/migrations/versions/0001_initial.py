"""Configuration tables: users, queues, memberships, skills, module parameters.

Revision ID: 0001
Revises:
Create Date: 2025-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("chat", sa.String(), nullable=True),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("users") as batch_op:
        batch_op.create_index(batch_op.f("ix_users_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_users_phone"), ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_users_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_users_chat"), ["chat"], unique=False)

    op.create_table(
        "queues",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("answer_info", sa.String(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("queues") as batch_op:
        batch_op.create_index(batch_op.f("ix_queues_channel"), ["channel"], unique=False)

    op.create_table(
        "user_queues",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("queue_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["queue_id"], ["queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "queue_id"),
    )
    with op.batch_alter_table("user_queues") as batch_op:
        batch_op.create_index(batch_op.f("ix_user_queues_queue_id"), ["queue_id"], unique=False)

    op.create_table(
        "user_skills",
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("skill", sa.String(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "skill"),
    )
    op.create_table(
        "queue_skills",
        sa.Column("queue_id", sa.String(), nullable=False),
        sa.Column("skill", sa.String(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["queue_id"], ["queues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("queue_id", "skill"),
    )
    op.create_table(
        "module_parameters",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("module_parameters")
    op.drop_table("queue_skills")
    op.drop_table("user_skills")
    with op.batch_alter_table("user_queues") as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_queues_queue_id"))
    op.drop_table("user_queues")
    with op.batch_alter_table("queues") as batch_op:
        batch_op.drop_index(batch_op.f("ix_queues_channel"))
    op.drop_table("queues")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_chat"))
        batch_op.drop_index(batch_op.f("ix_users_email"))
        batch_op.drop_index(batch_op.f("ix_users_phone"))
        batch_op.drop_index(batch_op.f("ix_users_key"))
    op.drop_table("users")
