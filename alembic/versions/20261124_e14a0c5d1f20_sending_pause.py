"""sending pause: the outbox stops while the mail server refuses our sender

Revision ID: e14a0c5d1f20
Revises: 7d3e1f0a9b21
Create Date: 2026-11-24 09:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = 'e14a0c5d1f20'
down_revision: Union[str, None] = '7d3e1f0a9b21'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'sending_pause',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reply', sa.Text(), nullable=False),
        sa.Column('paused_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column('probed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('sending_pause')
