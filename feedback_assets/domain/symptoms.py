"""The generic symptom lexicon: what customers say goes wrong ("crashes", "not syncing", "shows twice"),
independent of any product. It names offline signatures (``feature_<symptom>``) and makes an engine's
generic signature specific (``signatures``).

Pure: no Dagster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from feedback_assets.domain.text import PhraseIndex, StemIndex, phrase_stems


@dataclass(frozen=True)
class Symptom:
    token: str
    """snake_case suffix for a signature (``feature_<token>``)."""
    description: str
    root_cause: str
    phrases: tuple[tuple[str, ...], ...]


def _symptom(token: str, description: str, root_cause: str, *phrases: str) -> Symptom:
    return Symptom(token, description, root_cause, tuple(phrase_stems(p) for p in phrases))


# Generic failure vocabulary, most specific first (the first match wins on ties of frequency).
SYMPTOMS: tuple[Symptom, ...] = (
    _symptom(
        "crash",
        "the app crashes or closes unexpectedly",
        "an unhandled exception in the client on this path",
        "crash",
        "crashes",
        "crashing",
        "closes itself",
        "force close",
        "app closes",
        "keeps closing",
        "shuts down",
    ),
    _symptom(
        "not_syncing",
        "changes do not sync between systems",
        "the sync job fails or its connection/token has expired",
        "not syncing",
        "doesn't sync",
        "does not sync",
        "won't sync",
        "out of sync",
        "sync failed",
        "stopped syncing",
        "not sync",
        "sync error",
        "never sync",
    ),
    _symptom(
        "not_received",
        "expected messages or notifications never arrive",
        "delivery (push, email, webhook) fails silently for some accounts",
        "not receiving",
        "never received",
        "didn't receive",
        "did not receive",
        "don't receive",
        "never arrive",
        "never get",
        "not getting",
        "no notification",
        "didn't get",
        "never came",
    ),
    _symptom(
        "not_loading",
        "a page or screen does not load",
        "a failing request or timeout while loading this view",
        "won't load",
        "doesn't load",
        "does not load",
        "not loading",
        "blank page",
        "blank screen",
        "white screen",
        "spinning",
        "spinner",
        "loading forever",
        "stuck loading",
        "infinite loading",
    ),
    _symptom(
        "slow",
        "the feature is very slow or times out",
        "an unbounded query or missing pagination on large accounts",
        "slow",
        "takes forever",
        "timeout",
        "times out",
        "timed out",
        "lag",
        "laggy",
        "very long time",
    ),
    _symptom(
        "duplicated",
        "items appear twice",
        "a retry or double submit creates duplicate records",
        "duplicate",
        "duplicated",
        "duplicates",
        "appears twice",
        "appear twice",
        "shows up twice",
        "show up twice",
        "listed twice",
        "shown twice",
        "double",
        "doubled",
        "two copies",
        "copies",
    ),
    _symptom(
        "missing_data",
        "data that should be there is missing",
        "records dropped by a filter, a failed write or a time-zone boundary",
        "missing",
        "disappeared",
        "disappear",
        "vanished",
        "gone",
        "lost",
        "deleted itself",
        "empty",
        "not showing",
        "doesn't show",
        "does not show",
        "not appear",
        "doesn't appear",
        "blank",
    ),
    _symptom(
        "wrong_values",
        "values are calculated or shown incorrectly",
        "a calculation, rounding or time-zone conversion bug",
        "wrong",
        "incorrect",
        "inaccurate",
        "miscalculated",
        "off by",
        "doesn't add up",
        "not correct",
        "mismatch",
        "don't match",
        "doesn't match",
        "wrong time",
        "wrong amount",
    ),
    _symptom(
        "stuck",
        "a request or status stays stuck",
        "a state transition that never completes or never notifies the approver",
        "stuck",
        "pending",
        "hangs",
        "frozen",
        "freezes",
        "freeze",
        "never completes",
        "stays",
    ),
    _symptom(
        "logged_out",
        "users are logged out or cannot stay signed in",
        "sessions or tokens expire or are invalidated too early",
        "logged out",
        "logs me out",
        "log me out",
        "kicked out",
        "session expired",
    ),
    _symptom(
        "error",
        "an error message is shown",
        "a server-side error on this request path",
        "error",
        "errors",
        "error message",
        "500",
        "exception",
        "went wrong",
        "oops",
    ),
    _symptom(
        "fails",
        "the action fails or does not work",
        "the action's request fails or is rejected",
        "fail",
        "fails",
        "failed",
        "failing",
        "failure",
        "not working",
        "doesn't work",
        "does not work",
        "won't work",
        "isn't working",
        "broken",
        "stopped working",
        "can't",
        "cannot",
        "unable",
        "won't let",
        "doesn't let",
        "does nothing",
        "nothing happens",
        "not work",
    ),
)

FAILS_SYMPTOM = SYMPTOMS[-1]
HOW_TO_SYMPTOM = Symptom(
    "unclear", "customers cannot find how to do this", "discoverability or documentation gap", ()
)
FEATURE_REQUEST_SYMPTOM = Symptom(
    "not_supported", "the product does not offer this capability", "capability not implemented yet", ()
)
SYMPTOM_TOKENS = frozenset(s.token for s in SYMPTOMS) | {HOW_TO_SYMPTOM.token, FEATURE_REQUEST_SYMPTOM.token}
SYMPTOM_STEMS = frozenset(stem_ for s in SYMPTOMS for phrase in s.phrases for stem_ in phrase)


_SYMPTOM_INDEX = PhraseIndex((number, phrase) for number, s in enumerate(SYMPTOMS) for phrase in s.phrases)


def detect_symptoms(index: StemIndex) -> list[Symptom]:
    """Symptoms the text mentions, most specific first (lexicon order)."""
    numbers = sorted({number for _, number, _ in _SYMPTOM_INDEX.matches(index)})
    return [SYMPTOMS[number] for number in numbers]


def main_symptom(indexes: Sequence[StemIndex]) -> Symptom | None:
    """The symptom mentioned by most of the texts; ties go to the more specific (earlier) lexicon entry."""
    return most_common_symptom([detect_symptoms(index) for index in indexes])


def most_common_symptom(mentions: Sequence[Sequence[Symptom]]) -> Symptom | None:
    """The symptom in most of the lists; ties go to the more specific (earlier) lexicon entry."""
    counts = {symptom.token: 0 for symptom in SYMPTOMS}
    for symptoms in mentions:
        for symptom in symptoms:
            counts[symptom.token] += 1
    best = max(SYMPTOMS, key=lambda s: (counts[s.token], -SYMPTOMS.index(s)))
    return best if counts[best.token] else None
