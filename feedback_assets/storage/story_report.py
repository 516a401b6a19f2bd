"""The stories of one pipeline run as a PM reads them: ranked, with their quotes and when they were seen.

``story_report(engine, run_id)`` yields one dict per story, most pressing first: the ``priority`` level
(critical, high, normal, low), then ``conversation_count`` descending, then ``priority_score`` descending
(NULL last), then ``title``, then ``id`` (so the order is total). Candidate stories only, unless
``include_orphans=True``; ``limit`` keeps the first N.

Each dict holds the story's columns (``id``, ``pipeline_run_id``, ``issue_signature``, ``title``,
``description``, ``product_area``, ``component``, ``status``, ``priority``, ``priority_score``,
``conversation_count``, ``symptoms``) and:

* ``evidence`` — the excerpts, in ``excerpt_rank`` order: at most ``MAX_EXCERPTS`` items of
  ``{"conversation_id", "rank", "excerpt", "created_at"}``, each excerpt at most 500 characters (the
  ``story_evidence`` rows that carry one; the stories step sets at most five, the query keeps ranks 1–5).
* ``first_seen`` / ``last_seen`` — the earliest and the latest ``created_at`` of the story's conversations
  (when customers *wrote in* about it; ``updated_at`` moves with every support reply, so it says less about
  the issue). NULL only for a story without evidence rows, which the checks refuse.
* ``conversation_types`` — ``{final_type: conversations}`` over the story's themes (what a tracker's story
  type is derived from).
* ``affected_customers`` — the number of distinct ``conversations.customer_id`` (the Intercom contact,
  else the opening author's id) among the story's conversations that name one; ``None`` when none does
  (rows written before that column existed, inputs without contacts or author ids), and always ``None``
  on a schema without the column. ``conversation_count`` is then the upper bound.

One query, streamed (a server-side cursor on PostgreSQL, ``DEFAULT_READ_CHUNK`` rows at a time): the stories
come joined with their ≤ 5 excerpt rows and with one aggregate over their evidence (first/last seen and the
type counts), so memory holds a chunk and one story's quotes, whatever the run's size.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any, Iterator

from sqlalchemy import Engine, and_, case, func, literal, select

from feedback_assets.domain.stories import MAX_EXCERPTS, PRIORITY_THRESHOLDS
from feedback_assets.storage.partitions import DEFAULT_READ_CHUNK, stream_rows
from feedback_assets.storage.runs import parse_run_id
from feedback_assets.storage.schema import CONVERSATION_TYPES, conversations, stories, story_evidence, themes

# ``conversations.customer_id`` arrives with migration 0005; until then affected customers are unknown.
_CUSTOMER_ID = conversations.c.get("customer_id")

STORY_COLUMNS = (
    "id",
    "pipeline_run_id",
    "issue_signature",
    "title",
    "description",
    "product_area",
    "component",
    "status",
    "priority",
    "priority_score",
    "conversation_count",
    "symptoms",
)
"""The ``stories`` columns every report item carries, in this order."""



def _ranking(columns) -> tuple:
    """Most pressing first: the priority level (critical, high, normal, low), then the larger story, then the
    finer score, then title and id (a total order). A PM reads sizes falling within each level."""
    levels = [level for level, _ in PRIORITY_THRESHOLDS]
    level_rank = case({level: position for position, level in enumerate(levels)}, value=columns.priority, else_=len(levels))
    return (
        level_rank,
        columns.conversation_count.desc(),
        columns.priority_score.desc().nulls_last(),
        columns.title,
        columns.id,
    )


def _type_column(conversation_type: str) -> str:
    return f"type_{conversation_type}"


def story_report(
    engine: Engine,
    run_id: int | str,
    *,
    include_orphans: bool = False,
    limit: int | None = None,
    chunk_size: int = DEFAULT_READ_CHUNK,
) -> Iterator[dict[str, Any]]:
    """Run ``run_id``'s stories, ranked, with their evidence (see the module docstring). A generator: the
    query runs when the first story is asked for. The run's existence is not checked here (an unknown run
    has no stories); callers that must tell the two apart look the run up first (``get_run``)."""
    run = parse_run_id(run_id)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be a positive integer or None, got {limit!r}")
    ranking = _ranking(stories.c)
    picked = select(*(stories.c[name] for name in STORY_COLUMNS)).where(stories.c.pipeline_run_id == run)
    if not include_orphans:
        picked = picked.where(stories.c.status == "candidate")
    if limit is not None:
        picked = picked.order_by(*ranking).limit(limit)
    picked = picked.cte("picked")

    # One pass over the picked stories' evidence: when their conversations were opened, and their types.
    seen = (
        select(
            story_evidence.c.story_id,
            func.min(conversations.c.created_at).label("first_seen"),
            func.max(conversations.c.created_at).label("last_seen"),
            (
                func.count(func.distinct(_CUSTOMER_ID)) if _CUSTOMER_ID is not None else literal(0)
            ).label("affected_customers"),
            *(
                func.sum(case((themes.c.final_type == name, 1), else_=0)).label(_type_column(name))
                for name in CONVERSATION_TYPES
            ),
        )
        .select_from(story_evidence)
        .join(picked, picked.c.id == story_evidence.c.story_id)
        .join(
            conversations,
            and_(
                conversations.c.pipeline_run_id == story_evidence.c.pipeline_run_id,
                conversations.c.conversation_id == story_evidence.c.conversation_id,
            ),
        )
        .outerjoin(
            themes,
            and_(
                themes.c.pipeline_run_id == story_evidence.c.pipeline_run_id,
                themes.c.conversation_id == story_evidence.c.conversation_id,
            ),
        )
        .where(story_evidence.c.pipeline_run_id == run)
        .group_by(story_evidence.c.story_id)
        .subquery("seen")
    )
    quoted = story_evidence.alias("quoted")
    quoted_conversation = conversations.alias("quoted_conversation")
    query = (
        select(
            *(picked.c[name] for name in STORY_COLUMNS),
            seen.c.first_seen,
            seen.c.last_seen,
            seen.c.affected_customers,
            *(seen.c[_type_column(name)] for name in CONVERSATION_TYPES),
            quoted.c.conversation_id.label("evidence_conversation_id"),
            quoted.c.excerpt_rank.label("evidence_rank"),
            quoted.c.excerpt.label("evidence_excerpt"),
            quoted_conversation.c.created_at.label("evidence_created_at"),
        )
        .select_from(picked)
        .outerjoin(seen, seen.c.story_id == picked.c.id)
        .outerjoin(
            quoted,
            and_(
                quoted.c.story_id == picked.c.id,
                quoted.c.pipeline_run_id == run,
                quoted.c.excerpt_rank.is_not(None),
                quoted.c.excerpt_rank <= MAX_EXCERPTS,
                quoted.c.excerpt.is_not(None),
            ),
        )
        .outerjoin(
            quoted_conversation,
            and_(
                quoted_conversation.c.pipeline_run_id == quoted.c.pipeline_run_id,
                quoted_conversation.c.conversation_id == quoted.c.conversation_id,
            ),
        )
        .order_by(
            *_ranking(picked.c),
            quoted.c.excerpt_rank,
        )
    )
    return _assemble(stream_rows(engine, query, chunk_size))


def _assemble(chunks: Iterator[list[dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """Fold the joined rows (one per excerpt, or one per story without any) into one dict per story."""
    rows = (row for chunk in chunks for row in chunk)
    for _story_id, group in groupby(rows, key=lambda row: row["id"]):
        first = next(group)
        story = {name: first[name] for name in STORY_COLUMNS}
        story["symptoms"] = list(story["symptoms"] or [])
        story["first_seen"] = first["first_seen"]
        story["last_seen"] = first["last_seen"]
        story["affected_customers"] = int(first["affected_customers"] or 0) or None  # 0: no customer ids
        story["conversation_types"] = {
            name: int(first[_type_column(name)])
            for name in CONVERSATION_TYPES
            if first[_type_column(name)]
        }
        story["evidence"] = [
            {
                "conversation_id": row["evidence_conversation_id"],
                "rank": row["evidence_rank"],
                "excerpt": row["evidence_excerpt"],
                "created_at": row["evidence_created_at"],
            }
            for row in (first, *group)
            if row["evidence_conversation_id"] is not None
        ]
        yield story
