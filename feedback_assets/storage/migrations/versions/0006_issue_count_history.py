"""pruned_runs and issue_count_history: what is kept of a pipeline run that `feedback-assets prune` removed.

pruned_runs: one row per pruned run, keyed by the run's own id (not generated; run ids are never reused),
with what trends need (status, source, window, created_at, classified_count) and the rows the prune
removed. issue_count_history: one row per story group of that run (signature as written, canonical
signature, title, status, conversation count), referencing pruned_runs. Neither references pipeline_runs:
the run is gone.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pruned_runs',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('source_params', sa.JSON(), nullable=True),
    sa.Column('engine', sa.String(length=32), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('conversations_count', sa.Integer(), nullable=False),
    sa.Column('classified_count', sa.Integer(), nullable=False),
    sa.Column('stories_count', sa.Integer(), nullable=False),
    sa.Column('estimated_cost_usd', sa.Float(), nullable=False),
    sa.Column('rows_removed', sa.JSON(), nullable=False),
    sa.Column('pruned_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('id > 0', name=op.f('ck_pruned_runs_positive_id')),
    sa.CheckConstraint("status IN ('pending', 'running', 'succeeded', 'failed', 'canceled')", name=op.f('ck_pruned_runs_status')),
    sa.CheckConstraint("trigger IN ('manual', 'sensor', 'schedule', 'import')", name=op.f('ck_pruned_runs_trigger')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pruned_runs'))
    )
    op.create_table('issue_count_history',
    sa.Column('pipeline_run_id', sa.Integer(), nullable=False),
    sa.Column('issue_signature', sa.String(length=128), nullable=False),
    sa.Column('canonical_signature', sa.String(length=128), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('conversation_count', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=True),
    sa.CheckConstraint("status IN ('candidate', 'orphan')", name=op.f('ck_issue_count_history_status')),
    sa.CheckConstraint('conversation_count > 0', name=op.f('ck_issue_count_history_positive_count')),
    sa.ForeignKeyConstraint(['pipeline_run_id'], ['pruned_runs.id'], name=op.f('fk_issue_count_history_pipeline_run_id_pruned_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pipeline_run_id', 'issue_signature', name=op.f('pk_issue_count_history'))
    )
    with op.batch_alter_table('issue_count_history', schema=None) as batch_op:
        batch_op.create_index(
            'ix_issue_count_history_canonical', ['canonical_signature', 'pipeline_run_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('issue_count_history', schema=None) as batch_op:
        batch_op.drop_index('ix_issue_count_history_canonical')

    op.drop_table('issue_count_history')
    op.drop_table('pruned_runs')
