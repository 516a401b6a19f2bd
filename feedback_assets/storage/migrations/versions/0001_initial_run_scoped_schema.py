"""Initial run-scoped schema: pipeline_runs and the five run-scoped contract tables.

Every run-scoped key starts with pipeline_run_id (NOT NULL, FK to pipeline_runs); derived tables reference
conversations of their own run through composite foreign keys (DESIGN.md invariants 1 and 2).

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pipeline_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
    sa.Column('trigger', sa.String(length=16), server_default='manual', nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('source_params', sa.JSON(), nullable=True),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('max_conversations', sa.Integer(), nullable=True),
    sa.Column('batch_size', sa.Integer(), nullable=False),
    sa.Column('engine', sa.String(length=32), server_default='offline', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('dagster_run_id', sa.String(length=64), nullable=True),
    sa.Column('conversations_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('classified_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('failures_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('themes_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('stories_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('input_tokens', sa.Integer(), server_default='0', nullable=False),
    sa.Column('output_tokens', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cache_read_tokens', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cache_write_tokens', sa.Integer(), server_default='0', nullable=False),
    sa.Column('estimated_cost_usd', sa.Float(), server_default='0', nullable=False),
    sa.CheckConstraint("status IS NULL OR status IN ('pending', 'running', 'succeeded', 'failed', 'canceled')", name=op.f('ck_pipeline_runs_status')),
    sa.CheckConstraint("trigger IS NULL OR trigger IN ('manual', 'sensor', 'schedule', 'import')", name=op.f('ck_pipeline_runs_trigger')),
    sa.CheckConstraint('batch_size > 0', name=op.f('ck_pipeline_runs_positive_batch_size')),
    sa.CheckConstraint('id > 0', name=op.f('ck_pipeline_runs_positive_id')),
    sa.CheckConstraint('max_conversations IS NULL OR max_conversations > 0', name=op.f('ck_pipeline_runs_positive_max')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pipeline_runs')),
    # Never reuse a deleted run's id on SQLite: ids are Dagster partition keys.
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('pipeline_runs', schema=None) as batch_op:
        batch_op.create_index('ix_pipeline_runs_status', ['status'], unique=False)

    op.create_table('conversations',
    sa.Column('pipeline_run_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_type', sa.String(length=32), nullable=True),
    sa.Column('delivered_as', sa.String(length=64), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('support_messages', sa.JSON(), nullable=False),
    sa.Column('customer_messages', sa.JSON(), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=True),
    sa.Column('quality_pass', sa.Boolean(), nullable=False),
    sa.Column('quality_reason', sa.String(length=64), nullable=True),
    sa.CheckConstraint('quality_pass OR quality_reason IS NOT NULL', name=op.f('ck_conversations_rejection_has_reason')),
    sa.ForeignKeyConstraint(['pipeline_run_id'], ['pipeline_runs.id'], name=op.f('fk_conversations_pipeline_run_id_pipeline_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pipeline_run_id', 'conversation_id', name=op.f('pk_conversations'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index('ix_conversations_conversation_id', ['conversation_id', 'pipeline_run_id'], unique=False)

    op.create_table('stories',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('pipeline_run_id', sa.Integer(), nullable=False),
    sa.Column('issue_signature', sa.String(length=128), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('product_area', sa.String(length=64), nullable=True),
    sa.Column('component', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('conversation_count', sa.Integer(), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('priority_score', sa.Float(), nullable=True),
    sa.Column('symptoms', sa.JSON(), nullable=True),
    sa.CheckConstraint("status IS NULL OR status IN ('candidate', 'orphan')", name=op.f('ck_stories_status')),
    sa.CheckConstraint('conversation_count > 0', name=op.f('ck_stories_positive_count')),
    sa.ForeignKeyConstraint(['pipeline_run_id'], ['pipeline_runs.id'], name=op.f('fk_stories_pipeline_run_id_pipeline_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')),
    sa.UniqueConstraint('id', 'pipeline_run_id', name=op.f('uq_stories_id_pipeline_run_id')),
    sa.UniqueConstraint('pipeline_run_id', 'issue_signature', name=op.f('uq_stories_pipeline_run_id_issue_signature'))
    )
    op.create_table('classifications',
    sa.Column('pipeline_run_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('stage1_type', sa.String(length=32), nullable=True),
    sa.Column('stage1_confidence', sa.String(length=8), nullable=True),
    sa.Column('urgency', sa.String(length=16), nullable=True),
    sa.Column('routing_team', sa.String(length=64), nullable=True),
    sa.Column('auto_response_eligible', sa.Boolean(), nullable=True),
    sa.Column('key_signals', sa.JSON(), nullable=True),
    sa.Column('stage2_type', sa.String(length=32), nullable=True),
    sa.Column('stage2_confidence', sa.String(length=8), nullable=True),
    sa.Column('classification_changed', sa.Boolean(), nullable=True),
    sa.Column('disambiguation_level', sa.String(length=8), nullable=True),
    sa.Column('customer_said', sa.Text(), nullable=True),
    sa.Column('support_revealed', sa.Text(), nullable=True),
    sa.Column('support_insights', sa.JSON(), nullable=True),
    sa.Column('resolution_action', sa.String(length=64), nullable=True),
    sa.Column('resolution_category', sa.String(length=64), nullable=True),
    sa.Column('resolution_suggested_type', sa.String(length=32), nullable=True),
    sa.Column('final_type', sa.String(length=32), nullable=True),
    sa.Column('engine', sa.String(length=32), nullable=False),
    sa.Column('model', sa.String(length=128), nullable=True),
    sa.Column('prompt_version', sa.String(length=32), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.CheckConstraint("disambiguation_level IS NULL OR disambiguation_level IN ('high', 'medium', 'low', 'none')", name=op.f('ck_classifications_disambiguation')),
    sa.CheckConstraint("final_type IS NULL OR final_type IN ('product_issue', 'how_to_question', 'feature_request', 'account_issue', 'billing_question', 'configuration_help', 'general_inquiry', 'spam')", name=op.f('ck_classifications_final_type')),
    sa.CheckConstraint("stage1_confidence IS NULL OR stage1_confidence IN ('high', 'medium', 'low')", name=op.f('ck_classifications_stage1_confidence')),
    sa.CheckConstraint("stage1_type IS NULL OR stage1_type IN ('product_issue', 'how_to_question', 'feature_request', 'account_issue', 'billing_question', 'configuration_help', 'general_inquiry', 'spam')", name=op.f('ck_classifications_stage1_type')),
    sa.CheckConstraint("stage2_confidence IS NULL OR stage2_confidence IN ('high', 'medium', 'low')", name=op.f('ck_classifications_stage2_confidence')),
    sa.CheckConstraint("stage2_type IS NULL OR stage2_type IN ('product_issue', 'how_to_question', 'feature_request', 'account_issue', 'billing_question', 'configuration_help', 'general_inquiry', 'spam')", name=op.f('ck_classifications_stage2_type')),
    sa.CheckConstraint("urgency IS NULL OR urgency IN ('critical', 'high', 'normal', 'low')", name=op.f('ck_classifications_urgency')),
    sa.CheckConstraint('final_type IS NOT NULL OR error IS NOT NULL', name=op.f('ck_classifications_classified_or_failed')),
    sa.ForeignKeyConstraint(['pipeline_run_id', 'conversation_id'], ['conversations.pipeline_run_id', 'conversations.conversation_id'], name=op.f('fk_classifications_pipeline_run_id_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pipeline_run_id'], ['pipeline_runs.id'], name=op.f('fk_classifications_pipeline_run_id_pipeline_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pipeline_run_id', 'conversation_id', name=op.f('pk_classifications'))
    )
    op.create_table('story_evidence',
    sa.Column('story_id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('pipeline_run_id', sa.Integer(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=True),
    sa.Column('excerpt_rank', sa.Integer(), nullable=True),
    sa.CheckConstraint('excerpt IS NULL OR length(excerpt) <= 500', name=op.f('ck_story_evidence_excerpt_length')),
    sa.ForeignKeyConstraint(['pipeline_run_id', 'conversation_id'], ['conversations.pipeline_run_id', 'conversations.conversation_id'], name=op.f('fk_story_evidence_pipeline_run_id_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pipeline_run_id'], ['pipeline_runs.id'], name=op.f('fk_story_evidence_pipeline_run_id_pipeline_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id', 'pipeline_run_id'], ['stories.id', 'stories.pipeline_run_id'], name=op.f('fk_story_evidence_story_id_pipeline_run_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'conversation_id', name=op.f('pk_story_evidence'))
    )
    with op.batch_alter_table('story_evidence', schema=None) as batch_op:
        batch_op.create_index('ix_story_evidence_run', ['pipeline_run_id', 'conversation_id'], unique=False)

    op.create_table('themes',
    sa.Column('pipeline_run_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('product_area', sa.String(length=64), nullable=True),
    sa.Column('component', sa.String(length=64), nullable=True),
    sa.Column('issue_signature', sa.String(length=128), nullable=True),
    sa.Column('user_intent', sa.Text(), nullable=True),
    sa.Column('symptoms', sa.JSON(), nullable=True),
    sa.Column('affected_flow', sa.Text(), nullable=True),
    sa.Column('root_cause_hypothesis', sa.Text(), nullable=True),
    sa.Column('matched_vocabulary', sa.Boolean(), nullable=True),
    sa.Column('final_type', sa.String(length=32), nullable=True),
    sa.Column('engine', sa.String(length=32), nullable=False),
    sa.Column('model', sa.String(length=128), nullable=True),
    sa.Column('prompt_version', sa.String(length=32), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.CheckConstraint('issue_signature IS NOT NULL OR error IS NOT NULL', name=op.f('ck_themes_themed_or_failed')),
    sa.ForeignKeyConstraint(['pipeline_run_id', 'conversation_id'], ['conversations.pipeline_run_id', 'conversations.conversation_id'], name=op.f('fk_themes_pipeline_run_id_conversation_id_conversations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pipeline_run_id'], ['pipeline_runs.id'], name=op.f('fk_themes_pipeline_run_id_pipeline_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pipeline_run_id', 'conversation_id', name=op.f('pk_themes'))
    )
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.create_index('ix_themes_signature', ['pipeline_run_id', 'issue_signature'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_index('ix_themes_signature')

    op.drop_table('themes')
    with op.batch_alter_table('story_evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_story_evidence_run')

    op.drop_table('story_evidence')
    op.drop_table('classifications')
    op.drop_table('stories')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_conversation_id')

    op.drop_table('conversations')
    with op.batch_alter_table('pipeline_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_pipeline_runs_status')

    op.drop_table('pipeline_runs')
