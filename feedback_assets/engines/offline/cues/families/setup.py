"""Type cue family: configuration: set up, integrate, connect, configure, settings, API keys, webhooks."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import cue_family, weighted_cues

SETUP = cue_family(
    "setup",
    "configuration_help",
    "setting something up",
    weighted_cues(
        3.0,
        r"(?:how|what) (?:do|can|should) (?:i|we) (?:need to |have to )?(?:set|setup|configure|connect|map|"
        r"enable|disable|turn|integrate|link|sync|change the (?:default|setting))",

    ),
    weighted_cues(
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
    weighted_cues(4.0, r"(?:require|enforce|mandatory|force) (?:2fa|two[- ]factor|mfa|sso|single sign[- ]on)"),
    weighted_cues(2.5, r"integrat\w+|integración|intégration", topical=True),
    weighted_cues(1.0, r"default", r"install\w*", r"time ?zone"),
    weighted_cues(1.0, r"settings?", r"preferences?", r"permissions?", topical=True),
    # The technical objects of a setup: what configuration help is about when nothing is broken.
    weighted_cues(
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
