"""Type cue family: an account or access problem: log in, password, 2FA, locked out, lost access,
delete my account."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import cue_family, weighted_cues

ACCESS = cue_family(
    "access",
    "account_issue",
    "having an account or access problem",
    # Being locked out outweighs the symptoms told on the way ("keeps asking for a code that never comes").
    weighted_cues(4.5, r"locked out|lock(?:ed)? (?:me|us) out"),
    weighted_cues(
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
    weighted_cues(
        3.0,
        r"password",
        r"reset link",
        r"2fa|two[- ]factor|verification code|authenticat\w+ code|security code|mfa",
        r"personal data|data (?:export |access |deletion )?request|my data",
        r"contraseña|mot de passe|passwort|senha|wachtwoord|double authentification|doble factor|"
        r"zwei-faktor|dois fatores",
        topical=True,
    ),
    weighted_cues(
        1.5,
        r"log ?in|sign ?in|logging in|signing in|sign ?up|signing up",
        r"logs? (?:me|us|them|him|her|people|everyone) out|(?:keeps?|kept|getting|gets|got|being) "
        r"(?:\w+ )?logged out",
        r"access to (?:my|our)",
    ),
    weighted_cues(1.5, r"username", r"my account", r"invit(?:e|ation) (?:link|email)", topical=True),
)
