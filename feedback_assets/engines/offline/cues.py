"""Generic language cues for the offline engine: which phrases point to which conversation type, and which
make a message urgent.

Nothing here is about a particular product: type cues are organised in families by what the customer is
doing (``TYPE_CUE_FAMILIES``): reporting that something broke, asking how, asking for something new, asking
about their own charges or plan, having an account or access problem, setting something up, asking about the
vendor, and spam (English first, the most common phrasings in Spanish, French, German and Portuguese after).
No cue quotes the sample generator's phrase pools or fits one bundled product. Cues that name a thing
(``Cue.topical``: invoice, plan, password, settings) are muted where the run's own product vocabulary
covers them (``domain.vocabulary``); a bare money noun is weak evidence, money talk about the customer's own
account with the vendor strong. Each cue has a weight; a type's score is the sum of the weights of its
distinct cues found in the text. ``fallback_type`` reads the shape of a message no cue
speaks for. Every cue is indexed by literal words each of its matches contains (``_anchors``), so a
message only runs the regexes of cues whose words it has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# Types in the order that breaks ties between equal scores: the more specific, more actionable reading first.
TYPE_PRIORITY: tuple[str, ...] = (
    "spam",
    "account_issue",
    "billing_question",
    "product_issue",
    "feature_request",
    "configuration_help",
    "how_to_question",
    "general_inquiry",
)


@dataclass(frozen=True)
class Cue:
    label: str
    weight: float
    pattern: re.Pattern[str]
    kind: str
    """The conversation type or urgency level the cue speaks for."""
    anchors: tuple[str, ...] | None
    """Literal text any match starts with, one of these (None: unknown); lets most cues skip the regex."""
    family: str = ""
    """The cue family (what the customer is doing) a type cue belongs to."""
    topical: bool = False
    """Whether the cue names a thing (invoice, plan, password, settings): muted where the run's product
    vocabulary covers every content word it matched (``domain.vocabulary``)."""


_META = set("\\()[]{}?*+.|^$")


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, start, escaped = [], 0, 0, False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:position])
            start = position + 1
    return [*parts, pattern[start:]]


def _group_end(pattern: str) -> int:
    """Index of the parenthesis closing the group that opens ``pattern``."""
    depth, escaped = 0, False
    for position, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return position
    raise ValueError(f"unbalanced group in cue {pattern!r}")


def _anchors(pattern: str) -> tuple[str, ...] | None:
    """Literal text one of which every match of ``pattern`` contains, each starting a word (so a cue is only
    tried on texts that contain one); None when some alternative has no such literal."""
    anchors: list[str] = []
    for alternative in _top_level_alternatives(pattern):
        found = _sequence_anchors(alternative)
        if found is None:
            return None
        anchors.extend(found)
    return tuple(anchors)


_QUANTIFIERS = "?*+{"


def _elements(sequence: str) -> list[tuple[str, str, str, int]]:
    """``sequence`` as (kind, text, quantifier, end offset) items: kind "group" (text = its content),
    "lookaround", "char" (one literal character) or "other" (a class, an escape class, a dot)."""
    items: list[tuple[str, str, str, int]] = []
    position = 0
    while position < len(sequence):
        char = sequence[position]
        if char == "(":
            close = position + _group_end(sequence[position:])
            body = sequence[position + 1 : close]
            if body.startswith(("?<=", "?<!", "?=", "?!")):
                kind, text = "lookaround", ""
            else:
                kind, text = "group", body[2:] if body.startswith("?:") else body
            position = close + 1
        elif char == "[":
            close = sequence.index("]", position + 2)
            kind, text, position = "other", "", close + 1
        elif char == "\\":
            escaped = sequence[position + 1]
            kind, text = ("other", "") if escaped.isalnum() else ("char", escaped)
            position += 2
        elif char in ".^$":
            kind, text, position = "other", "", position + 1
        else:
            kind, text, position = "char", char, position + 1
        quantifier = ""
        if position < len(sequence) and sequence[position] in _QUANTIFIERS:
            end = sequence.index("}", position) + 1 if sequence[position] == "{" else position + 1
            quantifier = sequence[position:end]
            position = end
            if position < len(sequence) and sequence[position] == "?":
                position += 1  # lazy
        items.append((kind, text, quantifier, position))
    return items


def _ends_outside_word(kind: str, text: str) -> bool:
    """Whether an item surely ends with a character that is not part of a word (so what follows it starts
    one); unsure counts as no."""
    if kind == "char":
        return not (text.isalnum() or text == "_")
    if kind == "group":
        for part in _top_level_alternatives(text):
            items = _elements(part)
            if not items or items[-1][2] or not _ends_outside_word(*items[-1][:2]):
                return False
        return True
    return False


def _sequence_anchors(sequence: str) -> tuple[str, ...] | None:
    """The most selective literal (the one whose shortest form is longest) among the required pieces of
    ``sequence`` that start a word; None when there is none."""
    items = _elements(sequence)
    candidates: list[tuple[str, ...]] = []
    at_word_start = True
    for number, (kind, text, quantifier, end) in enumerate(items):
        required = quantifier in ("", "+")
        ends_outside = _ends_outside_word(kind, text)
        if at_word_start and required:
            if kind == "group":
                inner = _anchors(text)
                if inner:
                    candidates.append(inner)
            elif kind == "char" and (text.isalnum() or text == "_"):
                literal = ""
                for next_kind, next_text, next_quantifier, _ in items[number:]:
                    if next_kind != "char" or next_quantifier not in ("", "+"):
                        break
                    literal += next_text
                    if next_quantifier:
                        break
                if len(literal) >= 2:
                    candidates.append((literal.lower(),))
        elif at_word_start and kind == "group" and not ends_outside:
            # An optional group glued to what follows ("(?:over)?charged"): a match starts with the group
            # or, without it, with what follows.
            inner, rest = _anchors(text), _sequence_anchors(sequence[end:])
            if inner and rest:
                candidates.append(inner + rest)
        if kind == "lookaround":
            continue  # zero width: the next item starts where this one is
        at_word_start = ends_outside if required else at_word_start and ends_outside
    if not candidates:
        return None
    return max(candidates, key=lambda anchors: min(len(anchor) for anchor in anchors))


def _cues(weight: float, *patterns: str, topical: bool = False) -> list[Cue]:
    return [
        Cue(
            p,
            weight,
            re.compile(r"(?<!\w)(?:" + p + r")(?!\w)", re.IGNORECASE),
            "",
            _anchors(p),
            topical=topical,
        )
        for p in patterns
    ]


def _of_kind(table: dict[str, list[Cue]]) -> CueSet:
    return CueSet([replace(cue, kind=kind) for kind, cues in table.items() for cue in cues])


@dataclass(frozen=True)
class CueFamily:
    """Cues for one thing a customer can be doing (asking how, reporting a defect, …), all for one type."""

    name: str
    kind: str
    """The conversation type its cues speak for."""
    doing: str
    cues: tuple[Cue, ...]


def _family(name: str, kind: str, doing: str, *groups: list[Cue]) -> CueFamily:
    return CueFamily(
        name, kind, doing, tuple(replace(cue, kind=kind, family=name) for group in groups for cue in group)
    )


_NEG = (
    r"(?:doesn'?t|does not|don'?t|do not|won'?t|will not|isn'?t|is not|aren'?t|are not|didn'?t|did not|"
    r"can'?t|cannot|couldn'?t|no longer|stopped|never)"
)

# Verbs of what software does for its user, for "doesn't <verb>": no product's own actions.
_SOFTWARE_VERBS = (
    r"(?:work|load|open|save|sync|updat|show|appear|display|calculat|respond|includ|count|apply|"
    r"applied|respect|remov|match|submit|send|print|export|import|download|upload|connect|refresh|post|"
    r"round|render|stick|accept|go through|come through|let me|add up)\w*"
)

# --- reporting that something broke: errors, a negated expectation, stopped, since the update, crash, blank --
BROKEN = _family(
    "broken",
    "product_issue",
    "reporting that something broke",
    _cues(
        2.0,
        r"errors?",
        r"crash\w*",
        r"broken",
        r"bugs?|buggy",
        r"glitch\w*",
        r"not working",
        _NEG + r" (?:be(?:ing|en) )?" + _SOFTWARE_VERBS,
        r"fail(?:s|ed|ing|ure)?",
        r"freez\w*|frozen",
        r"stuck",
        r"hangs?|hanging",
        r"(?:something )?went wrong",
        r"(?:blank|white|grey|gray|empty) (?:page|screen|box|window)",
        r"(?:keeps|kept) (?:crashing|freezing|closing|logging (?:me )?out|spinning|failing|loading)",
        r"(?:500|502|503|504|404) error|error (?:500|502|503|504|404)",
        r"out of sync",
        r"disappear\w*|vanish\w*",
        r"(?:shows?|showing|says?) (?:the )?wrong",
        r"duplicat\w*",
        r"(?:not|never|no longer|didn'?t|haven'?t|hasn'?t|aren'?t|isn'?t|weren'?t|wasn'?t) "
        r"(?:be(?:ing|en) )?"
        r"(?:receiv\w*|arriv\w*|sent|sending|delivered|delivering|getting|coming through|showing up)",
        r"stopped (?:being )?\w+",
        r"reject\w*",
        r"(?:is|are|was|were|get|gets|got|being) lost",
        r"(?:don'?t|doesn'?t|do not|does not) (?:arrive|come through|show up|get through)",
        r"(?:mess(?:es|ed)?|screw(?:s|ed)?) up",
        r"(?:worked|was working) (?:fine|correctly|perfectly|before)|used to work",
        r"(?:doesn'?t|does not|didn'?t|did not|won'?t) (?:do|change) anything|does nothing|"
        r"nothing happens",
        r"never (?:finish|load|complet|end|open|show|sav|updat|arriv|appear)\w*",
        r"spinning|spinner|loading forever|endless(?:ly)? load\w*",
        r"unreadable|illegible|overlapp?\w*|misaligned|cut off|truncated|garbled",
        r"(?:goes|went|switch(?:es|ed)?|snaps?) back to|revert(?:s|ed|ing)|resets? (?:itself|to)|"
        r"undoes itself",
        r"used to (?:be|work|show|load|open|sync|appear|display|include|let)",
        r"(?:is there|any) (?:a )?(?:fix|workaround)|a workaround|known (?:issue|bug|problem)",
        r"(?:since|after) (?:the |your |this |last |a )?(?:latest |last |recent |new |most recent )?"
        r"(?:update|upgrade|release|version|redesign)",
        r"(?:not|never|no longer|isn'?t|aren'?t|wasn'?t|weren'?t) (?:being )?(?:saved|updated|applied|"
        r"synced|shown|displayed|counted|included|calculated|recorded|triggered|notified)",
        r"(?:isn'?t|aren'?t|doesn'?t|don'?t|is not|are not|does not|do not) (?:get(?:ting)? )?notified",
        r"(?:pops? up|shows? up|appears?) (?:again|twice|every time)",
        r"(?:returns?|throws?|gives?|shows?|getting|get) (?:an? |the )?(?:error|exception|blank|404|500)",
        r"timeouts?|timing out|times out",
        r"(?:loads?|loading|opens?|syncs?|saves?) (?:very |really |super |so )?slow(?:ly)?",
        r"regression",
        r"(?:is|are|was|went|goes) down|outage|unresponsive|not responding|(?:doesn'?t|does not) seem to",
        r"(?:shows?|showing|says?|displays?|returns?) (?:only |just )?(?:zero|0|nothing|none|"
        r"no (?:data|results|entries|items))",
        r"(?:keeps|kept) (?:asking|sending|adding|reverting|resetting|changing|dropping|removing)",
        r"intermittent\w*|sporadic\w*|unexpected(?:ly)?|(?:half|most) (?:of )?the time",
        r"(?:it|this) (?:happened|happens|is happening) (?:again|every)|every time (?:i|we|they|someone)",
        r"(?:days?|hours?|weeks?) late|late again|still (?:pending|processing)",
        r"no (?:reciben?|recibo|carga|cargan|llega|llegan|guarda|sincroniza|aparecen?|abre)|"
        r"se (?:cierra|bloquea|congela|queda)|rechaza\w*|ya no (?:funciona|carga|aparece|sale)|"
        r"ne (?:reçoi\w*|charge|s'ouvre|s'affiche|fonctionne|marche|synchronise|enregistre)|"
        r"n'(?:apparai\w*|arrive\w*|enregistre)|plant(?:e|ent|é)|bloqué|bug(?:ue|gé)|"
        r"lädt nicht|stürzt\w* ab|(?:wird|werden|kommt|kommen|geht|zeigt) (?:\w+ )?nicht|abgestürzt|"
        r"hängt|keine (?:benachrichtigung|nachricht)\w*|nicht mehr|"
        r"não (?:carrega|recebo|recebem|recebe|aparece|abre|salva|sincroniza|chega|chegam)|"
        r"trava\w*|fecha sozinho|parou de funcionar|dejó de funcionar|a cessé de fonctionner|"
        r"funktioniert nicht mehr",
        r"no funciona|ne fonctionne pas|marche pas|funktioniert nicht|não funciona|non funziona|"
        r"werkt niet|fehler|erreur|erro|errore|falla|fehl(?:en|t)|faltan?|manquen?t?|no aparece",
    ),
    _cues(
        2.0,
        r"how (?:do|can|should) (?:i|we) (?:fix|stop|get rid of|prevent|resolve|repair|recover|restore)",
    ),
    _cues(
        1.0,
        r"wrong",
        r"incorrect(?:ly)?",
        r"missing",
        r"(?:is|are|it'?s) gone",
        r"issue with",
        r"problem with",
        r"since (?:the|yesterday|this morning|last|monday|tuesday|wednesday|thursday|"
        r"friday|saturday|sunday|the update|updating)",
        r"suddenly",
        r"anymore",
        r"randomly",
        r"(?:can'?t|cannot|unable to|not able to)",
        r"slow|laggy|takes forever|timed? ?out",
        r"twice|double[ds]?",
        r"(?:no|any) idea why",
        r"happen(?:s|ed|ing)",
        r"even though|despite",
        r"(?:don'?t|doesn'?t|do not|does not) (?:add up|match)",
        r"(?:is|are|seems?|looks?) off",
        r"weird|strange|garbl\w*|corrupt\w*|messed up|mixed up",
        r"ignor\w+",
        r"bounc\w+",
        r"(?:is|are|shows?|looks?) empty",
        r"won'?t",
        r"keeps \w+ing",
        r"still (?:shows?|showing|says|see)",
        r"instead of",
        r"shows? (?:up )?as",
        r"arrives? (?:late|\w+ hours? (?:late|after))|too late|delayed",
        r"(?:the )?others? (?:are|is|work) fine|works? fine (?:for|on|in)",
        r"affected",
        r"(?:takes?|took|taking) (?:over |more than |almost |nearly |about |around )?"
        r"(?:an?|one|two|three|several|\d+) (?:minutes?|mins?|hours?|seconds?|secs?)",
        r"(?:please )?(?:fix|look into|investigate) (?:this|it|that|the)",
        r"why (?:is|are|does|do|did|was|were|would|can'?t|won'?t|isn'?t|aren'?t|doesn'?t|don'?t|didn'?t)",
        r"(?:what'?s|what is) (?:going on|happening)|(?:any idea|why) (?:is|does|are|did)",
        r"should (?:show|be showing|display|say|be|have been|include|appear)",
        r"(?:is|are|was|were) (?:showing|displaying|listed|counted|calculated|rounded|sent) (?:\w+ )?"
        r"(?:twice|wrong\w*|incorrect\w*|as \w+)",
        r"(?:never|not) the same|inconsistent|mismatch\w*|out of date|stale|outdated",
        r"(?:after|when) (?:i|we) (?:click|tap|press|open|save|submit|upload|try)\w*",
        r"(?:tried|trying) (?:to )?(?:\w+ )?(?:again|several times|multiple times)",
    ),
)

# --- asking how: question forms about what the customer can do -----------------------------------------------
ASKING_HOW = _family(
    "asking_how",
    "how_to_question",
    "asking how to do something",
    _cues(
        2.5,
        r"how (?:do|does|can|could|would|should|to|do you)",
        r"is there (?:a|any) way",
        r"any way (?:to|i|we)",
        r"where (?:can|do|would|should|does) (?:i|we|\w+)",
        r"where(?:'s| is) the (?:option|setting|button|page|menu|place)",
        r"what(?:'s| is) the (?:best |fastest |easiest |quickest |simplest |right )?way",
        r"(?:fastest|easiest|quickest|simplest|right|proper|best) way to",
        r"walk me through",
        r"(?:what are the |the )steps? to",
        r"(?:not sure|no idea|don'?t know|unsure|can'?t figure out) (?:how|where)",
        r"(?:can'?t|cannot|couldn'?t|unable to) (?:seem to )?(?:find|locate|figure out|work out|see how|"
        r"see where)",
        r"what do (?:i|we) (?:need to|have to|do)",
        r"wondering (?:how|where|what|which)|(?:help|show|guide) me (?:to |how|where)|"
        r"(?:trying|want|need|have) to figure out",
        r"where (?:is|are|did|do) (?:the|i|we|my|our|you)",
        r"what(?:'s| is) the (?:option|setting|button|shortcut|trick)",
        r"(?:any )?tips? (?:on|for)|best practices?|recommended way|do you recommend",
        r"cómo (?:puedo|hago|se)",
        r"comment (?:puis|faire|on|je)",
        r"wie (?:kann|können) (?:ich|man|wir)",
        r"como (?:posso|faço|faz)",
        r"come (?:posso|si)",
        r"hoe kan ik",
        r"¿?cómo (?:\w+ )?(?:puedo|podemos|se|hago|hacemos|cambio|configuro|agrego|añado)|"
        r"¿?dónde (?:puedo|está|están|encuentro|se)|"
        r"où (?:puis|peut|est|sont|trouve|se trouve)|est-ce que je peux|puis-je|"
        r"comment (?:\w+ )?(?:faire|ajouter|changer|modifier)|"
        r"wo (?:kann|finde|ist|sind|stelle)|kann (?:ich|man) (?:\w+ )?|wie (?:\w+ )?(?:ich|man)|"
        r"onde (?:posso|fica|ficam|encontro|está)|"
        r"como (?:\w+ )?(?:eu|posso|faço|se|adiciono|altero|mudo)",
    ),
    # "Can I …?" as a question about what the customer can do.
    # "Can I …?" as a question about what the customer can do (not one to the vendor: "could I ask you…?").
    _cues(2.0, r"(?:can|could) (?:i|we) (?:(?!you\b|your\b|ask\b)[\w'-]+[ ,]*){1,12}\?"),
    _cues(
        1.5,
        r"is it possible to",
        r"can (?:i|we) (?:\w+ ){0,2}(?:change|see|view|export|add|edit|set|make|"
        r"use|move|find|get|remove|delete|print|download|assign|copy|hide|show|limit|restrict|share|undo|"
        r"restore|rename|split|merge|schedule|invite)",
    ),
    _cues(
        1.0,
        r"any (?:guide|tutorial|docs|documentation)",
        r"explain",
        r"what does .{1,30} mean",
        r"(?:will|would|does|do|should|is|are) (?:it|this|that|they|i|we) (?:\w+ )?(?:need|have to|also|"
        r"still|automatically|change|affect|keep|work|count|apply|include|show|get|be)",
        r"what happens (?:if|when|to)",
        r"which (?:\w+ )?(?:do|does|should|is|are|one|option|setting|plan)",
        r"is there (?:an? |any )(?:option|setting|shortcut|function|button|report|view)",
        r"(?:want|need|like) to (?:know|learn|understand) (?:how|where|if|whether)",
        r"not sure (?:if|whether|what|which)|confused (?:about|by)",
    ),
)

# --- asking for something new: wishes, "please add", "it would help if", feature, roadmap --------------------
WISH = _family(
    "wish",
    "feature_request",
    "asking for something new",
    _cues(
        3.0,
        r"please add",
        r"feature request",
        r"would (?:be|it be) (?:great|nice|awesome|amazing|helpful|useful|lovely|fantastic|super|really)",
        r"it would (?:really |so |very |also )?(?:be|help|save)",
        r"it'?d (?:really )?help|would (?:really |so |also |definitely )?help|it would make",
        r"(?:could|can) you (?:please )?(?:add|build|make it possible|consider|introduce|support|implement)",
        r"(?:i'd|we'd|i would|we would) (?:really |so |very much )?(?:love|like) (?:to see|to have|"
        r"the ability|the option|an?|some)",
        r"i wish|we wish|i really wish|we really wish",
        r"wish (?:there|it|you)",
        r"any plans? (?:to|for|on)",
        r"on (?:the|your) roadmap|roadmap (?:for|item)",
        r"consider adding",
        r"(?:ability|option|possibility) to",
        r"(?:would|could) love",
        r"it'?d be (?:great|nice|helpful|awesome|useful)",
        r"suggestion",
        r"suggest (?:adding|that)",
        r"sería (?:genial|útil|bueno)|me gustaría|ce serait|serait (?:bien|génial|utile)|"
        r"wäre (?:toll|schön|super|hilfreich)|seria (?:ótimo|bom|útil)|sarebbe (?:utile|bello)",
        r"need (?:a|an|the|some) (?:\w+ )?(?:way|option|ability|feature|setting|toggle|possibility) (?:to|for)",
        r"(?:need|want|like|love|able) to be able to|(?:be|being) able to (?:\w+ ){0,3}(?:in bulk|"
        r"at once|automatically)",
        r"would you (?:please )?(?:consider|think about|be open to|look at adding)",
        r"please (?:consider|think about)",
        r"(?:is|are) (?:there )?(?:any )?plans?|planned|in the (?:works|pipeline)",
        r"(?:would|will|could) (?:really |greatly |massively )?(?:make (?:my|our|it|life|things)|"
        r"save (?:us|me))",
        r"(?:would|'d) be (?:cool|handy|neat|good|a big help|a game changer|a huge help)",
        r"(?:podrían|pueden|podrias) (?:\w+ )?(?:añadir|agregar|incluir)|sería (?:bueno|genial|"
        r"útil) (?:poder|que|tener)|"
        r"pourriez-vous (?:\w+ )?ajouter|possibilité de|ce serait (?:top|pratique)|j'aimerais (?:pouvoir|"
        r"avoir)|"
        r"könnt(?:et|en) (?:ihr|sie) (?:\w+ )?(?:hinzufügen|einbauen|ergänzen)|wäre es möglich|"
        r"wir wünschen|ich wünsche|"
        r"poderiam (?:\w+ )?(?:adicionar|incluir)|gostaria de (?:ter|poder)|seria (?:ótimo|bom|"
        r"legal) (?:ter|poder|se)",
    ),
    _cues(
        2.0,
        r"please (?:support|allow|let|make|include|bring|enable us)",
        r"any chance (?:of|to|you|we)",
        r"(?:could|can|would) (?:\w+ ){1,3}be (?:added|exported|made|shown|displayed|included|"
        r"supported|customi[sz]ed|configurable|optional|changed|extended|integrated|synced|sorted|"
        r"filtered)",
        r"(?:should|could) (?:be able to|have an? (?:option|setting|way))",
        r"(?:can|could) (?:we|i|you) (?:please )?(?:get|have) (?:an?|some|the option|the ability)",
        r"(?:we|i) (?:would |could |'d )?(?:really )?benefit from",
        r"(?:it|this|the app|the product) (?:should|could) (?:also )?(?:support|allow|let|have|include|"
        r"offer)",
        r"(?:missing|lacks?|lacking) (?:an? |the )?(?:feature|option|ability|way)",
        r"(?:a |an )\w+(?:[- ]\w+)? (?:feature|view|mode|report|integration|option|setting) "
        r"(?:that|which|where|for|to)",
        r"support for",
        r"new feature|(?:add|adding|build|building) (?:a |an )?feature",
    ),
    _cues(1.0, r"(?<=\w, )please(?:[.!]|$)"),
    _cues(
        1.5,
        r"(?:doesn'?t|does not|don'?t|do not) (?:have|support|offer|allow)",
        r"no (?:way|option) to",
        r"(?:allow|let) (?:us|me|users|admins|people|everyone|them|customers|clients) (?:to )?(?!know\b)\w+",
        r"(?:add|adding) (?:an? )?(?:option|setting|toggle|field|filter|button)",
        r"ideally",
        r"request(?:ing)? (?:a|an|the) (?:feature|option)",
        r"would (?:like|want) (?:to be able|an? option)",
        r"(?:we need|i need|we really need|i really need) (?:a|an|some|the)",
        r"(?:can|could) you (?:guys )?(?:please )?(?:also )?(?:let|allow|give|provide|offer|have)",
        r"(?:instead|rather) of (?:having to|manually|one by one)|one by one",
        r"(?:would|could) (?:be|come in) handy",
    ),
)

# --- asking about their own charges or plan: money talk about the customer's account with the vendor --------
# A bare money noun (invoice, payment, bank, tax) is what an invoicing or expense product is about, so it is
# weak evidence; charging verbs, "my/our plan", "you/your" money talk and cancel/upgrade of the plan are
# strong. Every cue here names a thing, so it is muted where the run's own vocabulary covers its words.
OWN_MONEY = _family(
    "own_money",
    "billing_question",
    "asking about their own charges or plan",
    _cues(
        3.0,
        r"(?:you|you've|you have|they|they've) (?:\w+ )?(?:double[- ]|over)?(?:charged|billed|debited)",
        r"(?:was|were|been|got|get|being|am|are|is|be) (?:\w+ )?(?:double[- ]|over)?(?:charged|billed)",
        r"(?:charged|billed) (?:me|us|twice|again|double|for)",
        r"double[- ]charged?|charged twice|two (?:identical )?charges|duplicate (?:charges?|payments?)",
        r"overcharg\w*|chargebacks?",
        r"(?:get|want|need|request|requesting|give|issue|expect|like) (?:me |us )?(?:a |my |our |the )?"
        r"(?:full |partial )?refund|refund (?:me|us|my|our|the (?:difference|duplicate|charge))",
        r"(?:cancel|upgrade|downgrade|pause|renew|change|switch) (?:my|our) (?:\w+ )?(?:plan|subscription|"
        r"account|membership|licen[cs]e)",
        r"your (?:pricing|prices?|fees?|plans?|invoices?|bill|billing|charges?|subscription|tiers?|rates?)",
        r"(?:invoices?|bills?|receipts?|charges?) (?:from you|(?:that )?you (?:sent|issued|emailed))",
        r"(?:credit |debit )?card (?:on file|was declined|expired)|payment method|failed payment|"
        r"payment (?:failed|was declined|did ?n[o']?t go through)",
        r"(?:invoices?|bills?|charges?|prices?|renewal) (?:is |was )?(?:higher|more|bigger) than",
        r"how much (?:does|do|is|would|will|for)|(?:price|pricing) (?:increase|change|went up)",
        topical=True,
    ),
    _cues(1.5, r"refunds?|refunded", topical=True),
    _cues(3.0, r"discount|coupon|promo code", topical=True),
    _cues(
        2.5,
        r"(?:my|our) (?:current |monthly |annual |yearly |last |latest )?(?:subscription|plan|renewal|"
        r"billing|bill|invoices?|receipts?|seats?|licen[cs]es?)",
        r"billed|billing (?:cycle|period|date|email|address|contact|question|issue|problem)",
        r"(?:monthly|annual|yearly) (?:billing|plan|subscription)|per (?:seat|user|month)",
        r"vat (?:number|id)|tax id|vat invoice",
        r"cobr\w+|abgebucht|abbuchung|prélev\w+|reembols\w+|remboursement|rückerstattung|suscripci\w+|"
        r"abonnement|assinatura|kündig\w*|annuler (?:mon|notre) abonnement|cancelar (?:mi|nuestra|minha)",
        topical=True,
    ),
    # A bare money noun: weaker than any cue of what the customer is doing.
    _cues(
        0.5,
        r"invoices?|receipts?|payments?|bills?|bank|tax|price|pricing|subscriptions?|charges?",
        r"upgrade|downgrade",
        r"plans?",
        r"renew\w*",
        r"seats?",
        r"trial",
        r"cost",
        r"factur\w*|rechnung|fattura|pago|paiement|zahlung|pagamento|precio|preço|preis|tarif|tarjeta|"
        r"cartão|kreditkarte|carte bancaire",
        topical=True,
    ),
)

# --- an account or access problem: log in, password, 2FA, locked out, lost access, delete my account ----------
ACCESS = _family(
    "access",
    "account_issue",
    "having an account or access problem",
    # Being locked out outweighs the symptoms told on the way ("keeps asking for a code that never comes").
    _cues(4.5, r"locked out|lock(?:ed)? (?:me|us) out"),
    _cues(
        3.0,
        r"(?:can'?t|cannot|unable to|not able to|couldn'?t) (?:log|sign) ?in(?:to)?",
        r"(?:log|sign)[- ]?in (?:issue|problem|error)",
        r"(?:delete|close|deactivate|remove) (?:my|our|the) (?:whole )?account",
        r"(?:change|update|move) (?:my|the|our) (?:login |sign-in )?(?:email|username)",
        r"(?:become|make me) (?:the )?(?:\w+ )?owner|new (?:account|workspace) owner|"
        r"owner (?:left|has left|is gone|quit)",
        r"transfer (?:the )?ownership",
        r"account owner",
        r"hacked|compromised|someone (?:else )?(?:logged|accessed)",
        r"unlock\w*|account (?:\w+ )?locked",
        r"merge (?:the |my |our |both |these )?(?:two )?accounts?|two accounts|duplicate accounts?",
        r"already (?:used|in use|registered|taken|exists)",
        r"(?:lost|lose|losing|no) access|access denied|permission denied|n'ai plus accès|"
        r"no tengo acceso|kein zugriff|não tenho acesso|"
        r"(?:don'?t|doesn'?t|no longer) have (?:access|permission)",
    ),
    _cues(
        3.0,
        r"password",
        r"reset link",
        r"2fa|two[- ]factor|verification code|authenticat\w+ code|security code|mfa",
        r"personal data|data (?:export |access |deletion )?request|my data",
        r"contraseña|mot de passe|passwort|senha|wachtwoord|double authentification|doble factor|"
        r"zwei-faktor|dois fatores",
        topical=True,
    ),
    _cues(
        1.5,
        r"log ?in|sign ?in|logging in|signing in|sign ?up|signing up",
        r"logs? (?:me|us|them|him|her|people|everyone) out|(?:keeps?|kept|getting|gets|got|being) "
        r"(?:\w+ )?logged out",
        r"access to (?:my|our)",
    ),
    _cues(1.5, r"username", r"my account", r"invit(?:e|ation) (?:link|email)", topical=True),
)

# --- configuration: set up, integrate, connect, configure, settings, API keys, webhooks ----------------------
SETUP = _family(
    "setup",
    "configuration_help",
    "setting something up",
    _cues(
        3.0,
        r"(?:how|what) (?:do|can|should) (?:i|we) (?:need to |have to )?(?:set|setup|configure|connect|map|"
        r"enable|disable|turn|integrate|link|sync|change the (?:default|setting))",

    ),
    _cues(
        2.5,
        r"set ?up|setting up",
        r"configur\w+",
        r"customi[sz]\w+",
        r"connect(?:ing)? (?:\w+ ){0,3}(?:to|with)",
        r"enable|disable",
        r"turn (?:on|off)",
        r"configurar|configuro|configuración|configurer|paramétrer|paramètres|einstellungen|einrichten|"
        r"verbinde\w*|konfigur\w+|configurações|impostazioni|instellingen|conect(?:o|ar|amos)|connecter|"
        r"vincular",
    ),
    # Making a security setting everyone's: a setup, however much it names an access word.
    _cues(4.0, r"(?:require|enforce|mandatory|force) (?:2fa|two[- ]factor|mfa|sso|single sign[- ]on)"),
    _cues(2.5, r"integrat\w+|integración|intégration", topical=True),
    _cues(1.0, r"default", r"install\w*", r"time ?zone"),
    _cues(1.0, r"settings?", r"preferences?", r"permissions?", topical=True),
    # The technical objects of a setup: what configuration help is about when nothing is broken.
    _cues(
        2.5,
        r"scopes?|api (?:keys?|tokens?|access|docs|endpoints?)|access tokens?|webhooks?|signing secret|"
        r"client (?:id|secret)|callback url|redirect (?:uri|url)",
        r"sso|saml|single sign[- ]on|scim|oauth|ldap|identity provider|firewall|proxy|allow ?list|"
        r"white ?list",
        r"custom domain|dns|cname|txt record|mx record|smtp|dkim|spf|dmarc|ip (?:allow|white)[- ]?list",
        r"csv import|bulk import|import (?:our|my|the|existing|all)|field mapping|map(?:ping)? (?:the |"
        r"our )?fields",
        topical=True,
    ),
)

# --- asking about the vendor: sales, compliance, press, praise, availability ---------------------------------
ABOUT_VENDOR = _family(
    "about_vendor",
    "general_inquiry",
    "asking about the vendor, or just saying thanks",
    _cues(3.0, r"do you (?:offer|have|provide|support|integrate|work with|sell)"),
    _cues(
        2.5,
        r"demo",
        r"can (?:we|i) use \w+ (?:for|with|to)",
        r"partnership|partner with",
        r"(?:contact|talk to|speak (?:to|with)) (?:sales|someone|a person|a human)",
        r"compliance|gdpr|soc ?2|hipaa",
        r"public roadmap|status page",
        r"who (?:should|can|do) (?:i|we) (?:talk|speak) (?:to|with)",
    ),
    _cues(
        1.0,
        r"wondering (?:if|whether)",
        r"love (?:the|your) (?:new )?(?:update|app|product|tool|design|redesign|service)|great (?:work|"
        r"job)|keep up the (?:good|great) work|just wanted to say|big fan|(?:awesome|amazing|"
        r"great) (?:product|app|tool)|kudos|well done",
        r"just (?:wanted|curious)",
        r"(?:where|are) you (?:located|based)",
        r"hiring|careers?|job (?:opening|application)s?",
        r"deciding|evaluating|comparing|competitor",
        r"ask (?:you )?(?:a few|some|a couple of) questions|journalist|blogger|reporter|podcast|"
        r"interview|writing (?:an? )?(?:article|story|piece|post|thesis|paper)|(?:research|university|"
        r"school) project|survey|case study|press|media inquiry",
        r"(?:is|are) (?:\w+ )?(?:it |the app |the product )?available (?:in|on|for|outside)|"
        r"disponible en|verfügbar (?:in|auf)|disponível (?:em|no|na)",
    ),
)

SPAM = _family(
    "spam",
    "spam",
    "selling something unrelated, phishing",
        _cues(
            3.0,
            r"seo",
            r"backlinks?",
            r"guest post\w*",
            r"crypto\w*|bitcoin|forex|nft",
            r"investment opportunit\w+",
            r"click here",
            r"unsubscribe",
            r"casino|lottery|jackpot",
            r"you (?:have )?won",
            r"dear (?:sir|madam)",
            r"(?:web|website|app|graphic) (?:design|development) services",
            r"increase your (?:traffic|sales|" r"ranking|revenue)",
            r"rank (?:your (?:website|site)|on google|higher|#?1)",
            r"lead generation",
            r"outsourc\w+",
            r"viagra|cialis",
            r"(?:loan|credit) offer",
            r"limited time offer",
            r"(?:marketing|seo|advertising) (?:services|agency|package)",
            r"business proposal",
            r"first page of google",
            r"we are an? (?:leading )?(?:digital|marketing|software development) " r"(?:agency|company)",
            r"wire transfer|western union|inheritance",
            r"make money",
            r"congratulations",
            r"(?:you (?:have|'ve) been|been) selected",
            r"gift card",
            r"claim (?:here|now|your)",
            r"prize|winner",
            r"buy (?:\w+ )?(?:followers|likes|views|reviews|traffic)",
            r"followers|five[- ]star reviews",
            r"(?:whatsapp|telegram) (?:me|us|\+?\d)",
            r"verify your (?:account|password|identity)",
            r"account (?:will be )?(?:suspended|closed) (?:unless|within)",
            r"dear (?:business )?owner|dear (?:friend|beneficiary|valued customer)|hello dear|"
            r"greetings of the day",
            r"(?:hire|dedicated|offshore) (?:\w+ )?(?:developers|programmers)|offshore (?:team|development)|"
            r"white[- ]label (?:services|solution)|virtual assistant services|data entry services",
            r"(?:increase|boost|grow|double|skyrocket) your (?:\w+ )?(?:traffic|sales|revenue|leads|"
            r"followers|"
            r"ranking|rankings|visibility|conversions|reach|roi)",
            r"top of google|google (?:ranking|rankings|first page)|(?:first|1st) page (?:of|on) google|"
            r"domain authority|"
            r"link building|(?:do[- ]?follow|high[- ]quality|high da|niche) (?:links|backlinks)",
            r"b2b (?:email|contact|leads?) (?:lists?|database)|email lists? for sale|verified (?:emails|"
            r"leads)|"
            r"(?:qualified|targeted|b2b) leads",
            r"(?:exclusive|limited) (?:\w+ )?(?:offer|deal)|act now|risk[- ]free|no cost to you|"
            r"free (?:audit|consultation|seo|quote)",
            r"earn (?:\$|€|money|extra (?:money|income|cash)|up to \$?\d+)|passive income|"
            r"double your (?:money|income)",
            r"unusual (?:sign[- ]?in |login )?activity|confirm your (?:account|identity) (?:details|now|"
            r"within|"
            r"immediately)|mailbox (?:is )?(?:full|almost full)|storage quota|"
            r"(?:click|tap) (?:the |this )?(?:link|below|button) (?:below )?to (?:verify|confirm|claim|avoid|"
            r"restore|unlock|receive)",
            r"beneficiary|next of kin|million (?:dollars|usd|euros)|usd ?\d+(?:\.\d+)? million|"
            r"sweepstakes?|airdrop",
            r"replica watches|rolex|weight loss|diet pills|hot (?:girls|singles)|singles (?:in|near) your",
            r"app development (?:services|company|agency)|software development (?:company|services|agency)|"
            r"(?:web|website) (?:redesign|revamp) (?:services|offer)",
            r"promot(?:e|ing) your (?:\w+ )?(?:business|brand|app|product|website)|sponsored (?:post|content|"
            r"article)",
            r"guaranteed (?:results|ranking|traffic|returns?|income|profit)|buy now|order now|shop now|"
            r"visit (?:our|my) (?:website|store|shop)",
            r"your domain (?:name )?(?:is |will )?expir\w*|domain renewal (?:notice|invoice)|"
            r"google (?:my business|business profile|maps listing)",
            r"essay writing|assignment help|homework help|bulk sms|loan (?:offer|approval)|"
            r"pre-?approved (?:loan|for)",
        ),
        _cues(
            1.5,
            r"i (?:came across|stumbled upon) your "
            r"(?:website|site|company|profile|page|app|business|listing)",
            r"(?:we help|i help|we helped|i helped) (?:\w+ )?(?:businesses|companies|brands|startups|"
            r"agencies) (?:like yours|to|grow|get)",
            r"(?:hop|jump) on a (?:quick |short |brief )?(?:call|chat)|(?:10|15|20|30|fifteen|ten|twenty|"
            r"thirty)[- ]min(?:ute)? "
            r"(?:call|chat|meeting)",
            r"(?:are you|is this) the right person|decision[- ]maker|who handles (?:your )?(?:marketing|"
            r"purchasing)",
            r"collaboration (?:opportunity|proposal)|partnership opportunity",
            r"(?:book|schedule|set up|arrange) a (?:quick |short |free |brief )?(?:call|chat|meeting|"
            r"demo) with "
            r"(?:me|us|our team|one of our)",
            r"(?:can|could|love to|like to) (?:help you|offer you|provide you|show you)",
            r"(?:we offer|we provide|we specialize in|we specialise in|i offer|"
            r"i provide) (?:\w+ ){0,3}(?:services|solutions)|our services",
        ),
)

TYPE_CUE_FAMILIES: tuple[CueFamily, ...] = (BROKEN, ASKING_HOW, WISH, OWN_MONEY, ACCESS, SETUP, ABOUT_VENDOR, SPAM)
"""Every type cue, by what the customer is doing; ``type_cue_set(without=…)`` leaves families out
(``benchmarks/type_cue_ablation.py`` measures what each one buys)."""
FAMILY_NAMES: tuple[str, ...] = tuple(family.name for family in TYPE_CUE_FAMILIES)
TYPE_CUES: dict[str, list[Cue]] = {}
for _family_ in TYPE_CUE_FAMILIES:
    TYPE_CUES.setdefault(_family_.kind, []).extend(_family_.cues)

# When no cue speaks for any type, the shape of the message still tells a defect report from a question or
# a wish better than "general inquiry" would: a negated verb describes something not working, a question about
# what the customer (I, we) can do asks how, a need or a "please" asks for something. Questions about the
# company (you, your) and everything else stay general inquiries.
_NEGATED = re.compile(
    r"(?<!\w)(?:doesn'?t|does not|don'?t|do not|won'?t|will not|isn'?t|is not|aren'?t|are not|didn'?t|"
    r"did not|can'?t|cannot|couldn'?t|wasn'?t|weren'?t|hasn'?t|haven'?t|no longer|never)(?!\w)",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"[^.!?\n]*\?")
_FIRST_PERSON = re.compile(r"(?<!\w)(?:i|we|my|our|me|us|i'm|we're)(?!\w)", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"(?<!\w)(?:you|your|you're)(?!\w)", re.IGNORECASE)
_WANT = re.compile(
    r"(?<!\w)(?:please|pls|need|needs|want|wants|would like|'d like|wish|por favor|s'il vous plaît|"
    r"bitte)(?!\w)",
    re.IGNORECASE,
)


def fallback_type(text: str) -> str:
    """The type a message's shape suggests when no cue fired (see above)."""
    if _NEGATED.search(text):
        return "product_issue"
    for question in _QUESTION.findall(text):
        if _FIRST_PERSON.search(question) and not _SECOND_PERSON.search(question):
            return "how_to_question"
    if _WANT.search(text):
        return "feature_request"
    return "general_inquiry"


# Patterns counted once per text that are not about a type but tell spam from customers.
URL_PATTERN = re.compile(r"https?://|www\.", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[a-z]{3,}")
_UNPRONOUNCEABLE = re.compile(
    r"^[^aeiouy]+$|[^aeiouy]{5,}|asdf|sdfg|dfgh|fghj|ghjk|hjkl|qwer|wert|zxcv|xcvb|lkjh|poiu"
)
GIBBERISH_SHARE = 0.5
"""Share of unpronounceable words (no vowel, five consonants in a row, keyboard rows) from which a message is
keyboard mashing; words of real messages in Latin-script languages stay far below it."""


def looks_like_gibberish(text: str) -> bool:
    """Whether most words of ``text`` (three at least) cannot be pronounced: a keyboard mash."""
    found = _LATIN_WORD.findall(text.lower())
    unpronounceable = sum(1 for word in found if _UNPRONOUNCEABLE.search(word))
    return len(found) >= 3 and unpronounceable >= GIBBERISH_SHARE * len(found)

URGENCY_CUES: dict[str, list[Cue]] = {
    "critical": _cues(
        3.0,
        r"urgent(?:ly)?",
        r"asap",
        r"emergency",
        r"(?:is|are|went|been|completely) down",
        r"outage",
        r"(?:all|none of) (?:our |my |the )?(?:users|team|people|customers|clients)",
        r"(?:nobody|no one|noone) (?:can|is able)",
        r"data loss|lost (?:all|our|my) data",
        r"security|breach|hacked|compromised",
        r"(?:can'?t|cannot) pay",
        r"immediately",
        r"critical",
        r"urgente|dringend|urgence",
    ),
    "high": _cues(
        2.0,
        r"blocking|blocked|blocker",
        r"(?:can'?t|cannot) (?:work|do (?:my|our) job|operate|run)",
        r"today",
        r"deadline",
        r"as soon as possible",
        r"every (?:time|single|day)",
        r"(?:our|my) customers",
        r"losing (?:money|sales|revenue|customers)",
        r"(?:several|multiple|many) (?:users|people|customers|clients|times)",
        r"!!+",
        r"frustrat\w+",
        r"unacceptable",
        r"still (?:not|broken|waiting)",
    ),
    "low": _cues(
        2.0,
        r"no rush",
        r"whenever (?:you|convenient)",
        r"not urgent",
        r"low priority",
        r"when you (?:get a|have " r"(?:a|the)) (?:chance|moment|minute)",
        r"just (?:curious|wondering)",
        r"nice to have",
    ),
}


_LEADING_WORD = re.compile(r"\w+")


class CueSet:
    """Many cues matched against one text cheaply: a cue's regex runs only when one of its anchors occurs,
    and an anchor is only looked for when a word of the text starts like it."""

    def __init__(self, cues: list[Cue]) -> None:
        self.cues = cues
        self._always: list[int] = []
        self._by_key: dict[str, list[tuple[str, int]]] = {}
        for number, cue in enumerate(cues):
            keys = []
            for anchor in cue.anchors or ():
                leading = _LEADING_WORD.match(anchor)
                if not leading:
                    break
                keys.append((leading.group(0)[:3], anchor))
            else:
                if cue.anchors:
                    for key, anchor in keys:
                        self._by_key.setdefault(key, []).append((anchor, number))
                    continue
            self._always.append(number)

    def matches(self, text: str, lowered: str | None = None) -> list[Cue]:
        """The cues found in ``text``, in their definition order."""
        lowered = text.lower() if lowered is None else lowered
        prefixes = {word[:3] for word in set(_LEADING_WORD.findall(lowered))}
        prefixes.update([prefix[:2] for prefix in prefixes] + [prefix[:1] for prefix in prefixes])
        candidates = set(self._always)
        for key in prefixes & self._by_key.keys():
            candidates.update(number for anchor, number in self._by_key[key] if anchor in lowered)
        return [self.cues[n] for n in sorted(candidates) if self.cues[n].pattern.search(text)]


TYPE_CUE_SET = CueSet([cue for family in TYPE_CUE_FAMILIES for cue in family.cues])
URGENCY_CUE_SET = _of_kind(URGENCY_CUES)


def type_cue_set(without: frozenset[str] | set[str] | tuple[str, ...] = ()) -> CueSet:
    """The type cues minus the families named in ``without`` (for ablation); all of them by default."""
    unknown = set(without) - set(FAMILY_NAMES)
    if unknown:
        raise ValueError(f"unknown cue families {sorted(unknown)}; known: {', '.join(FAMILY_NAMES)}")
    if not without:
        return TYPE_CUE_SET
    return CueSet([cue for family in TYPE_CUE_FAMILIES if family.name not in without for cue in family.cues])
