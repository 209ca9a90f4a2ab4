"""The skill catalog and the users' GUIDs and CRM login ids (7.3 SKILL and REQUIRED_AGENT).

Existing users get a generated GUID, and every skill a user or queue already names
enters the catalog with its name as external name and a generated GUID.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _new_guid() -> str:
    # A migration stays as written: it imports nothing of the models that may change.
    return uuid.uuid4().hex.upper()


def upgrade() -> None:
    op.create_table(
        "skills",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("guid", sa.String(), nullable=False),
        sa.Column("external_name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("skills") as batch_op:
        batch_op.create_index(batch_op.f("ix_skills_guid"), ["guid"], unique=True)
        batch_op.create_index(batch_op.f("ix_skills_external_name"), ["external_name"], unique=True)

    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("guid", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("crm_login", sa.String(), nullable=True))

    connection = op.get_bind()
    users = sa.table("users", sa.column("id", sa.String()), sa.column("guid", sa.String()))
    for user_id in connection.scalars(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(guid=_new_guid()))

    skills = sa.table(
        "skills",
        sa.column("id", sa.String()),
        sa.column("guid", sa.String()),
        sa.column("external_name", sa.String()),
    )
    named = sa.union(
        sa.select(sa.table("user_skills", sa.column("skill", sa.String())).c.skill),
        sa.select(sa.table("queue_skills", sa.column("skill", sa.String())).c.skill),
    )
    names = sorted(connection.scalars(named).all())
    if names:
        connection.execute(
            skills.insert(),
            [{"id": name, "guid": _new_guid(), "external_name": name} for name in names],
        )

    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("guid", existing_type=sa.String(), nullable=False)
        batch_op.create_index(batch_op.f("ix_users_guid"), ["guid"], unique=True)
        batch_op.create_index(batch_op.f("ix_users_crm_login"), ["crm_login"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_crm_login"))
        batch_op.drop_index(batch_op.f("ix_users_guid"))
        batch_op.drop_column("crm_login")
        batch_op.drop_column("guid")
    with op.batch_alter_table("skills") as batch_op:
        batch_op.drop_index(batch_op.f("ix_skills_external_name"))
        batch_op.drop_index(batch_op.f("ix_skills_guid"))
    op.drop_table("skills")
