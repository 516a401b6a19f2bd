"""Type cue family: spam: selling something unrelated, phishing."""

from __future__ import annotations

from feedback_assets.engines.offline.cues.matching import cue_family, weighted_cues

SPAM = cue_family(
    "spam",
    "spam",
    "selling something unrelated, phishing",
        weighted_cues(
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
        weighted_cues(
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
