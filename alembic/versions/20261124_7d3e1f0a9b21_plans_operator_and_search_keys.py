"""plans, operator console, team settings, accent-free search keys

Revision ID: 7d3e1f0a9b21
Revises: ad07de8ed9ee
Create Date: 2026-11-24 09:30:00

"""
import unicodedata
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '7d3e1f0a9b21'
down_revision: Union[str, None] = 'ad07de8ed9ee'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# A copy of rxapp.services.common.search.search_key as it was when this ran: a migration
# must not change meaning when the app's code changes later.
_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                        "þ": "th", "ı": "i"})


def _key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", (text or "").casefold().translate(_EXTRA))
    return "".join(c for c in folded if not unicodedata.combining(c))[:100]


def backfill_search_keys(conn) -> int:
    """Rewrite every participant's search keys in batches; return how many changed."""
    participant = sa.table('participant', sa.column('id', sa.Integer), sa.column('first_name', sa.String),
                           sa.column('last_name', sa.String), sa.column('first_name_lower', sa.String),
                           sa.column('last_name_lower', sa.String))
    last_id = changed = 0
    while True:
        rows = conn.execute(
            sa.select(participant.c.id, participant.c.first_name, participant.c.last_name,
                      participant.c.first_name_lower, participant.c.last_name_lower)
            .where(participant.c.id > last_id).order_by(participant.c.id).limit(2000)
        ).all()
        if not rows:
            return changed
        for pid, first, last, first_old, last_old in rows:
            first_key, last_key = _key(first), _key(last)
            if (first_key, last_key) != (first_old, last_old):
                conn.execute(participant.update().where(participant.c.id == pid).values(
                    first_name_lower=first_key, last_name_lower=last_key))
                changed += 1
        last_id = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_seats', sa.Integer(), nullable=False, server_default='25'))
        batch_op.add_column(sa.Column('invitation_days', sa.Integer(), nullable=False, server_default='7'))
        batch_op.add_column(sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('is_platform', sa.Boolean(), nullable=False, server_default=sa.false()))

    op.create_table(
        'plan_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('changed_by', sa.Integer(), nullable=True),
        sa.Column('changed_by_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('field', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('old_value', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('new_value', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['changed_by'], ['user.id']),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_plan_change_org_at', 'plan_change', ['organization_id', 'at'])
    op.create_table(
        'plan_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('requested_by', sa.Integer(), nullable=False),
        sa.Column('requested_by_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('handled_by_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id']),
        sa.ForeignKeyConstraint(['requested_by'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_plan_request_org_created', 'plan_request', ['organization_id', 'created_at'])

    op.create_table(
        'mailbox_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('mailbox_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column('mime', sqlmodel.sql.sqltypes.AutoString(length=127), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['mailbox_id'], ['mailbox_message.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('mailbox_id', 'position', name='uq_mailbox_attachment_position'),
    )
    op.create_index('ix_mailbox_attachment_mailbox_id', 'mailbox_attachment', ['mailbox_id'])

    # The search columns were lower-cased names; they become accent-free keys ("muller"
    # finds Müller) on SQLite and PostgreSQL alike.
    backfill_search_keys(op.get_bind())


def downgrade() -> None:
    op.drop_index('ix_mailbox_attachment_mailbox_id', table_name='mailbox_attachment')
    op.drop_table('mailbox_attachment')
    op.drop_index('ix_plan_request_org_created', table_name='plan_request')
    op.drop_table('plan_request')
    op.drop_index('ix_plan_change_org_at', table_name='plan_change')
    op.drop_table('plan_change')
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('is_platform')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('invitation_days')
        batch_op.drop_column('team_seats')
