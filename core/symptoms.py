"""Symptoms in a runner's own words: does a message report one, and which red flags it names.

"A swollen hot calf", "twisted my ankle and can't walk on it", "fainted after the race", "my
achilles went pop", "sore knee after the long run": each of these starts the pain check, and
the ones that name a red flag name it ("chest pain and short of breath" is the emergency chest
flag). A message that may be a symptom ("my legs feel heavy", "knee?") is a MAYBE: the bot
asks whether to do the pain check. Negations ("no pain", "didn't hurt", "pain free") don't
count. A missed symptom is far worse than one extra question, so this leans to asking.

Pure and deterministic: words in, a `Reading` out.
"""

from __future__ import annotations

import re
from enum import StrEnum

from core.flags import FLAG_TIER, SCREEN_FLAGS, RedFlag, Screen, Urgency, most_urgent
from core.models import Frozen


class Recognised(StrEnum):
    REPORT = "report"  # start the pain check
    MAYBE = "maybe"  # ask whether to do the pain check
    NONE = "none"


class Reading(Frozen):
    kind: Recognised
    flags: tuple[RedFlag, ...] = ()

    @property
    def urgency(self) -> Urgency:
        return most_urgent(FLAG_TIER[f] for f in self.flags)


def _words(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


# --- vocabulary, with the spellings runners type -------------------------------------------

PAIN = _words(
    r"pa+i+n+s?",
    r"pian",
    r"paim",
    r"painful+",
    r"painfull?y",
    r"hurt+s?",
    r"hurting",
    r"hurtin",
    r"hurst",
    r"hutrs",
    r"hrts?",
    r"injur\w*",
    r"injerd",
    r"injuerd",
    r"nigg?l\w*",
    r"sore\w*",
    r"soar",
    r"sroe",
    r"soer",
    r"ach(?:e|es|ed|ey|y|ing|eing)",
    r"aching",
    r"tender\w*",
    r"throb\w*",
    r"twing\w*",
    r"cramp\w*",
    r"agony",
    r"agonising",
    r"agonizing",
    r"ouch+",
    r"ow+",
    r"owie",
    r"sting(?:s|ing)?",
    r"stabbing",
    r"spasms?",
    r"shooting",
    r"electric (?:shocks?|pains?)",
    r"zaps?",
    r"zapping",
    r"stomach ?aches?",
    r"tummy ?aches?",
    r"belly ?aches?",
    # What runners call their injury: a symptom report, never our diagnosis.
    r"shin ?splints?",
    r"plantar fasc?i?itis",
    r"fasc?i?itis",
    r"tendon?itis",
    r"tendinopathy",
    r"bursitis",
    r"sciatica",
    r"runner'?s knee",
    r"jumper'?s knee",
    r"itbs",
    r"charley horse",
    r"metatarsalgia",
    r"neuroma",
)
# Pain words that need a body part ("pulled my hamstring", not "pulled out of the race").
PAIN_WITH_BODY = _words(
    r"strain(?:ed|s)?",
    r"pulled",
    r"tweak(?:ed)?",
    r"bruis\w*",
    r"killing me",
    r"something (?:go|goes|went|gone|gave|give|ping\w*)",
    r"ping(?:ed|ing)?",
)
SWOLLEN = _words(
    r"swol+[eo]n",
    r"swoll?n",
    r"swell\w*",
    r"swel+ing",
    r"swolled",
    r"puff(?:y|ed up)",
    r"(?:bigger|fatter|larger|thicker|puffier|wider) than (?:the|my) (?:other|right|left)",
)
SPRAIN = _words(r"sprain\w*", r"spraned", r"sprane")
TWIST = _words(
    r"twist\w*",
    r"twsited",
    r"rolled",
    r"rolling",
    r"went over on",
    r"turned my",
    r"went over my",
)
POP = _words(r"pop+(?:ed|ped|s)?", r"snap+(?:ed|ped|s)?", r"kicked", r"gunshot", r"tore")
TORN = _words(r"torn", r"tear", r"ruptur\w*", r"tore")
NUMB = _words(r"numb\w*", r"tingl\w*", r"pins and needles", r"can'?t feel")
DIZZY = _words(
    r"dizz?[ey]+\w*",
    r"dizz?iness",
    r"light ?headed",
    r"lightheaded",
    r"woozy",
    r"room spinning",
    r"s[ae]e?(?:ing)? stars",
    r"saw stars",
    r"vision (?:went|go|going|goes|gone) (?:grey|gray|black|dark|white|blurry|fuzzy|funny)",
    r"tunnel vision",
    r"gr[ae]y(?:ed|ing)? out",
    r"nearly (?:fainted|passed out|blacked out)",
)
FAINT = _words(
    r"(?:i|i'?ve|i have|he|she|they) collaps\w*",
    r"collapsed (?:at|during|after|on|in|near)",
    r"faint(?:ed|ing)",
    r"f(?:ee|e)l\w* faint",
    r"(?:going|about) to faint",
    r"fiant\w*",
    r"feint(?:ed|ing)",
    r"pass(?:ed)? out",
    r"passing out",
    r"black(?:ed)? out",
    r"blacking out",
    r"keeled over",
    r"went down (?:at|during|after|on|in|near|halfway|mid)",
    r"hit the deck",
    r"lost consciousness",
    r"knocked out",
    r"out cold",
)
COLLAPSE = _words(r"collaps\w*", r"colaps\w*")
BREATH = _words(
    r"breathless\w*",
    r"breathles",
    r"short(?:ness)? of bre\w*",
    r"out of breathe? (?:\w+ ){0,3}(?:more|worse) than (?:usual|normal|before)",
    r"out of breathe? (?:way |much |a lot |far )?more",
    r"(?:more|much more|way more|unusually|abnormally|badly) "
    r"(?:out of breathe?|breathless|winded)",
    r"winded (?:really |very |so )?(?:fast|quick\w*|easily)",
    r"asthma\w*",
    r"cough\w* (?:up )?blood",
    r"blood when i cough\w*",
    r"can'?t (?:get my )?breathe?",
    r"couldn'?t (?:get my )?breathe?",
    r"struggl\w* to breathe?",
    r"hard to breathe?",
    r"trouble breathing",
    r"difficulty breathing",
    r"breathing (?:is |was |feels? |felt )?"
    r"(?:hard|difficult|bad|laboured|labored|weird|funny|off|heavy)",
    r"gasping",
    r"wheez\w*",
)
PALPITATIONS = _words(
    r"heart(?: \w+){0,6} (?:racing|pounding|flutter\w*|skipp\w*|thumping|somersault\w*|flipp?\w*"
    r"|jumping|banging|going crazy|all over the place|irregular|erratic|missing beats)",
    r"heartrate (?:\w+ ){0,2}(?:spik\w*|shot up|jump\w*|sky ?rocket\w*|through the roof|crazy|mad"
    r"|wild|all over the place|erratic|irregular|racing)",
    r"palp[ai]t\w*",
    r"palpatations?",
    r"papitations?",
    r"heart (?:is |was )?(?:racing|pounding|fluttering|skipping|thumping|going crazy|all over)",
    r"racing heart",
    r"irregular (?:heart ?beat|pulse|heart)",
    r"skipp?(?:ed|ing) beats?",
    r"heart (?:rate )?(?:went|going) (?:crazy|mad|wild|through the roof)",
    r"a ?fib",
    r"atrial fibrillation",
    r"arrhythmia",
)
CHEST = _words(
    r"chest\w*",
    r"ches",
    r"chets",
    r"chset",
    r"cheast",
    r"chesst",
    r"chst",
    r"breastbone",
    r"sternum",
)
HEART = _words(r"heart", r"ticker")
TIGHT = _words(
    r"tight\w*",
    r"stiff\w*",
    r"pressure",
    r"heavy",
    r"heaviness",
    r"squeez\w*",
    r"crush\w*",
    r"burn\w*",
    r"weird",
    r"funny",
    r"strange",
)
ARM_JAW = _words(r"arms?", r"jaw", r"neck", r"left shoulder", r"shoulders?")
EFFORT = _words(
    r"run\w*",
    r"ran",
    r"jog\w*",
    r"uphill",
    r"hills?",
    r"climb\w*",
    r"rac(?:e|es|ing)",
    r"intervals?",
    r"tempo",
    r"sprint\w*",
    r"effort",
    r"exert\w*",
    r"exercis\w*",
    r"workout",
    r"working out",
    r"training",
    r"session",
)
LEG = _words(r"legs?", r"calf", r"claf", r"calfs", r"calves", r"thighs?")
VOMIT = _words(
    r"vomit\w*",
    r"vom(?:ming|med|s)?",
    r"threw up",
    r"throw(?:ing)? up",
    r"puk\w*",
    r"being sick",
    r"been sick",
    r"was sick",
)
NAUSEA = _words(r"sick", r"nause\w*", r"queasy", r"knocked out", r"out cold")
CONFUSED = _words(
    r"confus+\w*",
    r"disorient\w*",
    r"not making sense",
    r"didn'?t know where",
    r"don'?t know where i",
    r"delirious",
)
BAD_HEADACHE = _words(
    r"severe headache",
    r"bad headache",
    r"splitting headache",
    r"pounding headache",
    r"worst headache",
    r"thunderclap",
    r"migraine",
)
HEADACHE = _words(r"head ?aches?", r"headache\w*", r"head (?:hurts|is pounding|pain)")
HEAT = _words(
    r"hot",
    r"heat\w*",
    r"sun",
    r"sunny",
    r"humid\w*",
    r"scorching",
    r"boiling",
    r"long run",
    r"marathon",
    r"half",
    r"ultra",
    r"race",
    r"\d+ ?(?:k|km|miles?|mi)",
    r"after (?:the|my) run",
    r"finish(?:ed|ing)?",
)
HEAD_KNOCK = _words(
    r"(?:hit|banged|bumped|knocked|smacked|whacked|bashed|cracked) (?:my |the back of my )?head",
    r"head (?:injury|knock|bang|bump)",
    r"fell on my head",
    r"landed on my head",
    r"concuss\w*",
    r"head first",
)
DROWSY = _words(r"drows\w*", r"sleepy", r"can'?t stay awake", r"blurr\w*", r"double vision")
URINE = _words(r"urin\w*", r"pee(?:d|s|ing)?", r"wee(?:d|s|ing)?", r"piss\w*")
DARK = _words(
    r"dark\w*",
    r"brown\w*",
    r"cola",
    r"coke",
    r"tea[- ]?colou?red",
    r"(?:colou?r of|like) (?:\w+ )?(?:tea|cola|coke|coffee)",
    r"black",
    r"blood",
    r"red",
)
BLADDER = _words(
    r"incontinen\w*",
    r"wet myself",
    r"soiled myself",
    r"can'?t (?:pee|wee)",
    r"couldn'?t (?:pee|wee)",
    r"lost control of my (?:bladder|bowels?)",
    r"(?:bladder|bowel) (?:problems?|changes?|issues?|control|trouble)",
    r"(?:problems?|trouble) with my (?:bladder|bowels?)",
)
SADDLE_AREA = _words(
    r"groin",
    r"genital\w*",
    r"saddle",
    r"between my legs",
    r"buttocks?",
    r"bum",
    r"butt",
    r"private parts",
)
WEAK = _words(r"weak\w*", r"gave out", r"giving out", r"gives out", r"foot drop", r"dragging")
SUDDEN = _words(r"sudden\w*", r"all of a sudden", r"out of nowhere")
WEAKNESS = _words(
    r"weakness",
    r"foot drop",
    r"dragging my (?:foot|leg)",
    r"(?:leg|foot|arm|legs) (?:went|goes|is going|going|gone) weak",
)
DEFORMED = _words(
    r"deform\w*",
    r"(?:looks|is) out of shape",
    r"wrong angle",
    r"(?:bent|pointing) the wrong way",
    r"bone (?:is )?(?:sticking|poking) out",
    r"dislocat\w*",
    r"(?<!stress )fractur\w*",
)
BROKEN = _words(r"broken", r"broke (?:my|it)", r"snapped my")
HOT_SKIN = _words(r"hot", r"warm", r"red", r"redness", r"inflamed")
FEVER = _words(
    r"fever\w*",
    r"(?:high|a) temperature",
    r"feverish",
    r"chills",
    r"night sweats",
)
UNWELL = _words(r"feel(?:ing)? (?:really |very )?(?:unwell|ill|rough)", r"flu")
JOINT = _words(r"joints?", r"knees?", r"ankles?", r"hips?", r"wrists?", r"elbows?", r"toes?")
VEINS = _words(
    r"veins? (?:\w+ ){0,5}(?:hard|sore|tender|swollen|lumpy|red|bulging|painful)",
    r"(?:hard|sore|tender|swollen|lumpy|red|painful) veins?",
)
KNEE = _words(r"knees?", r"kne", r"knie", r"kneecap")
KNEE_SIGN = _words(
    r"lock\w*",
    r"gave way",
    r"gives way",
    r"giving way",
    r"gave out",
    r"giving out",
    r"buckl\w*",
    r"balloon\w*",
    r"stuck",
)
ANKLE = _words(r"ankles?", r"ankel", r"ancle", r"foot", r"feet")
ACHILLES = _words(
    r"achill\w*",
    r"achil\w*",
    r"ach[ei]l\w*",
    r"archil\w*",
    r"akil\w*",
    r"back of (?:my )?(?:heel|ankle|calf|leg)",
    r"heel",
    r"calf",
)
TIPTOE = _words(r"tip ?toes?", r"push off", r"stand on (?:my )?toes")
BONE_SPOT = _words(
    r"one spot",
    r"one point",
    r"pinpoint",
    r"(?:a|one) (?:small )?spot on (?:the|my) (?:bone|shin)",
    r"on the bone",
    r"bone pain",
    r"bone (?:hurts|is sore|sore|feels bruised)",
    r"stress (?:fracture|reaction|injury)",
    r"point tender",
    r"spot on (?:the |my )?(?:\w+ )?bones?",
    r"bony (?:bit|part|spot|lump)",
    r"(?:foot|shin|heel|hip|thigh|leg|toe|metatarsal|tibia|femur) ?bones? "
    r"(?:hurts?|is sore|sore|aches?|is tender|tender|pain)",
)
HIP_GROIN = _words(r"groin", r"hips?", r"pelvis", r"pubic")
WORSE_RUNNING = _words(
    r"worse\w*",
    r"builds?",
    r"building",
    r"(?:hurts?|aches?|sore|pain\w*) more",
    r"more and more",
    r"the (?:more|longer|further|farther|faster|harder) i (?:run|go|push)",
    r"(?:every|each) run",
    r"as i (?:run|go)",
    r"increas\w*",
)
NIGHT = _words(
    r"at night",
    r"night pain",
    r"wakes? me",
    r"woke me",
    r"waking me",
    r"keeps me awake",
    r"can'?t sleep",
    r"couldn'?t sleep",
    r"all the time",
    r"constant\w*",
    r"even (?:at|when) rest\w*",
    r"at rest",
    r"when resting",
    r"in bed",
    r"never goes away",
)
WEIGHT_LOSS = _words(
    r"(?:unexplained|unexplainable|without trying|can'?t explain)\w*(?: \w+){0,3} weight",
    r"weight loss(?: \w+){0,2} (?:unexplained|without trying|can'?t explain)",
    r"los(?:t|ing) (?:\w+ ){0,4}weight (?:\w+ ){0,3}without (?:trying|meaning to|dieting|reason)",
    r"weight (?:is |has been |keeps )?(?:dropping|falling) off",
)
CANCER = _words(r"cancer\w*", r"tumou?rs?", r"chemo\w*", r"oncolog\w*", r"leuka?emia", r"lymphoma")
NOT_SETTLING = _words(
    r"stillpersisting",
    r"keeps? getting worse",
    r"worse (?:despite|even with|after) rest\w*",
    r"for (?:two|2|three|3|four|4|several|a few|many) weeks",
    r"for (?:a|one|1) month",
    r"for (?:weeks|months|ages)",
    r"weeks now",
    r"months now",
)
PAST = _words(
    r"yesterday",
    r"last (?:night|week|weekend|time|run|saturday|sunday|monday|tuesday|wednesday|thursday"
    r"|friday)",
    r"earlier",
    r"ago",
    r"lately",
    r"recently",
    r"the last few days",
    r"this week",
    r"the other day",
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    r"had",
    r"was",
    r"were",
    r"went away",
    r"gone",
    r"passed",
    r"stopped",
    r"settled",
    r"eased",
    r"fainted",
    r"passed out",
    r"blacked out",
    r"collapsed",
    r"felt",
    r"went down",
)
# "Now" as in "it's gone now" is no sign it's happening now.
NOW = _words(
    r"(?<!gone )(?<!fine )(?<!ok )(?<!okay )(?<!better )(?<!over )(?<!settled )now",
    r"still",
    r"at the moment",
    r"currently",
    r"ongoing",
)

# Chest, head or tummy: not for a training coach to guide (the area that always escalates).
TUMMY = _words(
    r"stomach\w*",
    r"tumm(?:y|ies)",
    r"bell(?:y|ies)",
    r"abdom\w*",
    r"guts?",
    r"ribs?",
    r"rib ?cage",
)
HEAD_PAIN = _words(
    r"(?:pain|ache|aching|sore\w*|hurt\w*|throb\w*|pound\w*) (?:in|on|at) "
    r"(?:the (?:back|front|side|top) of )?(?:my |the )?head",
    r"head (?:\w+ )?(?:hurts|is sore|aches|is killing|is pounding|is throbbing)",
)

# Body parts: alone, they make a MAYBE; with a weak word ("tight", "stiff"), a report.
BODY = _words(
    r"foot",
    r"feet",
    r"heels?",
    r"arch(?:es)?",
    r"toes?",
    r"ankles?",
    r"ankel",
    r"achill\w*",
    r"achil\w*",
    r"ach[ei]l\w*",
    r"archil\w*",
    r"akil\w*",
    r"calf",
    r"calfs",
    r"claf",
    r"calves",
    r"shins?",
    r"knees?",
    r"kne",
    r"kneecap",
    r"patella",
    r"itb",
    r"it band",
    r"hips?",
    r"glutes?",
    r"buttocks?",
    r"bum",
    r"butt",
    r"groin",
    r"hamstrings?",
    r"hamm?y",
    r"hamstrig",
    r"quads?",
    r"thighs?",
    r"legs?",
    r"lower back",
    r"low back",
    r"my back",
    r"back (?:is|feels|hurts|pain)",
    r"spine",
    r"neck",
    r"shoulders?",
    r"arms?",
    r"elbows?",
    r"wrists?",
    r"jaw",
    r"chest",
    r"lungs?",
    r"ribs?",
    r"stomach",
    r"tummy",
    r"belly",
    r"abdomen",
    r"abs",
    r"my head",
    r"sit ?bones?",
    r"pelvis",
    r"tendons?",
    r"tendon\w*",
    r"tendin\w*",
    r"muscles?",
    r"joints?",
    r"bones?",
    r"plantar\w*",
    r"fascia",
    r"soleus",
    r"adductors?",
)
# Words that are a symptom only with a body part ("tight hamstrings", not "a tight week").
WEAK_WORDS = _words(
    r"tight\w*",
    r"stiff\w*",
    r"weird",
    r"funny",
    r"off",
    r"not right",
    r"niggly",
    r"hot",
    r"warm",
    r"red",
    r"clicking",
    r"clicks",
    r"grinding",
    r"acting up",
    r"playing up",
    r"giving me (?:grief|gyp|jip|gip|hell|trouble|bother|problems?|jip)",
    r"grumbl\w*",
    r"flar\w*",
    r"dodgy",
    r"creak\w*",
    r"crunch\w*",
    r"weak\w*",
    r"stitch",
    r"sick",
    r"nause\w*",
    r"unwell",
)
# Symptoms on their own, with or without a body part.
STRONG = [PAIN, SWOLLEN, SPRAIN, NUMB, DIZZY, FAINT, BREATH, PALPITATIONS, VOMIT]
STRONG += [HEADACHE, BAD_HEADACHE, HEAD_KNOCK, DEFORMED, FEVER]
STRONG += [_words(r"limp\w*", r"hobbl\w*", r"can'?t walk", r"concuss\w*", r"migraine")]

# Inability: "can't walk", "unable to put weight on it". Matched before negations are read,
# so the "can't" or "not" in them never cancels a symptom.
_ABILITY = re.compile(
    r"\b(?:can'?t|couldn'?t|unable to|not able to|can barely|can hardly|could barely|"
    r"could hardly|struggl\w* to|hard to|difficult to|haven'?t been able to|won'?t)"
    r"\s+(?:even\s+|really\s+|properly\s+)?"
    r"(?P<what>walk\w*|put (?:any )?weight|bear (?:any )?weight|weight ?bear\w*"
    r"|put (?:my |the )?(?:\w+ )?(?:heel|foot|feet|leg|toes?) (?:down|on the (?:ground|floor))"
    r"|stand (?:on (?:it|my \w+|the \w+)|up)"
    r"|push off|go (?:up )?on (?:my )?tip ?toes?|tip ?toe|breathe?|catch my breath"
    r"|get my breath|stay awake|feel (?:my|it))"
    r"|\bnot (?P<walking>walking (?:normally|properly|right|well|straight))"
)
_NEGATOR = re.compile(
    r"\b(?:no|not|without|never|zero|nil|none|nothing|hardly any|free of|isn'?t|doesn'?t|"
    r"don'?t|didn'?t|wasn'?t|aren'?t|weren'?t|hasn'?t|haven'?t|won'?t|neither|nor)\b"
)
_SCOPE_END = re.compile(r"^(?:,|but|though|although|however|except|yet|and|then|now)$")
_FREE = re.compile(r"\b(?:pain|hurt|injury|niggle)[- ]?free\b|\bpainfree\b")
_CONTRACTIONS = {
    r"\bcannot\b": "can't",
    r"\bcan not\b": "can't",
    r"\bcant\b": "can't",
    r"\bcouldnt\b": "couldn't",
    r"\bdont\b": "don't",
    r"\bdoesnt\b": "doesn't",
    r"\bdidnt\b": "didn't",
    r"\bisnt\b": "isn't",
    r"\bwasnt\b": "wasn't",
    r"\bwont\b": "won't",
    r"\bhavent\b": "haven't",
    r"\bim\b": "i'm",
}


# Phrases whose words would mislead: "warm up" is no warm calf, "won't stop hurting" no
# negation, "foam rolled" no twisted ankle.
_REWRITES = {
    r"\bsore throats?\b": "throatache",
    r"\bheart ?rates?\b|\bhr\b|\bbpm\b": "heartrate",
    # Not knowing is no negation: "no idea why my chest hurts" names the chest.
    r"\b(?:no idea|not sure|unsure|don'?t know|dunno|no clue|not certain|can'?t tell|can'?t say"
    r"|not a big deal|no big deal|no biggie)\b": " unsure ",
    r"\b(?:without|with no|no) warning\b": " suddenly ",
    # "A headache of a commute", "the plan is a headache": a hassle, not a symptom.
    r"\bheadache of an?\b|\bwhat a headache\b|\b(?:is|was|it's) a (?:real |total )?headache\b": (
        " hassle "
    ),
    r"\bwarm(?:ing|ed)?[ -]?ups?\b": "warmup",
    r"\bcool(?:ing|ed)?[ -]?downs?\b": "cooldown",
    r"\bfoam[ -]?roll\w*": "foamroll",
    r"\b(?:won'?t|doesn'?t|don'?t|didn'?t|isn'?t|not|never) (?:stop|stopping|go away|going away"
    r"|settle|settling|settled|gone away|ease|easing|eased)\b": " keepsgoing ",
    r"\b(?:isn'?t|not|never|hasn'?t|haven'?t) (?:been )?(?:improv\w*|get(?:ting)? (?:any )?better)"
    r"\b|\bno better\b|\bnot (?:any )?better\b": " stillpersisting ",
}


def _normal(text: str) -> str:
    said = text.lower().replace("’", "'").replace("‘", "'").replace("`", "'")
    for pattern, replacement in _CONTRACTIONS.items():
        said = re.sub(pattern, replacement, said)
    for pattern, replacement in _REWRITES.items():
        said = re.sub(pattern, replacement, said)
    said = re.sub(r"[.;:!?\n()\[\]]+|,", " , ", said)
    said = re.sub(r"[^a-z0-9',/ -]+", " ", said)
    said = said.replace("-", " ")
    return " " + re.sub(r"\s+", " ", said).strip() + " "


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


# "Knee fine but chest hurt": a part said to be fine, up to a comma or a "but", is no symptom.
_FINE = re.compile(
    r"\b\w+(?:'s| is| was| feels?| felt| seems?| has been)? "
    r"(?:totally |completely |all |perfectly )?"
    r"(?:fine|ok|okay|good|great|all right|alright|normal)"
    r"(?= (?:,|but|and|now|though|although|however|just|except|otherwise|yet) | ?$)"
)


def _strip_negations(text: str) -> str:
    """Blank what a negation covers: the next few words, up to a comma or a "but"."""
    text = _FREE.sub(lambda m: " " * len(m.group()), text)
    text = _FINE.sub(lambda m: " " * len(m.group()), text)
    for negator in list(_NEGATOR.finditer(text)):
        start = negator.start()
        position = negator.end()
        for count, word in enumerate(re.finditer(r"\S+", text[position:])):
            if _SCOPE_END.match(word.group()) or count >= 4:
                break
            position = negator.end() + word.end()
        text = _blank(text, start, position)
    return text


class _Text:
    """A message read once: what inability it states, and the rest with negations blanked."""

    def __init__(self, raw: str) -> None:
        said = _normal(raw)
        self.cant: set[str] = set()
        for match in _ABILITY.finditer(said):
            what = match.group("what") or match.group("walking")
            if what.startswith(("walk", "stand")) or what.endswith(("down", "ground", "floor")):
                self.cant.add("walk")
            elif "weight" in what:
                self.cant.add("weight")
            elif what.startswith(("breath", "catch", "get my")):
                self.cant.add("breathe")
            elif "toe" in what or what == "push off":
                self.cant.add("tiptoe")
            elif what.startswith("feel"):
                self.cant.add("feel")
            else:
                self.cant.add("awake")
            said = _blank(said, match.start(), match.end())
        self.whole = said
        self.text = _strip_negations(said)

    def said(self, pattern: str) -> bool:
        """In the message as typed, negations included ("without trying")."""
        return re.search(pattern, self.whole) is not None

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.text) is not None

    def any(self, *patterns: str) -> bool:
        return any(self.has(p) for p in patterns)


def _flags(t: _Text) -> list[RedFlag]:
    flags: list[RedFlag] = []
    pain = t.has(PAIN) or (t.has(PAIN_WITH_BODY) and t.has(BODY))
    recent = t.has(PAST) and not t.has(NOW)
    breathless = t.has(BREATH) or "breathe" in t.cant
    chest = t.any(CHEST, HEART) and (t.has(PAIN) or t.has(TIGHT))
    heart = t.has(PALPITATIONS)
    faint = t.has(FAINT)
    leg_trouble = t.has(LEG) and (t.has(SWOLLEN) or pain or t.has(HOT_SKIN))
    head_knock = t.has(HEAD_KNOCK)
    numb = t.has(NUMB) or "feel" in t.cant
    context = t.any(HEAT, EFFORT, VOMIT, DIZZY, HEADACHE, FAINT, PAIN)

    # Heart and lungs: leg trouble with breathlessness or chest pain is a possible clot in
    # the lungs; otherwise now (emergency) or in the last few days (same day). Dizziness on
    # its own: the same day.
    if leg_trouble and (breathless or chest):
        flags.append(RedFlag.LEG_AND_BREATH)
    elif chest or heart or faint or breathless:
        flags.append(RedFlag.CHEST_RECENT if recent else RedFlag.CHEST_NOW)
    elif t.has(DIZZY) and not head_knock:
        flags.append(RedFlag.CHEST_RECENT)
    if t.has(ARM_JAW) and t.has(PAIN) and t.has(EFFORT) and not t.has(_words(r"push ?ups?")):
        flags.append(RedFlag.EFFORT_ARM_RECENT if recent else RedFlag.EFFORT_ARM_NOW)
    # Nerves at the base of the spine.
    if (
        (numb and t.has(SADDLE_AREA))
        or t.has(BLADDER)
        or (t.any(WEAK, WEAKNESS) and t.has(LEG) and t.has(SUDDEN))
        or (numb and t.has(_words(r"both legs")))
    ):
        flags.append(RedFlag.SADDLE)
    # A limb out of shape, or no weight at all after a fall or twist.
    fall_or_twist = t.any(TWIST, SPRAIN, _words(r"fell", r"fall", r"fallen", r"tripped"))
    broken = t.has(BROKEN) and t.has(BODY)
    if t.has(DEFORMED) or broken or "weight" in t.cant or ("walk" in t.cant and fall_or_twist):
        flags.append(RedFlag.DEFORMED)
    if (t.has(FEVER) or t.has(UNWELL)) and (t.has(SWOLLEN) or (t.has(JOINT) and t.has(HOT_SKIN))):
        flags.append(RedFlag.HOT_JOINT)
    # A head injury; heat illness after a hot or long run.
    head_signs = t.any(HEADACHE, BAD_HEADACHE, HEAD_PAIN, VOMIT, NAUSEA, CONFUSED, DROWSY, DIZZY)
    headache = t.any(HEADACHE, BAD_HEADACHE, HEAD_PAIN)
    if head_knock and (head_signs or t.has(FAINT) or "awake" in t.cant):
        flags.append(RedFlag.HEAD_INJURY)
    else:
        confused = (t.has(CONFUSED) or t.has(COLLAPSE)) and context
        sick_or_bad_head = t.any(VOMIT, BAD_HEADACHE) or (headache and t.any(DROWSY, DIZZY))
        if confused or (sick_or_bad_head and t.has(HEAT)):
            flags.append(RedFlag.HEAT)
    if t.has(URINE) and t.has(DARK):
        flags.append(RedFlag.DARK_URINE)
    # The same day: a swollen calf, an ankle after a twist, a knee, the Achilles.
    swollen_leg = t.has(LEG) and t.any(SWOLLEN, HOT_SKIN, VEINS, _words(r"throb\w*"))
    if swollen_leg and RedFlag.LEG_AND_BREATH not in flags:
        flags.append(RedFlag.CALF_CLOT)
    bone_or_limp = t.any(_words(r"bone\w*", r"limp\w*", r"tender\w*", r"hobbl\w*"))
    ankle = t.has(ANKLE) and fall_or_twist and (bone_or_limp or "walk" in t.cant)
    if ankle and RedFlag.DEFORMED not in flags:
        flags.append(RedFlag.ANKLE)
    if t.has(KNEE) and (t.has(KNEE_SIGN) or t.has(SWOLLEN)):
        flags.append(RedFlag.KNEE)
    snap = t.has(ACHILLES) and (t.has(POP) or t.has(TORN)) and not t.has(_words(r"blisters?"))
    if snap or "tiptoe" in t.cant:
        flags.append(RedFlag.ACHILLES_SNAP)
    if not flags and ("walk" in t.cant or t.has(_words(r"limp\w*", r"hobbl\w*"))):
        flags.append(RedFlag.NOT_WALKING)
    # Within days.
    if t.has(BONE_SPOT):
        flags.append(RedFlag.BONE_SPOT)
    if t.has(HIP_GROIN) and t.has(PAIN) and (t.has(WORSE_RUNNING) or t.has(_words(r"groin"))):
        flags.append(RedFlag.HIP_GROIN)
    if pain and t.has(NIGHT):
        flags.append(RedFlag.NIGHT)
    if (numb or t.has(WEAKNESS)) and RedFlag.SADDLE not in flags:
        flags.append(RedFlag.NERVE)
    systemic = t.has(FEVER) or t.said(WEIGHT_LOSS) or (pain and t.has(CANCER))
    if systemic and RedFlag.HOT_JOINT not in flags:
        flags.append(RedFlag.SYSTEMIC)
    if (pain or t.has(BODY)) and t.has(NOT_SETTLING):
        flags.append(RedFlag.NOT_SETTLING)
    # Chest, head or tummy pain that no other sign covers: the area that always escalates,
    # so "Somewhere else" at "where does it hurt?" can't turn it into self-care.
    tummy = t.has(TUMMY) and pain and not t.has(_words(r"stitch\w*"))
    if not flags and (tummy or headache):
        flags.append(RedFlag.TORSO)
    return flags


# Alone, these are a MAYBE ("my legs are tight?"); with a body part, a report.
_MAYBE_ALONE = _words(
    r"tight\w*",
    r"stiff\w*",
    r"sick",
    r"nause\w*",
    r"unwell",
    r"out of breathe?",
    r"not right",
    r"weak\w*",
    r"clicking",
    r"stitch",
    r"twist\w*",
    r"rolled",
    r"pop+(?:ed|ped)",
    r"snap+(?:ed|ped)",
    r"torn",
    r"tore",
    r"strain\w*",
    r"pulled (?:a|something)",
    r"doms",
    r"throatache",
)
_NOT_A_SYMPTOM = _words(
    r"tight (?:week|schedule|deadline|on time|squeeze|turnaround)",
    r"stitch(?:ed)? (?:up|together)",
)
_POSITIVE = _words(
    r"good",
    r"great",
    r"fine",
    r"fresh",
    r"strong",
    r"amazing",
    r"awesome",
    r"better",
    r"ok",
    r"okay",
    r"grand",
    r"brilliant",
    r"perfect",
)


def read_symptoms(text: str) -> Reading:
    """Whether a message reports a symptom, may do, or doesn't; and the red flags it names."""
    t = _Text(text)
    flags = tuple(dict.fromkeys(_flags(t)))
    if flags:
        return Reading(kind=Recognised.REPORT, flags=flags)
    body = t.has(BODY)
    strong = t.cant & {"walk", "weight", "breathe", "tiptoe", "feel"} or any(
        t.has(p) for p in STRONG
    )
    if strong:
        if t.has(_words(r"throatache", r"side stitch")):
            return Reading(kind=Recognised.MAYBE)
        return Reading(kind=Recognised.REPORT)
    with_body = (WEAK_WORDS, PAIN_WITH_BODY, TWIST, POP, TORN)
    if body and t.any(*with_body):
        return Reading(kind=Recognised.REPORT)
    if t.has(_MAYBE_ALONE) and not t.has(_NOT_A_SYMPTOM):
        return Reading(kind=Recognised.MAYBE)
    if body and not t.said(_POSITIVE):
        return Reading(kind=Recognised.MAYBE)
    return Reading(kind=Recognised.NONE)


# --- typed answers at a red-flag screen -----------------------------------------------------

# Words that name one of a screen's flags when typed there ("chest", "breathless"): the
# screen says which of its flags it asks about, so a short answer is enough.
SCREEN_WORDS: dict[RedFlag, str] = {
    RedFlag.CHEST_NOW: _words(
        r"chest\w*", r"breath\w*", r"faint\w*", r"heart\w*", r"palp\w*", r"dizz?y", r"racing"
    ),
    RedFlag.EFFORT_ARM_NOW: _words(r"arms?", r"jaw", r"neck", r"shoulders?"),
    RedFlag.LEG_AND_BREATH: _words(r"legs? (?:and|with|plus) (?:breath|chest)\w*"),
    RedFlag.SADDLE: _words(r"groin", r"bladder", r"bowels?", r"numb\w*", r"weak\w*"),
    RedFlag.DEFORMED: _words(r"deform\w*", r"weight", r"broken", r"out of shape"),
    RedFlag.HOT_JOINT: _words(r"fever\w*", r"hot (?:swollen )?joint"),
    RedFlag.HEAT: _words(r"confus\w*", r"collaps\w*", r"vomit\w*", r"headache", r"sick"),
    RedFlag.CHEST_RECENT: _words(
        r"chest\w*", r"faint\w*", r"heart\w*", r"palp\w*", r"dizz?y", r"racing", r"breath\w*"
    ),
    RedFlag.EFFORT_ARM_RECENT: _words(r"arms?", r"jaw", r"neck", r"shoulders?"),
    RedFlag.HEAD_INJURY: _words(r"head\w*", r"concuss\w*"),
    RedFlag.DARK_URINE: _words(r"urine", r"pee", r"wee", r"dark", r"cola"),
    RedFlag.CALF_CLOT: _words(r"calf", r"thigh", r"swollen", r"swelling", r"warm", r"red"),
    RedFlag.ANKLE: _words(r"ankles?", r"twist\w*", r"four steps", r"4 steps"),
    RedFlag.KNEE: _words(r"knees?", r"lock\w*", r"gives way", r"gave way"),
    RedFlag.ACHILLES_SNAP: _words(r"achill\w*", r"snap\w*", r"kick\w*", r"tip ?toe\w*"),
    RedFlag.BONE_SPOT: _words(r"bone", r"spot"),
    RedFlag.HIP_GROIN: _words(r"groin", r"hips?"),
    RedFlag.NIGHT: _words(r"night", r"rest", r"constant\w*", r"sleep"),
    RedFlag.NERVE: _words(r"numb\w*", r"tingl\w*", r"weak\w*", r"pins and needles"),
    RedFlag.SYSTEMIC: _words(r"fever\w*", r"temperature", r"weight", r"cancer\w*"),
    RedFlag.NOT_SETTLING: _words(r"worse", r"weeks?", r"not improving", r"no better"),
}


def flags_at_screen(text: str, screen: Screen) -> tuple[RedFlag, ...]:
    """The flags a message typed at a screen names: any red flag named in full counts (a
    more urgent one too), else a word naming one of this screen's own flags."""
    named = read_symptoms(text).flags
    if named:
        return named
    t = _Text(text)
    return tuple(f for f in SCREEN_FLAGS[screen] if re.search(SCREEN_WORDS[f], t.text))
