"""A second, unrelated request tacked onto a message: where it starts, so the type is read from the first one.

Customers often add a second question once they have written in ("…nothing after 3 Nov has come in. Also,
while I'm here, is there a way to hide my old account?"). The conversation is about the first request — that
is what a person labelling it goes by — but the aside's cues counted as much as the report's, and a how-to
aside turned defect reports into how-to questions. The aside starts at a sentence that opens with an explicit
change of subject ("separately", "unrelated", "second question", "one more thing", "also, while I'm here",
"P.S."…); a bare "also" continues the same report and is not one. Discourse markers, not product words:
nothing here depends on the product.

The offline classifier reads the first request only (``classifier.customer_text``). Grouping still reads the
whole message: grouping the first request only was measured on the dev set where asides occur (Billfold, five
messages) and moved its pairwise F1 by −0.03…+0.01 across thresholds, no better.

Pure: no Dagster.
"""

from __future__ import annotations

import re

_ASIDE_START = re.compile(
    r"(?:^|(?<=[.!?\n:;)]))\s*(?:\(?\d[.)]\s*)?(?:and\s+|oh,?\s+|ah,?\s+)?(?:"
    r"(?:also|and),?\s+(?:a\s+)?(?:quick|small|side|different|separate|unrelated|other)\s+"
    r"(?:one|question|thing)"
    r"|(?:(?:also|and),?\s+)?while\s+i'?m\s+(?:here|at\s+it)"
    r"|separately|unrelated(?:ly)?|on\s+(?:an)?other\s+note|on\s+a\s+(?:different|separate|side)\s+note"
    r"|(?:a\s+|my\s+)?(?:second|another|other|different|separate|unrelated|last)\s+"
    r"(?:question|thing|issue|request|point)"
    r"|one\s+more\s+(?:thing|question)|one\s+last\s+(?:thing|question)|(?:a\s+)?quick\s+(?:side\s+)?question"
    r"|p\.\s?s\.?|ps:|btw|by\s+the\s+way"
    r"|otra\s+pregunta|aparte|autre\s+question|par\s+ailleurs|andere\s+frage|außerdem\s+noch|outra\s+pergunta"
    r")\b",
    re.IGNORECASE,
)
MIN_FIRST_REQUEST_CHARS = 40
"""An aside needs a first request before it: a marker in the first few words opens the message itself."""


def first_request(text: str) -> str:
    """``text`` up to the start of an unrelated second request (see the module docstring); the whole text
    when it has none."""
    for match in _ASIDE_START.finditer(text):
        if match.start() >= MIN_FIRST_REQUEST_CHARS:
            return text[: match.start()].rstrip()
    return text
