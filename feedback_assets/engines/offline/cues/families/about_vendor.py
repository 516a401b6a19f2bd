"""Type cue family: asking about the vendor: sales, compliance, press, praise, availability."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import cue_family, weighted_cues

ABOUT_VENDOR = cue_family(
    "about_vendor",
    "general_inquiry",
    "asking about the vendor, or just saying thanks",
    weighted_cues(3.0, r"do you (?:offer|have|provide|support|integrate|work with|sell)"),
    weighted_cues(
        2.5,
        r"demo",
        r"can (?:we|i) use \w+ (?:for|with|to)",
        r"partnership|partner with",
        r"(?:contact|talk to|speak (?:to|with)) (?:sales|someone|a person|a human)",
        r"compliance|gdpr|soc ?2|hipaa",
        r"public roadmap|status page",
        r"who (?:should|can|do) (?:i|we) (?:talk|speak) (?:to|with)",
    ),
    weighted_cues(
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
