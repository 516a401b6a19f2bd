"""Pay once: input_hash and reused_from_run on classifications and themes, the engine's own signature on
themes, and the (conversation_id, input_hash, pipeline_run_id) indexes of the reuse lookup.

All columns are nullable: rows written before this revision have no input hash and are never reused.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('classifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('input_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reused_from_run', sa.Integer(), nullable=True))
        batch_op.create_index(
            'ix_classifications_reuse', ['conversation_id', 'input_hash', 'pipeline_run_id'], unique=False
        )

    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('input_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reused_from_run', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('engine_issue_signature', sa.String(length=128), nullable=True))
        batch_op.create_index('ix_themes_reuse', ['conversation_id', 'input_hash', 'pipeline_run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_index('ix_themes_reuse')
        batch_op.drop_column('engine_issue_signature')
        batch_op.drop_column('reused_from_run')
        batch_op.drop_column('input_hash')

    with op.batch_alter_table('classifications', schema=None) as batch_op:
        batch_op.drop_index('ix_classifications_reuse')
        batch_op.drop_column('reused_from_run')
        batch_op.drop_column('input_hash')
