"""time zone per person and the organization's send window

Revision ID: 7b1e0c9d4a21
Revises: 390d83e474b0
Create Date: 2026-11-24 09:20:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '7b1e0c9d4a21'
down_revision: Union[str, None] = '390d83e474b0'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Existing people keep None: the organization's zone applies, as before.
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    with op.batch_alter_table('team_invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    # 08:00-21:00 local, in minutes after midnight (R-PLUS-1).
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('send_window_start', sa.Integer(), nullable=False, server_default='480'))
        batch_op.add_column(sa.Column('send_window_end', sa.Integer(), nullable=False, server_default='1260'))


def downgrade() -> None:
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('send_window_end')
        batch_op.drop_column('send_window_start')
    with op.batch_alter_table('team_invitation', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
