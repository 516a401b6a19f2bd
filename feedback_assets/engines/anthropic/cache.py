"""One prompt-cache prefix shared by every stage, long enough for every configured model's minimum.

The ``system`` parameter of every call is ``[shared text + cache breakpoint, stage task]``: the breakpoint
sits after the shared text (role, data rules, enumerations, signature rules, product taxonomy), not after
the stage's own instructions, so all stages on one model — stage 2, themes and the story review, all on
Sonnet by default — read one cache entry instead of writing one each. (The cache is per model, and tool
definitions come before ``system`` in the cached prefix: stage 1's forced tool on Haiku has its own entry.)

The prompt cache silently ignores a prefix shorter than the model's minimum (``capabilities``
``cache_min_tokens``). ``shared_prefix`` estimates the prefix conservatively (``CHARS_PER_TOKEN`` = 5, more
characters per token than Claude's tokenizer gives on English or JSON, so the estimate is low) and, when it
falls short of the largest minimum among the configured models, pads it with an inert block up to the
minimum, logging a warning; a minimum beyond ``MAX_PADDED_TOKENS`` is only warned about. Reading a padded
prefix from the cache costs a tenth of the input price, less than sending a shorter prefix uncached.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Iterable

from feedback_assets.engines.anthropic.capabilities import capabilities

log = logging.getLogger(__name__)

CHARS_PER_TOKEN = 5
MAX_PADDED_TOKENS = 8192
PADDING_HEAD = (
    "<cache_padding>\nThis block only lengthens the shared prefix to the prompt cache's minimum length. It "
    "carries no instruction and no data; ignore it.\n"
)
PADDING_TAIL = "\n</cache_padding>"


def estimated_tokens(text: str) -> int:
    """A low estimate of the tokens in ``text`` (so a prefix estimated at the minimum really reaches it)."""
    return len(text) // CHARS_PER_TOKEN


@dataclass(frozen=True)
class CachePrefix:
    text: str
    estimated_tokens: int
    minimum_tokens: int
    minimum_model: str
    padded: bool
    warning: str | None = None

    def as_metadata(self) -> dict[str, Any]:
        return {
            "cache_prefix_tokens_estimated": self.estimated_tokens,
            "cache_min_tokens": self.minimum_tokens,
            "cache_min_model": self.minimum_model,
            "cache_prefix_padded": self.padded,
        }


def _padding(chars: int) -> str:
    lines, size, number = [], len(PADDING_HEAD) + len(PADDING_TAIL), 1
    while size < chars:
        line = f"padding line {number:05d}"
        lines.append(line)
        size += len(line) + 1
        number += 1
    return PADDING_HEAD + "\n".join(lines) + PADDING_TAIL


def shared_prefix(shared_text: str, models: Iterable[str]) -> CachePrefix:
    """The shared system text, padded when it is shorter than the largest cache minimum of ``models``."""
    minimum, model = max((capabilities(name).cache_min_tokens, name) for name in models)
    estimate = estimated_tokens(shared_text)
    if estimate >= minimum:
        return CachePrefix(shared_text, estimate, minimum, model, padded=False)
    if minimum > MAX_PADDED_TOKENS:
        warning = (
            f"the shared prompt prefix (~{estimate} tokens) is below {model}'s cache minimum of {minimum} "
            "tokens: it will not be cached"
        )
        log.warning(warning)
        return CachePrefix(shared_text, estimate, minimum, model, padded=False, warning=warning)
    text = shared_text + "\n\n" + _padding((minimum - estimate) * CHARS_PER_TOKEN + CHARS_PER_TOKEN)
    warning = (
        f"the shared prompt prefix (~{estimate} tokens, a small taxonomy?) is below {model}'s cache minimum "
        f"of {minimum} tokens: padded to ~{estimated_tokens(text)} tokens so it is cached"
    )
    log.warning(warning)
    return CachePrefix(text, estimated_tokens(text), minimum, model, padded=True, warning=warning)
