"""Type cue family: asking for something new: wishes, "please add", "it would help if", feature, roadmap."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import cue_family, weighted_cues

WISH = cue_family(
    "wish",
    "feature_request",
    "asking for something new",
    weighted_cues(
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
    weighted_cues(
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
    weighted_cues(1.0, r"(?<=\w, )please(?:[.!]|$)"),
    weighted_cues(
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
