"""Generic language cues for the offline engine: which phrases point to which conversation type, and which
make a message urgent.

Nothing here is about a particular product: the cues are how customers of any SaaS describe a defect, ask
how to do something, ask for a feature, and so on (English first, the most common phrasings in Spanish,
French, German, Portuguese, Italian and Dutch after). Each cue has a weight; a type's score is the sum of
the weights of its distinct cues found in the text.
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
    """The literal start of every top-level alternative (its last character dropped when a quantifier
    makes it optional); None when some alternative starts with a construct."""
    anchors: list[str] = []
    for alternative in _top_level_alternatives(pattern):
        if alternative.startswith("(?:"):
            # A leading group: its own alternatives' literal starts anchor this alternative too.
            close = _group_end(alternative)
            inner = _anchors(alternative[3:close])
            if inner is None or alternative[close + 1 : close + 2] in ("?", "*", "{"):
                return None
            anchors.extend(inner)
            continue
        end = 0
        while end < len(alternative) and alternative[end] not in _META:
            end += 1
        literal = alternative[:end]
        if end < len(alternative) and alternative[end] in "?*{":
            literal = literal[:-1]
        if len(literal) < 2:
            return None
        anchors.append(literal.lower())
    return tuple(anchors)


def _cues(weight: float, *patterns: str) -> list[Cue]:
    return [
        Cue(p, weight, re.compile(r"(?<!\w)(?:" + p + r")(?!\w)", re.IGNORECASE), "", _anchors(p))
        for p in patterns
    ]


def _of_kind(table: dict[str, list[Cue]]) -> CueSet:
    return CueSet([replace(cue, kind=kind) for kind, cues in table.items() for cue in cues])


_NEG = (
    r"(?:doesn'?t|does not|don'?t|do not|won'?t|will not|isn'?t|is not|aren'?t|are not|didn'?t|did not|"
    r"can'?t|cannot|couldn'?t|no longer|stopped|never)"
)

_PRODUCT_VERBS = (
    r"(?:work|load|open|save|sync|updat|show|appear|display|calculat|respond|includ|deduct|count|apply|"
    r"applied|respect|remov|match|finali[sz]|submit|send|print|export|import|connect|refresh|post|round|"
    r"stick|accept|"
    r"go through|come through|let me|add up)\w*"
)

TYPE_CUES: dict[str, list[Cue]] = {
    "product_issue": [
        *_cues(
            2.0,
            r"errors?",
            r"crash\w*",
            r"broken",
            r"bugs?|buggy",
            r"glitch\w*",
            r"not working",
            _NEG + r" (?:be(?:ing|en) )?" + _PRODUCT_VERBS,
            r"fail(?:s|ed|ing|ure)?",
            r"freez\w*|frozen",
            r"stuck",
            r"hangs?|hanging",
            r"something went wrong",
            r"went wrong",
            r"blank (?:page|screen)",
            r"white screen",
            r"(?:keeps|kept) (?:crashing|freezing|closing|logging|spinning|failing|showing|saying|loading)",
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
            r"flicker\w*",
            r"jumps? around",
            r"run into each other",
            r"cuts? off",
            r"(?:worked|was working) (?:fine|correctly|perfectly|before)|used to work",
            r"(?:did|has) something change",
            r"is anyone else (?:seeing|having|getting)",
            r"no funciona|ne fonctionne pas|marche pas|funktioniert nicht|não funciona|non funziona|"
            r"werkt niet|fehler|erreur|erro|errore|falla|fehl(?:en|t)|faltan?|manquen?t?|no aparece",
        ),
        *_cues(
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
            r"over 100 ?%",
            r"affected",
        ),
    ],
    "how_to_question": [
        *_cues(
            2.5,
            r"how (?:do|does|can|could|would|should|to|do you)",
            r"is there a way",
            r"where (?:can|do|would|should|does) (?:i|we|\w+)",
            r"where(?:'s| is) the (?:option|setting|button|" r"page|menu|place)",
            r"what(?:'s| is) the (?:best |fastest |easiest |quickest |simplest |right )?way",
            r"(?:fastest|easiest|quickest|simplest|right|proper|best) way to",
            r"walk me through",
            r"steps? to",
            r"(?:not sure|no idea|don'?t know|unsure|can'?t figure out) " r"(?:how|where)",
            r"cómo (?:puedo|hago|se)",
            r"comment (?:puis|faire|on|je)",
            r"wie (?:kann|können) (?:ich|man|wir)",
            r"como (?:posso|faço|faz)",
            r"come (?:posso|si)",
            r"hoe kan ik",
        ),
        *_cues(
            1.0,
            r"is it possible to",
            r"can (?:i|we) (?:\w+ ){0,2}(?:change|see|view|export|add|edit|set|make|"
            r"use|move|find|get|remove|delete|print|download|assign|copy|hide|show|limit|restrict|share|undo|"
            r"restore|rename|split|merge|schedule|invite)",
            r"any (?:guide|tutorial|docs|documentation)",
            r"explain",
            r"what does .{1,30} mean",
        ),
    ],
    "feature_request": [
        *_cues(
            3.0,
            r"please add",
            r"feature request",
            r"would (?:be|it be) (?:great|nice|awesome|amazing|"
            r"helpful|useful|lovely|fantastic|super|really)",
            r"it would (?:be|help|save)",
            r"(?:could|can) you (?:please )?"
            r"(?:add|build|make it possible|consider|introduce|support|implement)",
            r"(?:i|we)(?:'d| would) (?:really |so |very much )?(?:love|like) (?:to see|to have|the ability|"
            r"the option|an? )",
            r"(?:i|we) (?:really )?wish",
            r"wish (?:there|it|you)",
            r"any plans? (?:to|for|on)",
            r"on (?:the|your) roadmap",
            r"consider adding",
            r"(?:ability|option|possibility) to",
            r"(?:would|could) love",
            r"it'?d be (?:great|nice|helpful|awesome|useful)",
            r"suggestion",
            r"suggest (?:adding|that)",
            r"sería (?:genial|útil|bueno)|me gustaría|ce serait|serait (?:bien|génial|utile)|"
            r"wäre (?:toll|schön|super|hilfreich)|seria (?:ótimo|bom|útil)|sarebbe (?:utile|bello)",
        ),
        *_cues(2.0, r"please (?:support|allow|let|make|include)", r"any chance (?:of|to|you|we)"),
        *_cues(
            1.5,
            r"(?:doesn'?t|does not|don'?t|do not) (?:have|support|offer|allow)",
            r"no (?:way|option) to",
            r"(?:allow|let) (?:us|me|users|managers|employees|staff|admins) (?:to )?(?!know\b)\w+",
            r"(?:add|adding) (?:an? )?(?:option|setting|toggle|field|filter|button)",
            r"ideally",
            r"request(?:ing)? (?:a|an|the) (?:feature|option)",
            r"would (?:like|want) (?:to be able|an? option)",
        ),
    ],
    "billing_question": [
        *_cues(
            2.5,
            r"invoices?",
            r"refunds?|refunded",
            r"(?:over|double |was |been |were |got )?charged",
            r"charges?",
            r"billed|billing",
            r"receipts?",
            r"payments?",
            r"credit card|debit card",
            r"subscriptions?",
            r"pricing|price",
            r"vat|sales tax|tax id",
            r"overcharg\w*",
            r"prorat\w+",
            r"factur\w*|reembolso|cobro|remboursement|rechnung|rückerstattung|fattura",
        ),
        *_cues(
            1.0,
            r"upgrade|downgrade",
            r"(?:monthly|annual|yearly) plan",
            r"plans?",
            r"discount|coupon",
            r"renew\w*",
            r"seats?",
            r"cancel (?:my|our) (?:plan|subscription)",
            r"trial",
            r"cost",
            r"(?:in|to) (?:euros?|dollars?|pounds?|usd|eur|gbp)|currency",
        ),
    ],
    "account_issue": [
        *_cues(
            3.0,
            r"password",
            r"locked out|lock(?:ed)? (?:me|us) out",
            r"(?:can'?t|cannot|unable to|not able to|" r"couldn'?t) (?:log|sign) ?in",
            r"(?:log|sign)[- ]?in (?:issue|problem|error)",
            r"reset link",
            r"2fa|two[- ]factor|verification code|authenticat\w+ code|security code",
            r"(?:delete|close|deactivate|remove) (?:my|our|the) (?:whole )?account",
            r"change (?:my|the|our) (?:login )?email",
            r"transfer (?:the )?ownership",
            r"account owner",
            r"hacked|compromised|someone (?:else )?(?:logged|accessed)",
            r"unlock\w*|account (?:\w+ )?locked",
            r"merge (?:the |my |our |both |these )?(?:two )?accounts?|two accounts|duplicate accounts?",
            r"personal data|data (?:export |access |deletion )?request|my data",
            r"already (?:used|in use|registered|taken|exists)",
            r"contraseña|mot de passe|passwort|senha|wachtwoord",
        ),
        *_cues(
            1.5,
            r"log ?in|sign ?in|logging in|signing in|sign ?up|signing up",
            r"username",
            r"my account",
            r"access to (?:my|our)",
            r"logged out|logs me out",
        ),
    ],
    "configuration_help": [
        *_cues(
            3.0,
            r"how (?:do|can|should) (?:i|we) (?:set|setup|configure|connect|map|enable|disable|turn|"
            r"integrate|link|sync|change the (?:default|setting))",
        ),
        *_cues(
            2.5,
            r"set ?up|setting up",
            r"configur\w+",
            r"customi[sz]\w+",
            r"integrat\w+",
            r"connect(?:ing)? (?:\w+ ){0,3}(?:to|with)",
            r"enable|disable",
            r"turn (?:on|off)",
            r"configurar|configuro|configuración|configurer|paramètres|einstellungen|einrichten|verbinde|"
            r"configurações|impostazioni|instellingen",
        ),
        *_cues(
            1.0,
            r"settings?",
            r"preferences?",
            r"default",
            r"permissions?",
            r"install\w*",
            r"time ?zone",
            r"scopes?|api keys?|webhooks?|sso|saml",
        ),
    ],
    "general_inquiry": [
        *_cues(
            2.5,
            r"do you (?:offer|have|provide|support|integrate|work with|sell)",
            r"demo",
            r"can (?:we|i) use \w+ (?:for|with|to)",
            r"partnership|partner with",
            r"(?:contact|talk " r"to|speak (?:to|with)) (?:sales|someone|a person|a human)",
            r"compliance|gdpr|soc ?2|hipaa",
        ),
        *_cues(
            1.0,
            r"wondering (?:if|whether)",
            r"just (?:wanted|curious)",
            r"(?:where|are) you (?:located|based)",
            r"hiring|careers?|job (?:opening|application)s?",
            r"deciding|evaluating|comparing|competitor",
        ),
    ],
    "spam": [
        *_cues(
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
            r"whatsapp",
            r"cheap and fast|best prices?|100 ?% safe",
            r"view (?:invoice|document|file)",
            r"(?:review and )?pay (?:it )?(?:today|now|immediately)",
            r"verify your (?:account|password|identity)",
            r"account (?:will be )?(?:suspended|closed) (?:unless|within)",
        ),
    ],
}

# Patterns counted once per text that are not about a type but tell spam from customers.
URL_PATTERN = re.compile(r"https?://|www\.", re.IGNORECASE)

URGENCY_CUES: dict[str, list[Cue]] = {
    "critical": _cues(
        3.0,
        r"urgent(?:ly)?",
        r"asap",
        r"emergency",
        r"(?:is|are|went|been|completely) down",
        r"outage",
        r"(?:all|none of) (?:our |my |the )?(?:staff|employees|users|team|people|locations|stores|customers)",
        r"(?:nobody|no one|noone) (?:can|is able)",
        r"payroll (?:is )?(?:due|runs?|today|tomorrow)",
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
        r"(?:several|multiple|many) (?:staff|employees|users|people|" r"times)",
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
        prefixes = {word[:length] for word in _LEADING_WORD.findall(lowered) for length in (1, 2, 3)}
        candidates = set(self._always)
        for key in prefixes & self._by_key.keys():
            candidates.update(number for anchor, number in self._by_key[key] if anchor in lowered)
        return [self.cues[n] for n in sorted(candidates) if self.cues[n].pattern.search(text)]


TYPE_CUE_SET = _of_kind(TYPE_CUES)
URGENCY_CUE_SET = _of_kind(URGENCY_CUES)
