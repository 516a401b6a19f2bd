"""Type cue family: asking how: question forms about what the customer can do."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import cue_family, weighted_cues

ASKING_HOW = cue_family(
    "asking_how",
    "how_to_question",
    "asking how to do something",
    weighted_cues(
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
    weighted_cues(2.0, r"(?:can|could) (?:i|we) (?:(?!you\b|your\b|ask\b)[\w'-]+[ ,]*){1,12}\?"),
    weighted_cues(
        1.5,
        r"is it possible to",
        r"can (?:i|we) (?:\w+ ){0,2}(?:change|see|view|export|add|edit|set|make|"
        r"use|move|find|get|remove|delete|print|download|assign|copy|hide|show|limit|restrict|share|undo|"
        r"restore|rename|split|merge|schedule|invite)",
    ),
    weighted_cues(
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
