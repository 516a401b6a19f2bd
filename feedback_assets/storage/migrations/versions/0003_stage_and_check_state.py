"""Run state that survives the process: ``completed_stages`` (stages whose rows are completely written)
and ``check_results`` (latest outcome of each blocking asset check) on ``pipeline_runs``.

Both nullable: a run written before this revision shows no completed stage, so ``resume`` re-runs it
from the start.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('pipeline_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completed_stages', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('check_results', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pipeline_runs', schema=None) as batch_op:
        batch_op.drop_column('check_results')
        batch_op.drop_column('completed_stages')
