"""Where conversations come from: the bundled sample, JSONL files, or the Intercom API.

``build_source(name, **options)`` returns an object with ``fetch(window_start, window_end,
max_conversations) -> SourceFetch``, ``count_new(after) -> int`` and ``describe() -> dict``; the
contract they share is documented in ``sources.base``. No Dagster import.
"""

from __future__ import annotations

from typing import Any

from feedback_assets import settings
from feedback_assets.sources.base import (
    ConversationSource,
    SourceAuthError,
    SourceConfigError,
    SourceError,
    SourceFailure,
    SourceFetch,
    SourceRequestError,
)
from feedback_assets.sources.intercom import IntercomSource
from feedback_assets.sources.retry import RetryPolicy
from feedback_assets.sources.jsonl import JsonlSource

SOURCE_NAMES = ("sample", "jsonl", "intercom")


def build_source(name: str, **options: Any) -> ConversationSource:
    """The source called ``name``:

    * ``sample`` — the bundled ``settings.SAMPLE_CONVERSATIONS`` file (``path=`` overrides it);
    * ``jsonl`` — ``path=`` a ``.jsonl`` file or a folder of them (required);
    * ``intercom`` — ``IntercomSource`` options: ``access_token`` (default ``INTERCOM_ACCESS_TOKEN``),
      ``base_url`` (``INTERCOM_BASE_URL``), ``intercom_version``, ``per_page``, ``concurrency``,
      ``timeout``, ``retry``.

    Unknown names, missing paths and unknown options raise ``SourceConfigError``.
    """
    if name == "sample":
        path = options.pop("path", None) or settings.SAMPLE_CONVERSATIONS
        return _construct("sample", JsonlSource, path, name="sample", **options)
    if name == "jsonl":
        path = options.pop("path", None)
        if not path:
            raise SourceConfigError("the jsonl source needs path= (a .jsonl file or a folder of .jsonl files)")
        return _construct("jsonl", JsonlSource, path, name="jsonl", **options)
    if name == "intercom":
        return _construct("intercom", IntercomSource, **options)
    raise SourceConfigError(f"unknown source {name!r}; choose one of {', '.join(SOURCE_NAMES)}")


def _construct(label: str, factory: Any, *args: Any, **options: Any) -> ConversationSource:
    try:
        return factory(*args, **options)
    except TypeError as error:
        if "unexpected keyword argument" not in str(error):
            raise
        raise SourceConfigError(f"{label} source: {error}") from None


__all__ = [
    "SOURCE_NAMES",
    "ConversationSource",
    "IntercomSource",
    "JsonlSource",
    "RetryPolicy",
    "SourceAuthError",
    "SourceConfigError",
    "SourceError",
    "SourceFailure",
    "SourceFetch",
    "SourceRequestError",
    "build_source",
]
