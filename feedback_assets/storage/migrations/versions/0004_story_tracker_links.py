"""story_tracker_links: which tracker story (Shortcut) each pipeline run's story was pushed to.

Key (pipeline_run_id, story_id, tracker); deleted with its run (ON DELETE CASCADE) but not tied to
``stories`` by a foreign key, so re-materialising a run's stories (same deterministic ids) keeps its links.
The (tracker, issue_signature, pipeline_run_id) index serves "the tracker story this signature went to last".

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('story_tracker_links',
    sa.Column('pipeline_run_id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.String(length=36), nullable=False),
    sa.Column('tracker', sa.String(length=16), nullable=False),
    sa.Column('issue_signature', sa.String(length=128), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('external_url', sa.Text(), nullable=True),
    sa.Column('payload_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('pushed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pipeline_run_id'], ['pipeline_runs.id'], name=op.f('fk_story_tracker_links_pipeline_run_id_pipeline_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pipeline_run_id', 'story_id', 'tracker', name=op.f('pk_story_tracker_links'))
    )
    with op.batch_alter_table('story_tracker_links', schema=None) as batch_op:
        batch_op.create_index(
            'ix_story_tracker_links_signature', ['tracker', 'issue_signature', 'pipeline_run_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('story_tracker_links', schema=None) as batch_op:
        batch_op.drop_index('ix_story_tracker_links_signature')

    op.drop_table('story_tracker_links')
