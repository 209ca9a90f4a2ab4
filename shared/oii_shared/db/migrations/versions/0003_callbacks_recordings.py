"""Callbacks (IciSystem 9.1.6-9.1.8) and call recordings (9.1.5).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "callbacks",
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("queue_id", sa.String(), nullable=False),
        sa.Column("max_calls", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_result", sa.String(), nullable=True),
        sa.Column("extra_data", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("gw_prefix", sa.String(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("attached_data", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_call_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_call_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handled_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("open_key", sa.String(), nullable=True),
        sa.Column("offered_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("offered_by", sa.String(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_key"),
    )
    with op.batch_alter_table("callbacks") as batch_op:
        batch_op.create_index(batch_op.f("ix_callbacks_number"), ["number"], unique=False)
        batch_op.create_index(batch_op.f("ix_callbacks_queue_id"), ["queue_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_callbacks_next_call_time"), ["next_call_time"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_callbacks_offered_by"), ["offered_by"], unique=False)

    op.create_table(
        "call_recordings",
        sa.Column("call_handle", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("user_key", sa.String(), nullable=False),
        sa.Column("line", sa.String(), nullable=False),
        sa.Column("remote_number", sa.String(), nullable=False),
        sa.Column("direction", sa.String(), nullable=False),
        sa.Column("queue_id", sa.String(), nullable=False),
        sa.Column("file_path", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creation_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_time", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("call_recordings") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_recordings_call_handle"), ["call_handle"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_call_recordings_user_key"), ["user_key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_call_recordings_file_name"), ["file_name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_call_recordings_creation_time"), ["creation_time"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("call_recordings") as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_recordings_creation_time"))
        batch_op.drop_index(batch_op.f("ix_call_recordings_file_name"))
        batch_op.drop_index(batch_op.f("ix_call_recordings_user_key"))
        batch_op.drop_index(batch_op.f("ix_call_recordings_call_handle"))
    op.drop_table("call_recordings")
    with op.batch_alter_table("callbacks") as batch_op:
        batch_op.drop_index(batch_op.f("ix_callbacks_offered_by"))
        batch_op.drop_index(batch_op.f("ix_callbacks_next_call_time"))
        batch_op.drop_index(batch_op.f("ix_callbacks_queue_id"))
        batch_op.drop_index(batch_op.f("ix_callbacks_number"))
    op.drop_table("callbacks")
