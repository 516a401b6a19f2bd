"""Type cue family: reporting that something broke: errors, a negated expectation, stopped, since the
update, crash, blank."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import cue_family, weighted_cues

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

BROKEN = cue_family(
    "broken",
    "product_issue",
    "reporting that something broke",
    weighted_cues(
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
        # Something the software should do by itself that did not happen ("not firing", "none generated",
        # "nothing was sent", "the client got nothing", mail landing in junk).
        r"not (?:firing|triggering|generating|going out|coming in|pulling|populating|loading|syncing|"
        r"updating|sending|opening|printing|importing|exporting|uploading|downloading|applying|counting|"
        r"calculating|connecting|refreshing|rendering|displaying|appearing)",
        r"none (?:of (?:them|these|those|my \w+|the \w+) )?(?:were |was |got |have been |has been )?"
        r"(?:generated|created|sent|imported|synced|delivered|processed|applied|saved|went out|came through)",
        r"nothing (?:was |has been |got |gets |is being |ever )?(?:sent|created|generated|imported|synced|"
        r"saved|delivered)|nothing (?:has )?(?:come|came|comes|went|goes|gone) (?:in|through|out)",
        r"(?:gets?|got|receives?|received|getting) nothing",
        r"(?:junk|spam) (?:folder|mail|box)|(?:in|into|to) (?:the )?(?:junk|spam)",
        r"page blanche|pantalla en blanco|página em branco|(?:leere|weiße) seite|"
        r"não foi (?:criad|enviad|transferid|gerad|importad|salv|atualizad)\w*|"
        r"no se (?:generó|creó|envió|actualiza)\w*|en double|doppelt|duplicad\w*|dupliqu\w*|"
        r"(?:funcionou|funcionaba|marchait|funktionierte) (?:normalmente|bien|bem|normalement|normal)",
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
    weighted_cues(
        2.0,
        r"how (?:do|can|should) (?:i|we) (?:fix|stop|get rid of|prevent|resolve|repair|recover|restore)",
    ),
    weighted_cues(
        1.0,
        r"wrong",
        r"incorrect(?:ly)?|inaccurate|(?:isn'?t|aren'?t|is not|are not|wasn'?t|not) (?:correct|accurate)",
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
