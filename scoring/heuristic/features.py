"""Structure an interviewer listens for: named features, each found by one compiled pattern.

The failure-mode signals in fixtures/failure_modes.json refer to these features by name (as
remedies, or as what an answer of some kind must contain), so the vocabulary of *good* structure
lives here once, and the fixtures say which structure cures which failure.
"""

import re
from dataclasses import dataclass

from scoring.heuristic.fastre import Finder

_I = re.IGNORECASE

# Nouns for the people a product serves.
_PEOPLE = (
    r"(?:users?|creators?|sellers?|merchants?|viewers?|fans?|hosts?|buyers?|shoppers?|"
    r"advertisers?|parents?|teens?|teenagers?|students?|musicians?|artists?|freelancers?|"
    r"owners?|businesses|customers?|people|gamers?|promoters?|venues?|brands?|families|"
    r"drivers?|riders?|readers?|subscribers?|streamers?|audiences?|learners?|teachers?|"
    r"educators?|women|men|kids|grandparents|seniors|travell?ers|diners|renters|players?|"
    r"workers|cooks|learners|shops|cafes|restaurants|commuters|patients|employees|singers?|"
    r"dancers?|athletes?|podcasters?|photographers?|chefs?|retirees|landlords?|"
    r"tenants?|tutors?|coaches|nurses?|doctors?|barbers?|hairdressers?|bakers?|bakeries|"
    r"makers?|listeners?|bookers?|guests?|members|friends|friend groups|couples|households|"
    r"flatmates|roommates)"
)


# A capitalised name before a noun ("TikTok Shop sellers", "Priya"), not a sentence opener.
_PROPER = (
    r"(?-i:(?!The\b|Our\b|All\b|These\b|Those\b|Many\b|Some\b|Most\b|More\b|Other\b|"
    r"Both\b|Each\b|Every\b|If\b|When\b|So\b|And\b|But\b|Then\b|Few\b|No\b|Any\b|Once\b|"
    r"After\b|Before\b|Since\b|While\b|Because\b|For\b|With\b|Without\b|In\b|On\b|At\b|"
    r"Also\b|Now\b|Here\b|There\b|Even\b|Only\b|Just\b|What\b|Which\b|Who\b|How\b|Why\b|"
    r"Where\b|It\b|They\b|We\b|You\b|This\b|That\b|My\b|Their\b|Until\b|Although\b)"
    r"[A-Z][A-Za-z]+)"
)


# Numbers as interviewees say them: "34%", "thirty-four percent", "six point two", "a third".
_NUMWORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion)"
)
_WORDNUM = rf"(?:{_NUMWORD}(?:[- ](?:and )?(?:{_NUMWORD}|point))*)"
# (every alternative starts with a literal, so fastre can index it)
_NUM = rf"(?:\d[\d,.]*\s?k?|{_WORDNUM}|(?:a|an) {_WORDNUM}|a (?:third|quarter|half))"
# A quantity that is a measure, not a count of things: percentages, points, multiples, money.
# ("at one point" is a moment, so a spelled number needs "points").
_RATIO_UNIT = (
    r"(?:%|percent\b|per cent\b|percentage points?\b|points\b|times (?:more|higher|as|faster|"
    r"better|the)\b|basis points\b|(?:dollars|pounds|euros|rupees)\b)"
)


@dataclass(frozen=True)
class Feature:
    name: str
    label: str
    finder: Finder
    negatable: bool = True  # "no control group" does not count as a control group
    hedgeable: bool = False  # "we could set up a control of some kind, I guess" does not count
    counted: bool = False  # every occurrence matters, not just the first


def _f(name: str, label: str, pattern: str, **kw: bool) -> Feature:
    return Feature(name, label, Finder(pattern), **kw)


FEATURES: tuple[Feature, ...] = (
    _f(
        "outcome_metric",
        "an outcome metric",
        r"\bretention\b|\bretain\w*|\bchurn\w*|\bconver(?:t|ts|ted|sion|sions|ting)\b|"
        r"\brepeat (?:\w+ )?(?:creation|purchases?|use|usage|posting|visits?|orders?|listings?|"
        r"buyers?|customers?)|\brevenue\b|\bgmv\b|\bltv\b|\blifetime value|\barp(?:p)?u\b|"
        r"\bpurchas\w*|\bpaying\b|\bpaid (?:users|subscribers?|conversion)|\bsubscri(?:be|bers?|"
        r"ptions?)\b|\border(?:s| rate| value| volume| count)\b|\b(?:an|first|repeat|"
        r"second) order\b|\bcheckouts?\b|\btransactions?\b|\bsales\b|\bbookings?\b|"
        r"\bactivat\w+|\bd\d{1,2}\b|\bw\d{1,2}\b|\bday[- ]?\d{1,2}\b|\b\d{1,2}[- ]day\b|"
        r"\b(?:daily|weekly|monthly) active|\b(?:dau|wau|mau)\b|\bactive (?:users|creators|sellers|"
        r"buyers)|\bstickiness|\btime spent|\bwatch time|\bcompletion\b|\bcreation\b|"
        r"\b(?:post|create|upload|buy|purchase|list|order|book)\w* (?:a |their |at least one )?"
        r"(?:second|another|again)\b(?![- ]hand)|\b(?:come|comes|came|coming) back|"
        r"\bstill (?:posting|active|using|creating|selling|listing|streaming|buying)|"
        r"\bkeep (?:posting|using|creating|selling|listing|streaming|buying)|"
        r"\b(?:posts?|uploads?|videos?|listings?|orders?|purchases?|sessions?|gifts?|minutes) per "
        r"(?:\w+ )?(?:creator|user|buyer|seller|host|viewer|regular|saver|week|month|day)\b|"
        r"\bposting frequency|\bearn(?:ings|ing|s)?\b|\bincome\b|\bacceptance rate|"
        r"\breturn(?:ing)? (?:users|"
        r"viewers|creators|buyers|visits?|rate)|\bincremental (?:\w+ )?(?:installs|users|revenue|"
        r"purchases|sign-?ups|sales)|\bcac\b|\broas\b|\broi\b|\bpayback|\bmargin\b|"
        r"\bcost per (?:acquisition|retained|activated|paying|sale)|\bengaged users",
        negatable=False,
        counted=True,
    ),
    _f(
        "threshold",
        "a target or threshold",
        rf"\b\d+(?:\.\d+)?\s?(?:%|percent\b|pp\b|percentage points?|points?\b|x\b|bps\b)|"
        rf"\b{_WORDNUM}\s{_RATIO_UNIT}|\b(?:twice|half|a third|a quarter) as\b|"
        r"\$\s?\d|\b\d[\d,.]*\s?(?:k|m|mm|million|billion|bn)\b|\ba (?:million|billion)\b|"
        r"\b(?:at least|at most|no less than|more than|above|below|under|minimum of|target(?: of|"
        r" is)?|"
        r"threshold(?: of| is)?|goal of|clears?|beats?|hits?|hitting|reach(?:es|ing)?|exceeds?)\s+"
        rf"(?:a\s+)?(?:\$\s?)?(?:\d|{_WORDNUM}\b)|"
        rf"\b(?:{_NUMWORD}[- ])+(?:thousand|million|billion)\b|"
        r"\bthreshold\b|\bstatistically significant|\bsignifican(?:t|ce)\b|"
        r"\bminimum detectable|\bmde\b|\btop (?:three|five|ten|\d+)\b|"
        r"\b(?:doubl|tripl|halv)\w+\b(?! down\b)|"
        # Fractions as bars: "up by at least a fifth", "more than a third".
        r"\b(?:at least|at most|more than|no less than|by) (?:a |one[- ])?(?:half|third|quarter|"
        r"fifth|tenth)\b",
        hedgeable=True,
        counted=True,
    ),
    _f(
        "baseline",
        "a baseline",
        r"\bbaseline|\bcompar\w+ (?:\w+ ){0,4}?(?:to|with|against)\b|\brelative to\b|"
        r"\b(?:vs\.?|versus) (?:the )?(?:holdout|control|last|previous|prior|baseline|pre|before|"
        r"old|"
        r"current|same|existing|organic|non-|un|a control|a holdout)|\bpre[- ](?:launch|period|"
        r"campaign|test|period)|"
        r"\bcurrent (?:rate|level|value|number)|\bbenchmark|\bhistorical|"
        r"\b(?:year|week|month)[- ]over[- ](?:year|week|month)|\byoy\b|\blast (?:year|month|"
        r"quarter)\b|\bfrom \$?\d[\d,.]*\s?%? (?:\w+ )?to \$?\d|\bprevious (?:\w+ )?(?:period|sale|"
        r"launch|year|quarter|month)|"
        r"\b(?:return\w*|(?:go|goes|come|comes|get|gets|bounce\w*) back) to (?:the |its |their )?"
        r"(?:previous |prior |"
        r"old |earlier |normal )?(?:level|rate|number|value|baseline|normal)s?\b|"
        r"\b(?:level|rate|number|value)s? (?:before|prior to)\b|"
        r"\b(?:against|versus|vs\.?|compared (?:to|with)) (?:the |today[’']s )?(?:current|existing|"
        r"old|previous|status quo)\b|"
        r"\b(?:against|versus|vs\.?|compared (?:to|with)) (?:the |our |a |its )?(?:\w+ )?"
        r"(?:business case|plan|forecast|budget|target|projection|model)s?\b",
        hedgeable=True,
    ),
    _f(
        "control",
        "a control group or holdout",
        r"\bcontrols?\b|\bhold[- ]?outs?\b|\bheld[- ]out\b|\ba/b\b|\bab test|\bsplit[- ]test|"
        r"\brandomi[sz]\w*|\bgeo[- ]?(?:split|test|experiment|holdout|lift)|"
        r"\bmatched (?:\w+ )?(?:markets?|regions?|cities|city|cohorts?|pairs?|countr\w+)|"
        r"\bdiff(?:erence)?[- ]in[- ]diff\w*|\bincrementality|\bincremental (?:lift|impact|effect)|"
        r"\bsynthetic control|\btreatment (?:group|arm|cohort)|\btest (?:and|vs\.?|versus) control|"
        r"\b(?:unexposed|non[- ]exposed|not exposed)\b|\bcounterfactual|\blift (?:study|test)|"
        r"\bwithout the (?:feature|toggle|tab|campaign|change)\b|"
        r"\b(?:against|versus|vs\.?|compared? (?:with|to)|than|relative to)\s+(?:\w+\s+){0,3}?"
        r"(?:who|that|which|where)\s+(?:\w+\s+)?(?:weren[’']t|were not|didn[’']t|did not|don[’']t|"
        r"do not|never|aren[’']t|are not|haven[’']t|have not|won[’']t|will not|lack)\b|"
        r"\b(?:similar|comparable|matched|equivalent|lookalike) (?:\w+ )?(?:users|creators|sellers|"
        r"hosts|groups?|accounts|restaurants|shops|stores|regions|markets|cities|viewers|buyers)\b"
        r"(?= (?:who|that|with|without|in|from)\b)",
        hedgeable=True,
    ),
    _f(
        "experiment",
        "an experiment",
        r"\bexperiment\w*|\btest(?:ing)? (?:whether|if|the hypothesis)|\brun (?:a|an) "
        r"(?:test|experiment|pilot)|\bpilot\b|\btrial\b",
        hedgeable=True,
    ),
    _f(
        "hypothesis",
        "a hypothesis",
        r"\bhypothes[ie]s\b|\bhypothesi[sz]\w+|\bi (?:believe|bet|expect|suspect|predict) that\b|"
        r"\bwe (?:bet|expect|predict) that\b|\bmy bet\b|\bthe bet is\b|\bassumption (?:is|that)\b|"
        r"\bif (?:we|i)\b[^.;]{0,60}?\bthen\b|\bthe value we need to prove\b|\bwe need to prove\b",
    ),
    _f(
        "staging",
        "a staged rollout",
        r"\bbeta\b|\bpilot\w*|\bsoft[- ]launch|\blimited (?:launch|release|roll-?out|beta|test|"
        r"pilot|market)|\bphased?\b|\bstaged\b|\bin (?:phases|stages|waves)\b|"
        r"\bphase (?:1|one|2|two)\b|\bgradual\w*|\bcanary|\btest market|"
        r"\b(?:one|a single|single|1|two|2|a few|few|small|handful of|one or two|a couple of|"
        r"pilot|test|seed|lead)\s+(?:\w+\s+)?(?:market|country|region|city|cities|markets|"
        r"countries|regions|geo|geos|category|categories)\b|"
        r"\b(?:start|begin|launch|ship|open|test|try)\w*\b[^.;]{0,40}?\b(?:in|with) (?:one|"
        r"a single|"
        r"just one|only one)\b|\bonly first\b|\bfirst (?:in|to) (?:\w+ ){0,2}?"
        r"(?:\d|one|a)|"
        r"\broll(?:ing)? (?:it |this )?out to (?:about |around )?\d|\b\d{1,2}(?:\.\d+)?\s?% of "
        r"(?:users|traffic|creators|accounts|sellers|viewers)|\bsmall (?:test|group|cohort|"
        r"percentage|share|sample|slice|subset)|\bbefore (?:we )?(?:scal\w+|expand\w+|rolling|"
        r"roll out|going|any|a (?:broad|wide|full|global)|spending|investing|committing)|"
        r"\b(?:expand|scale|roll out|rolling out|roll it out|widen|broaden|go wide|go global|"
        r"go to \w+ more)\w*\b[^.;]{0,40}?\b(?:only )?(?:if|once|when|after|until)\b|"
        r"\bonly (?:if|once|after|when) (?:we|it|the|conversion|retention|\w+ (?:rate|taps))|"
        r"\bgat(?:e|ed|ing) (?:on|by)\b|\binvite[- ]only|\bwaitlist|\bearly access|"
        r"\bvalidat\w+ (?:the )?(?:core|value|demand|product|concept|hypothesis|assumption)|"
        r"\btest[- ]and[- ]learn|\bonly broaden\b|\bfurther\b[^.;]{0,20}\bif\b|"
        # "start in Germany only", "go to Brazil only if", "10% of eligible German hosts"
        r"\b(?:start|begin|launch|open|pilot|test)\w*\s+(?:\w+\s+){0,2}?(?:in|with)\s+\w+"
        r"(?:\s+\w+)?\s+only\b|"
        r"\b(?:go|move|expand|extend|open|come|bring it)\w*\s+(?:to|into)\s+\w+"
        r"(?:\s+\w+)?\s+only\s+(?:if|once|when|after)\b|\b\d{1,2}(?:\.\d+)?\s?% of (?:\w+\s+){1,3}?"
        r"(?:users|hosts|creators|sellers|viewers|accounts|shoppers|advertisers|merchants|brands|"
        r"streamers|buyers)\b",
    ),
    _f(
        "recommendation",
        "a clear recommendation",
        r"\bi (?:would |[’']d |will |[’']ll )?(?:strongly )?(?:recommend|propose|advise|choose|"
        r"pick|go with|opt for)\b|\bmy (?:recommendation|call|decision|verdict|pick|choice|answer|"
        r"bet|vote|proposal)\b|\b(?:recommendation|decision|verdict|bottom line)\s?(?:is\b|:|\.)|"
        r"\bno[- ]go\b|\bgo/no[- ]go\b|\bgo decision\b|\b(?:yes|no)(?:,|:| —) (?:we|i|not)\b|"
        r"\bi[’']d (?:rather|prefer)\b|\bi (?:decided|chose|recommended|proposed|made the call|"
        r"pushed for|argued for|went with|called it)\b",
        negatable=False,
    ),
    _f(
        "commitment",
        "a committed plan",
        r"\b(?:i|we)(?:[’']d| would| will|[’']ll| must| should| am going to| are going to| plan to)"
        r"\s+(?:(?:also|then|first|probably|still|just|definitely|strongly|now|immediately|"
        r"simply|only)\s+)*+(?!(?:want|need|like|love|have (?:to|been|a (?:look|think))|think|"
        r"say|guess|imagine|consider|"
        r"hold|wait|revisit|defer|postpone|circle|regroup|dig|investigate|research|gather|"
        r"keep (?:investigating|digging|looking|exploring|monitoring)|"
        r"explore|maybe|look|be|see|dig|wonder|argue|hope|probably|try|get more|ask|"
        r"keep (?:both|all|our|the) options)\b)[a-z]\w+|"
        r"(?:^|(?<=\n)|(?<=: )|(?<=- )|(?<=\. )|(?<=; ))(?:roll back|revert|ship|launch|pause|stop|"
        r"kill|"
        r"fix|"
        r"hotfix|expand|cut|keep|scale|go with|build|pick|choose|start|renew|drop)\b|"
        # A terse plan that sequences its options: "Seoul first, Busan in month 4".
        r"(?:^|(?<=\n)|(?<=- ))(?-i:[A-Z][\w-]+)(?: (?-i:[A-Z][\w-]+))? first\b|"
        r"\bi (?:would not|wouldn[’']t|won[’']t|will not) (?:launch|ship|build|go|expand|invest|"
        r"roll|open|do|react|change|switch)\b|"
        r"\bi (?:recommend|propose|suggest|choose|pick|focus|build|ship|launch|start|ask|decide)\b|"
        r"\bmy (?:recommendation|answer|call|decision|proposal|pick|choice|plan|bet|verdict)\b|"
        r"\bgo/no[- ]go\b|(?:\blet[’']s|(?:^|(?<=[.:;] ))lets) "
        r"(?!see|think|talk|discuss|wait|revisit|circle|regroup|dig|explore|look|gather|hold)\w+|"
        r"\bi (?:decided|chose|recommended|proposed|made the call|pushed (?:for|to)|argued for|"
        r"went with|convinced|persuaded|took (?:that|it|this) to|pushed (?:the|our|it|this|that)|"
        r"prioriti[sz]ed|backed|championed|killed|cut|dropped|moved (?:the|our|it)|"
        r"made the case)\b",
        negatable=False,
    ),
    _f(
        "proposal",
        "a proposal",
        r"\b(?:i|we)(?:[’']d| would| will|[’']ll| must| should| could| am going to| are going to|"
        r" plan to)\s+(?:(?:also|then|first|probably|still|just|definitely|strongly|now|"
        r"immediately|simply|only)\s+)*+(?!(?:want|need|like|love|think|say|guess|imagine|wonder|hope|"
        r"hold|wait|revisit|defer|postpone|circle|regroup|dig|investigate|research|gather|"
        r"keep (?:investigating|digging|looking|exploring|monitoring)|"
        r"keep (?:both|all|our|the) options)\b)[a-z]\w+|\bmy (?:proposal|plan)\b|\bi propose\b|"
        r"(?:^|(?<=\n)|(?<=: )|(?<=- )|(?<=\. )|(?<=; ))(?:launch|roll|run|start|build|ship|"
        r"partner|recruit|seed|"
        r"offer|target|focus|pilot|test|create|add|send|pay|sign|bundle|open|expand|put|spend|"
        r"hire|channel|budget)\b|\bi build\b",
        negatable=False,
    ),
    _f(
        "intervention",
        "a proposal to change something",
        r"\b(?:i|we)(?:[’']d| would| will|[’']ll| should| must| have to| need to| are going to)\s+"
        r"(?:(?:also|then|first|probably|just|immediately|quickly|urgently|simply)\s+)?"
        r"(?:launch|build|introduce|create|roll (?:out|it back|back)|add|start a|set up a|retrain|"
        r"respond|react|fight back|drop|pay|focus|concentrate|redirect|announce|offer|replace|"
        r"remove|"
        r"cut|move|shift|change|switch|kill|stop|pause|increase|reduce|redesign|reallocate|"
        r"(?:recommend|suggest|propose) (?:cutting|moving|rolling|launching|building|changing|"
        r"pausing|stopping|shifting|switching|adding|reducing|increasing))\b|"
        r"\b(?:i|we)(?:[’']d| would| will|[’']ll| should)\s+(?:ask|get|have|tell)\b[^.;]{0,40}?"
        r"\b(?:to )?(?:increase|raise|reduce|cut|launch|build|add|change|move|shift|stop|pause|"
        r"spend|double|boost|fix|relax|loosen|tighten|remove|revert|roll back|rewrite|update|drop|"
        r"push back|publish|send|give|switch|replace|retire)\b",
    ),
    _f(
        "metric_word",
        "a metric",
        r"\b(?:views|impressions|likes|followers|follower growth|downloads|installs|reach)\b|"
        r"\brate\b|\bshare of\b|\bper(?<=[a-z]s per) (?:\w+ )?[a-z]+\b|\bper (?:user|creator|buyer|"
        r"seller|host|viewer|thousand|1k|day|week)\b|\bmetrics?\b|\bkpis?\b|\bnumber of\b|%|"
        r"\b(?:minutes|hours|sessions|usage|sign-?ups|clicks|taps|shares|listens|streams|visits|"
        r"uploads|posts|orders|bookings|purchases|preorders|defaults?|complaints|reports)\b",
        negatable=False,
    ),
    _f(
        "ratio_metric",
        "a rate built on a count",
        r"\b(?:share|percentage|proportion|fraction|rate) of (?:\w+ ){0,3}?(?:views|impressions|"
        r"viewers|followers|installs|downloads|plays|likes|reach)\b|%(?<=\w%) of (?:\w+ ){0,3}?"
        r"(?:views|impressions|viewers|followers|installs|downloads|plays|likes|reach)\b|\b(?:views|impressions|"
        r"installs|downloads|plays)[- ]to[- ]\w+|\bper (?:\w+ )?(?:view|impression|install|"
        r"download|play)\b",
        negatable=False,
        counted=True,
    ),
    _f(
        "measure_context",
        "a success measure",
        r"\bsuccess|\bmeasur\w*|\bmetrics?\b|\bkpis?\b|\bnorth star|\bprimary\b|\bgoal\b|"
        r"\btargets?\b|\btrack\w*|\bjudg\w*|\baim\w*|\bthreshold|\boutcome|\bwin\b|"
        r"\bversus\b|\bvs\.?\b|\bagainst\b|\bholdout|\bcontrol\b|\blift\b|\bcompar\w+|"
        r"\bgo/no-go|\bdecision\b|\bcare about|\bmatters?\b",
        negatable=False,
    ),
    _f(
        "tech",
        "technology",
        r"\b(?:models?|architecture|gpus?|latency|infrastructure|transformers?|embeddings?|"
        r"diffusion|quantis\w+|quantiz\w+|on-device|server-side|microservices?|monolith|backend|"
        r"neural|parameters|inference|p95|throughput|data warehouse|migration|classifier|"
        r"fine-tuned|distilled|licen[cs]es|servers?|deploy\w*|ai)\b",
        negatable=False,
        counted=True,
    ),
    _f(
        "business_case",
        "a reason from the business, rivals or regulators",
        r"\bcompetitors?\b|\bcompetitive\b|\brivals?\b|\bincumbents?\b|\bfirst[- ]mover|"
        r"\bmarket (?:share|size|leader\w*|position|opportunity)\b|\bshare of (?:voice|wallet)\b|"
        r"\b(?:huge|large|big|massive|fast[- ]growing|growing|trillion[- ]dollar|"
        r"billion[- ]dollar) (?:\w+ )?market\b|\brevenue (?:line|stream|opportunity)\b|"
        r"\bregulators?\b|"
        r"\bregulat(?:ion|ory)\b|\bthe press\b|\bpress (?:coverage|stories|investigations?)\b|"
        r"\banalysts?\b|\bokrs?\b|\bnorth star\b|\bstrategic\b|\bplant our flag\b|"
        r"\bthe window\b|\bswitching costs?\b|\bleadership (?:wants|asked|expects)\b|"
        r"\bthe ceo\b|\bdifferentiat\w+|\b(?:is|are) the future\b|\bbrand\b",
        negatable=False,
        counted=True,
    ),
    _f(
        "product_talk",
        "a product",
        r"\b(?:feature|roadmap|launch\w*|product|migration|platform|system|service|architecture|"
        r"infrastructure|warehouse|app|building|built|shipped|shipping|"
        r"redesign\w*)\b",
        negatable=False,
    ),
    _f(
        "we",
        "we",
        r"\b(?:we|our|us)\b",
        negatable=False,
        counted=True,
    ),
    _f(
        "prioritization",
        "explicit prioritisation",
        r"\bpriorit\w+|\brank\w*\b|\btrade[- ]?offs?\b|\bstart (?:with|by)\b|\bbegin with\b|"
        r"\bfocus(?:ing)? (?:first |only |initially )?on\b|\bi focus\b|"
        r"\b(?:first|top|highest|number one|main|biggest) (?:priority|bet|focus)\b|"
        r"\bdeprioriti\w+|\b(?:leave|leaving|left|leaves) (?:\w+ ){0,4}?(?:out|aside|for later)\b|"
        r"\bnot (?:now|yet|in scope|a priority)\b|\bout of scope\b|"
        r"\b(?:would|will|i[’']d|we[’']d)(?: not|n[’']t) (?:pursue|target|build|do|go after|enter|"
        r"invest in|"
        r"start with|bother)|\bwhat i would not do\b|\b(?:skip|park|defer|drop|dropped|postpone|"
        r"cut|cutting)\b (?:\w+ ){0,3}?(?:for now|from v1|until|later|scope)|\bcut scope\b|"
        r"\bfor now\b|\bfor later\b|\bphase (?:1|one)\b|\bp0\b(?<!all p0)(?<!them p0)(?<!these p0)|"
        r"\b(?:can|will|would|should|must|could) wait\b|\bwaits?\b(?=[.;,]| (?:until|till|for) "
        r"(?:now|later|next|v2|phase|the next|a later))|"
        # "start in Germany only": one market before the others
        r"\b(?:start|begin)\w*\s+(?:in|with)\s+\w+(?:\s+\w+)?\s+only\b|"
        # "next quarter" sequences only when something is put off to it, not "in the next
        # release" for everyone.
        r"\b(?:until|till|for|rest|others|remaining|(?:push|mov|defer|sav|leav)\w* (?:\w+ )?"
        r"(?:to|for))(?: the)? next (?:quarter|half|release|version)\b|"
        r"\bmust[- ]haves?\b|\brice\b|"
        r"\bimpact (?:vs\.?|versus|and|over) effort|\bsequenc\w+|\bbeachhead|\bchoose (?:one|"
        r"a single)\b|"
        r"\b(?:i[’']d|i would|i will|i[’']ll) (?:pick|choose|build) (?:the )?(?:first|one|this|"
        r"that)\b|"
        r"\b(?:before|over|instead of|rather than) (?:pinned|the others|a |an |the )[^.;]{0,40}?"
        r"\b(?:because|which)\b|\bthis over\b|\bover (?:a|the) \w+(?: \w+)?, which\b|"
        r"\bwhere first\b|\bfirst (?:market|segment|bet|choice)\b|\bthe most (?:risk|important|"
        r"urgent)|"
        r"\b(?:need|want|use) (?:this|it) (?:the )?most\b|\bmost (?:important|valuable|urgent)\b",
    ),
    _f(
        "diag_segment",
        "a segmented look at the data",
        r"\b(?:android|ios|web|desktop|mobile) (?:\w+ )?users\b|\bsegment\w*\b(?: \w+){0,3}? by\b|"
        r"\bi segment\b|\b(?:break|broke|breaking|split|slice|"
        r"cut|drill)\w*\b(?: \w+){0,4}? (?:down |out )?by\b|\bby (?:platform|region|country|geo|"
        r"app version|version|os|device|cohort|segment|market|user type|channel|traffic source|"
        r"tenure|city|category|seller size)|\b(?:ios|android|web)\b (?:vs\.?|versus|and|or) "
        r"\b(?:android|ios|web)\b|\bnew (?:users|creators|sellers) (?:vs\.?|versus|and|or) "
        r"(?:existing|old|returning)|\bwhich (?:app )?version|\bwhich (?:cities|regions|"
        r"platforms?|segments?)|\bbig (?:\w+ )?(?:vs\.?|versus) small\b|\bis it (?:only|just|"
        r"everywhere)|\bparticular segment",
    ),
    _f(
        "diag_data",
        "a check that the data is right",
        r"\b(?:tracking|logging|instrumentation|telemetry|pipeline|data quality|"
        r"event (?:definition|"
        r"schema)|etl|sdk|partition|logs?|logged)\b|"
        r"\bis (?:the (?:drop|change|spike|dip|data) |it )?real\b|"
        r"\breal or (?:data|a bug|noise)|\bsanity[- ]check|\breconcil\w+|\bdiscrepanc\w+|"
        r"\bdefinitions?\b|\bmeasuring different\b|\bsource of truth|\braw (?:\w+ )?(?:table|"
        r"data|logs|events)|\b(?:server|client)[- ]side\b|\ba real (?:drop|dip|decline|change|"
        r"spike|increase)\b|\btime window|\bdashboard (?:is |might be )?(?:lagging|broken|"
        r"wrong)",
    ),
    _f(
        "diag_cause",
        "alternative causes",
        r"(?P<season>\bseasonal\w*|\bholiday\w*|\beid\b|\bchristmas|\bramadan|\bsummer|"
        r"\bback[- ]to[- ]school)|(?P<algo>\balgorithm\w*|\branking\b|\bdistribut\w+ (?:change|"
        r"rule)|"
        r"\brecommendation (?:model|change|update))|(?P<comp>\bcompetit\w+)|"
        r"(?P<bug>\bbug\b|\bcrash\w*|\boutage|\bhotfix|\brelease\b|\bapp (?:update|version))|"
        r"(?P<trend>\bcontent (?:trend|mix|supply|rule)|\btrends? (?:shift|change)|\bmix shift|"
        r"\b(?:competing|rival|new|viral) trend)|(?P<timing>\btiming\b|\blaunch (?:date|day|week))|"
        r"(?P<supply>\bfewer (?:\w+ )?(?:creators|sellers|hosts|posts|videos)|\bcreator mix)|"
        r"(?P<price>\bprice\b|\bdiscount|\baverage order value|\baov\b)|"
        r"(?P<external>\bexternal\b|\bnews\b|\bregulat\w+|\bpolicy change|\bnetwork\b)|"
        r"(?P<refund>\brefunds?\b|\bcancellations?\b)|"
        r"(?P<filtering>\b(?:bot|fraud|spam|invalid[- ]traffic) (?:filter\w*|detection|traffic)|"
        r"\bfilter\w* (?:rules|differences?))|(?P<lag>\b(?:data|reporting) (?:lag|delay)s?\b|"
        r"\blags? (?:by |about |around )?(?:a day|\d+ hours|\w+ hours|\d+ days|\w+ days)\b)|"
        r"(?P<novelty>\bnovelty|\bfatigue|\btired of)",
        counted=True,
    ),
    _f(
        "leading_indicator",
        "a leading indicator",
        r"\bleading (?:indicator|metric|signal)s?\b|\bprox(?:y|ies)\b|\bearly (?:signal|indicator|"
        r"read|metric|warning|data)s?\b|\bwithin (?:the first )?(?:\d+|a|one|two|three|first|48|72)"
        r" (?:days?|weeks?|hours?)\b|\b(?:in|after) the first (?:few )?(?:days?|weeks?|48|72)\b|"
        r"\bin week (?:one|1)\b|\bd[137]\b|\bday(?<!\bfrom day)[- ]?(?:1|one|3|three|7|seven)\b|"
        r"\bfirst[- ](?:week|day|session|few days)\b|"
        # "weekly" and "daily" as a reading's pace, not "weekly users" or "a weekly review".
        r"\b(?:weekly|daily)\b(?! (?:(?:active |us |paying )?users|offers?|reviews?|changes?|basis|"
        r"cadence|meetings?|syncs?|stand-?ups?|reports?|updates?|emails?|newsletters?)\b)|"
        r"\bper day\b|"
        r"\breal[- ]time\b|\bin days\b|\b(?:48|72)[- ]hours?\b|\bfast (?:read|iteration|feedback)|"
        r"\bquick (?:read|signal)|\bpredict\w* (?:of )?(?:retention|revenue|conversion|churn|ltv)|"
        r"\bintermediate\b|\bfunnel steps?\b|\btap[- ]through|\badd[- ]to[- ]cart|"
        r"\bfirst[- ](?:post|upload|purchase) rate",
    ),
    _f(
        "user_segment",
        "a specific user segment",
        rf"\b(?:new|casual|power|heavy|light|first[- ]time|small|smaller|smallest|mid[- ]?tier|"
        rf"mid[- ]?size|mid[- ]?sized|emerging|established|aspiring|young|younger|older|returning|"
        rf"lapsed|dormant|rural|urban|local|independent|indie|beginner|novice|professional|"
        rf"part[- ]time|busy|overseas|educational|education|existing|targeted|exposed|regular|"
        rf"core|target|primary|college|{_PROPER})\s+(?:\w+\s+)?{_PEOPLE}\b|"
        rf"\b{_PEOPLE} (?:who|whose|of|that|with (?!the feature|access|it\b)|in|aged|under|over|"
        rf"there|from|"
        rf"without)\b|\b{_PEOPLE},? (?:especially|mostly|particularly)\b|"
        rf"\b{_PEOPLE} (?!(?:going|getting|doing|having|being)\b)[a-z]+ing\b|"
        rf"\bfor (?:\w+ ){{0,3}}?{_PEOPLE}\b|\bgen[- ]?z\b|\bmillennials?\b|\bpersonas?\b|"
        r"\b(?:user|customer|audience|creator|buyer|seller) segments?\b|\bsegment (?:i|we)\b|"
        r"\b(?:core|target|primary) (?:user|customer|audience)\b|"
        r"\b(?:user|customer|audience|group|segment|listener|viewer|buyer|seller|host|player|creator|"
        r"shopper|diner|reader|learner|parent|commuter|merchant|driver|rider)\s?(?:is|are|here|"
        r":)|"
        r"\baged? \d|\b\d+\+|\b\d+\s?(?:to|-|–)\s?\d+(?:[- ]year[- ]olds?| year old)|"
        r"\b\d+k?\s?(?:to|-|–)\s?\d+k? followers\b|"
        r"\b(?:with|under|over|below|between|of|fewer than|"
        r"more than) (?:about |around )?\d[\d,.]*\s?k?(?:\s?(?:to|-|–|and)\s?\d[\d,.]*\s?k?)? "
        r"(?:followers|subscribers|fans)\b|\b(?:a minimum|minimum) (?:follower|subscriber) count\b",
        negatable=False,
        counted=True,
    ),
    _f(
        "user_mention",
        "the people it serves",
        rf"\b(?!people\b){_PEOPLE}\b",
        negatable=False,
    ),
    _f(
        "pain_point",
        "a user need or pain point",
        r"\bpain(?:[- ]points?)?\b|\bstruggl\w+|\bfrustrat\w+|\bfriction\b|\bhard (?:for|to)\b|"
        r"\bdifficult\w*|\bcan[’']t\b|\bcannot\b|\bcouldn[’']t\b|\bunable to\b|"
        r"\bneeds? (?:to|a|an|more|better)\b|\bwants? to\b|\bproblem (?:for|is|they)\b|"
        r"\bjobs?[- ]to[- ]be[- ]done|\bjtbd\b|\bcomplain\w*|\bannoy\w*|\bconfus\w+|"
        r"\bwast\w+ (?:time|money)|\btoo (?:long|slow|hard|expensive|many|much|small)\b|"
        r"\bdrop(?:s|ped)?[- ]off\b|\babandon\w*|\bfear\b|\bworr\w+|\banxi\w+|\bunmet\b|"
        r"\bunderserved\b|\black(?:s|ing)?\b|\btime[- ]consuming|\bmiss(?:es|ed)? (?:the|out)\b|"
        r"\bimpossible\b|\bunmanageable\b|\bdrown\w*|\bnever (?:see|find|come)|\bleaves? the app",
        negatable=False,
        counted=True,
    ),
    _f(
        "quantified_result",
        "a quantified result",
        r"\b\d+(?:\.\d+)?\s?(?:%|percent\b|pp\b|percentage points?|points?\b|x\b|bps\b|ms\b)|"
        rf"\b{_WORDNUM}\s{_RATIO_UNIT}|"
        rf"\b(?:twice|half|a third|a quarter|(?:\d+|{_NUMWORD}) times) as\b|"
        r"\$\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:k|m|mm|million|billion|bn)\b|"
        rf"\bfrom (?:about |around |roughly )?\$?{_NUM}\s?(?:%|ms|k|percent|per cent)?\s?"
        rf"(?:\w+ )?(?:a \w+ )?to (?:about |around |roughly |under |over |below |above |just )?"
        rf"\$?{_NUM}\b|\b(?:doubl|tripl|halv|quadrupl)\w+\b(?! down\b)|"
        r"\b(?:cut|reduced|saved|increased|grew|raised|lifted|improved|boosted|dropped|lowered|"
        rf"shortened|fell|rose|went (?:up|down))\b[^.]{{0,40}}?\bby {_NUM}\b|"
        r"\b(?:cut|reduced|dropped|fell|shrank|came down|went down)\b[^.]{0,30}?\bin half\b|"
        r"\b(?:cut|reduced|increased|grew|raised|lifted|improved|boosted|dropped|lowered|fell|rose|"
        r"climbed|went (?:up|down)) to "
        rf"(?:about |around |roughly |under |over |below |above |just )?\$?{_NUM}\b|"
        rf"\b(?:down|up) from {_NUM}\b|\b{_NUM} (?:of|out of|in) (?:the |those |these |every )?"
        rf"{_NUM}\b(?! (?:things|ways|steps|options|areas|ideas|reasons)\b)",
        negatable=False,
    ),
    _f(
        "collaboration",
        "work with partners",
        r"\b(?:work|worked|working|partner|partnered|partnering|collaborat\w+|sit|sat|embed\w*|"
        r"pair\w*|align\w*|agree\w*|co-?(?:design|own|write|wrote|creat)\w*|team(?:ed)? up|"
        r"joined|involv\w+|loop\w* in|went|go|talk\w*|spoke|met|brief\w*)\b(?:\s+\w+){0,4}?\s+"
        r"(?:with|to)\s+(?:the\s+|our\s+|my\s+|her\s+|his\s+)?(?:product|pm|pms|design|designers?|"
        r"engineering|engineers?|eng|data|data science|data scientists?|ds|analytics|analysts?|"
        r"ux|research|legal|sales|finance|support|ops|operations|logistics|tech lead|growth lead|"
        r"the team|teams?|\w+ team|(?-i:[A-Z][a-z]+))\b|\bcross[- ]functional\w*|\bdesign reviews?|"
        r"\bconvinc\w+|\bpersuad\w+|\bnegotiat\w+|\bstakeholders?\b|\btogether\b|"
        r"\b(?:worked|sat|paired|partnered|met|agreed|teamed up) with (?:her|him|them)\b|"
        r"\b(?-i:[A-Z][a-z]+) and I\b",
        negatable=False,
    ),
    _f(
        "product_partnership",
        "marketing built into the product",
        r"\bduring (?:the )?(?:design|discovery|build|planning|scoping|spec|development|prd)|"
        r"\bin the design (?:work|phase|process|sprints?|reviews?)\b|"
        r"\b(?:designed|built|planned|shaped) (?:it |this |them )?together\b|\bwith product,? we\b|"
        r"\bdesign reviews?|\bfrom (?:day one|the start|the beginning|kickoff|kick-off|the outset)|"
        r"\bbuilt[- ]in\b|\bbaked[- ]in\b|\bbuild\w* (?:it |them |this )?(?:in|into) (?:the )?"
        r"(?:product|feature|experience|flow)|\b(?:viral|sharing|share|referral|invite|growth) "
        r"loops?|\bshared (?:goals?|okrs?|metrics?|kpis?|success|roadmap|targets?)|"
        r"\bin the (?:spec|prd|roadmap)|\binfluenc\w+ (?:the )?(?:roadmap|product|design)|"
        r"\b(?:work|partner|sit|embed)\w* (?:closely )?with (?:the )?(?:product|design|engineering)"
        r"\b[^.;]{0,40}?\b(?:before|while|during|early|design|spec|shape)",
    ),
    _f(
        "first_person_action",
        "personal actions",
        r"\bI(?:\s+(?:also|then|first|quickly|personally|immediately|eventually|finally|later|"
        r"directly|just|even|still|actually|initially|myself))*\s+(?!was\b|am\b|think\b|feel\b|"
        r"felt\b|believe\b|guess\b|hope\b|would\b|will\b|wish\b|don|didn|mean\b|know\b|suppose\b|"
        r"kind\b|sort\b|really\b|definitely\b|remember\b|liked\b|love\b|loved\b|can\b|could\b|"
        r"should\b|might\b|must\b|have\b|had\b|is\b|[’'])[a-z]+|\bmyself\b|\bmy (?:idea|analysis|"
        r"proposal|plan|memo|brief|model)\b",
        negatable=False,
        counted=True,
    ),
    _f(
        "learning",
        "a lesson learned",
        r"\blearn(?:ed|t)\b|\blesson|\btaught me|\btakeaway|\btook away|\bin hindsight|"
        r"\blooking back|\bnext time|\bsince then|\bnow i\b|\bi now\b|\bdo differently|"
        r"\bchanged how i|\bthe same way\b|\bever since",
        negatable=False,
    ),
    _f(
        "clarify",
        "clarifying the problem",
        r"\bclarif\w+|\bi[’']ll assume|\bassum\w+|\bhow (?:much|big|large)\b|\bsince when|"
        r"\bsudden|\bgradual|\bnormal (?:variation|range)|\bdefine (?:the )?(?:metric|goal|"
        r"success|what)|\bwhat (?:exactly|do we mean)|\bthe (?:problem|objective|question) "
        r"(?:is|here)|\bscope\b|\bconstraints?\b|\bis it real\b|\bfirst,? (?:i[’']d|let me|i) "
        r"(?:ask|confirm|check|understand|define|treat|clarify)",
        negatable=False,
    ),
    _f(
        "goal",
        "the goal",
        r"\bgoal\b|\bobjective\b|\bmission\b|\bnorth star|\bpurpose\b|\bexists? to\b|"
        r"\bbusiness (?:outcome|goal|objective)|\bis (?:for|about)\b|\bso success\b|\bthe point\b",
        negatable=False,
    ),
    _f(
        "guardrail",
        "a guardrail metric",
        r"\bguardrails?\b|\bcounter[- ]?metrics?\b|\bshouldn[’']t (?:fall|drop|go down)|"
        r"\bcannibali\w+|\bwithout (?:hurting|harming|reducing)",
        negatable=False,
    ),
    _f(
        "situation",
        "the situation and stakes",
        r"\b(?:at|in) my (?:last|previous|current|first)\b|\bwhen i was\b|\bi was (?:the|a|an) "
        r"(?:pm|product|lead|marketer|manager)|\bwe had (?:to|\d|six|two|three|four)|"
        r"\bdeadline|\bat risk\b|\bstakes\b|\bsituation\b|\bwere about to\b|\bwe were launching|"
        r"\bthe team was\b|\bmanagement wanted|\bwe had six weeks",
        negatable=False,
    ),
)

BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES}

LABELS: dict[str, str] = {f.name: f.label for f in FEATURES} | {
    "diagnosis": "a diagnosis (segments, data checks, rival causes)",
    "first_person": "personal actions",
    "measurement": "a way to measure it",
}
