"""Hand-written English sentiment lexicon for customer-service messages.

Weights are on a rough scale: ±0.5 faint, ±1 mild, ±2 clear, ±3 strong. They were written by
hand from general knowledge of how customers write to support teams and then adjusted against
the development data (see `bench/evaluate_sentiment.py`); no entry or weight was learned by a
program and no dataset text is reproduced here.

Every language module defines the same tables, compiled by `profiling.text.sentiment_lexicon` (which
checks that no word sits in two weight tables). All keys are lower-case, "ё" folded to "е"; the
tokenizer keeps inner apostrophes ("don't", "can't") and hyphens.

* `POSITIVE`, `NEGATIVE`: exact word forms -> weight magnitude (the table gives the sign).
* `POSITIVE_STEMS`, `NEGATIVE_STEMS`: prefixes -> weight magnitude, for families such as
  "disappoint" (disappointed, -ing, -ment). The longest matching prefix wins; a prefix in
  `NEUTRAL_STEMS` blocks a shorter one. Exact tables win over stems, field by field.
* `NEGATED` (and `NEGATED_STEMS`): words that are neutral on their own but negative when
  negated or denied ("not working", "no response", "never arrived") -> weight applied under
  negation. Polarity words may be listed too, to override the default flip.
* `WAITING` (and `WAITING_STEMS`): words that mean waiting or delay (they set
  `waiting_complaint`).
* `NEGATORS` (+ `NEGATOR_SUFFIXES` such as "n't"; `POST_NEGATORS` deny the word before them,
  Russian "связи нет"), `FAILURE_NEGATORS` (negators that are complaints by themselves:
  "never", "nobody", "can't"), `INTENSIFIERS` (multipliers; below 1 for diminishers),
  `BUT_WORDS`, `THANKS` (thanks whose weight shrinks when closing a request), `REQUESTS`
  ("please": marks a request), `PROFANITY` and `PROFANITY_STEMS` (strong irritation),
  `DEMANDS` ("asap", "срочно": irritation).
* `PHRASES`: trigger prefixes, a regular expression over the lower-cased text, a weight, a
  stable cue and flags (W = waiting complaint, D = demand, S = sarcasm, P = profanity).
* `HASHTAGS`: substrings looked for inside hashtags ("#fail", "#worstservice").
* `REVERSER_STEMS`: prefixes of words that act against the bad word after them ("reduce
  delays", «сократил убыток»): it turns faintly good instead.
* `VERB_NEGATORS`, `NEGATED_NOUNS`, `EXISTENTIAL`, `NOUN_FILLERS`: negators that deny verbs and
  adjectives but not the service nouns listed (Russian «не смс, а звонок» is a contrast), the
  words after which they do deny them («не было связи»), and the words that may stand between
  such a negator and the noun without changing that (prepositions: «не в сети»).
"""

from __future__ import annotations

POSITIVE: dict[str, float] = {
    "thanks": 2.0, "thank": 2.0, "thx": 2.0, "thnx": 2.0, "thanx": 2.0, "tks": 1.5, "ty": 1.5,
    "tysm": 2.5, "cheers": 1.5, "kudos": 2.5, "bravo": 2.5, "congrats": 2.0,
    "congratulations": 2.0, "grateful": 2.0, "thankful": 2.0, "gratitude": 2.0, "great": 2.0,
    "good": 1.3, "nice": 1.5, "fine": 0.5, "cool": 1.2, "sweet": 1.5, "awesome": 2.5,
    "amazing": 2.5, "excellent": 2.5, "fantastic": 2.5, "wonderful": 2.5, "brilliant": 2.5,
    "outstanding": 2.5, "superb": 2.5, "terrific": 2.5, "fabulous": 2.5, "incredible": 2.0,
    "phenomenal": 2.5, "stellar": 2.5, "exceptional": 2.5, "perfect": 2.0, "perfectly": 1.5,
    "beautiful": 2.0, "lovely": 2.0, "gorgeous": 2.0, "pleasant": 1.5, "love": 2.0, "loved": 2.0,
    "loving": 2.0, "loves": 2.0, "luv": 2.0, "adore": 2.5, "best": 2.0, "better": 0.8,
    "favorite": 2.0, "favourite": 2.0, "fave": 2.0, "happy": 2.0, "glad": 2.0, "pleased": 2.0,
    "delighted": 2.5, "thrilled": 2.5, "excited": 2.0, "exciting": 1.5, "enjoy": 1.5,
    "enjoyed": 2.0, "enjoying": 1.5, "fun": 1.5, "impressed": 2.0, "impressive": 2.0,
    "helpful": 2.0, "friendly": 2.0, "kind": 1.2, "kindness": 2.0, "courteous": 2.0,
    "polite": 1.5, "professional": 1.5, "attentive": 2.0, "accommodating": 2.0, "patient": 1.0,
    "responsive": 1.5, "efficient": 1.5, "quick": 1.0, "quickly": 1.0, "fast": 1.0, "speedy": 1.5,
    "smooth": 1.5, "easy": 1.0, "comfortable": 1.5, "comfy": 1.5, "reliable": 1.5, "safe": 0.5,
    "clean": 0.5, "worth": 1.0, "recommend": 1.5, "hero": 2.0, "heroes": 2.0, "rockstar": 2.0,
    "rockstars": 2.0, "champ": 2.0, "legend": 2.0, "yay": 2.0, "woohoo": 2.0, "wow": 0.5,
    "whoa": 0.5, "woot": 2.0, "hooray": 2.0, "lol": 0.8, "lmao": 0.8, "haha": 1.0, "hahaha": 1.0,
    "hehe": 1.0, "welcome": 1.0, "pleasure": 1.5, "resolved": 1.0, "fixed": 0.8, "solved": 1.0,
    "helped": 1.5, "helping": 1.2, "appreciated": 2.0, "appreciate": 2.0, "appreciates": 2.0,
    "win": 1.0, "winner": 1.5, "bless": 1.5, "blessed": 1.5, "luck": 0.5, "lucky": 1.5,
    "hope": 0.3, "hopefully": 0.2, "ok": 0.2, "okay": 0.2, "well": 0.3, "finally": 0.0,
    "smile": 1.5, "smiles": 1.5, "glory": 1.0, "wins": 1.0, "yes": 0.3, "yeah": 0.2,
    "awsome": 2.5, "gr8": 2.0, "fab": 2.0, "superstar": 2.0, "classy": 0.0, "ideal": 1.5,
    "delicious": 2.5, "tasty": 2.0, "yummy": 2.0, "fresh": 1.0,
    "cozy": 1.5, "prompt": 1.5, "promptly": 1.5, "painless": 1.5, "hassle-free": 2.0,
    "seamless": 2.0,
    "upgrade": 0.5, "upgraded": 1.0, "free": 0.3, "glorious": 2.0, "wonderfully": 2.0,
}

# Magnitudes; the sign is negative.
NEGATIVE: dict[str, float] = {
    "bad": 2.0, "badly": 2.0, "worse": 2.0, "worst": 3.0, "terrible": 3.0, "terribly": 2.5,
    "horrible": 3.0, "horribly": 2.5, "awful": 3.0, "dreadful": 3.0, "horrendous": 3.0,
    "atrocious": 3.0, "abysmal": 3.0, "appalling": 3.0, "pathetic": 3.0, "ridiculous": 2.5,
    "ridiculously": 2.0, "absurd": 2.5, "unacceptable": 3.0, "inexcusable": 3.0,
    "unbelievable": 1.5, "shameful": 3.0, "shame": 2.0, "disgrace": 3.0, "disgraceful": 3.0,
    "rude": 2.5, "rudely": 2.5, "rudest": 3.0, "nasty": 2.5, "hostile": 2.5, "arrogant": 2.5,
    "useless": 2.5, "worthless": 3.0, "hopeless": 2.5, "clueless": 2.5, "incapable": 2.5,
    "unhelpful": 2.5, "unprofessional": 2.5, "unreliable": 2.5, "unresponsive": 2.5, "poor": 2.0,
    "poorly": 2.0, "lousy": 2.5, "crappy": 2.5, "garbage": 2.5, "trash": 2.0, "stupid": 2.5,
    "dumb": 2.0, "idiot": 3.0, "idiots": 3.0, "moron": 3.0, "morons": 3.0, "sucks": 3.0,
    "suck": 2.5, "sucked": 2.5, "sucky": 2.5, "failing": 2.0,
    "failure": 2.5, "joke": 1.5, "mess": 2.0, "messed": 2.0, "shambles": 2.5,
    "nightmare": 3.0, "disaster": 3.0, "disastrous": 3.0, "chaos": 2.0, "hate": 3.0, "hated": 3.0,
    "hating": 3.0, "hates": 3.0, "ugh": 2.0, "argh": 2.0, "smh": 2.0, "fml": 2.5, "boo": 1.5,
    "meh": 1.0, "sad": 1.5, "sadly": 1.5, "unhappy": 2.5, "unfortunately": 1.0,
    "unfortunate": 1.0, "sorry": 0.5, "miserable": 3.0, "angry": 2.5, "mad": 1.5, "furious": 3.0,
    "livid": 3.0, "upset": 2.0, "outraged": 3.0, "outrageous": 3.0, "fuming": 3.0,
    "irate": 3.0, "irritated": 2.5, "irritating": 2.5, "annoyed": 2.5, "annoying": 2.5,
    "tired": 1.0, "exhausted": 1.5, "sick": 1.0, "fed": 0.0, "stressed": 2.0, "stressful": 2.0,
    "nervous": 1.0, "worried": 1.5, "worry": 1.0, "concerned": 1.0, "scared": 1.5, "scary": 1.5,
    "confused": 1.5, "confusing": 1.5, "uncomfortable": 2.0, "dirty": 2.0, "filthy": 2.5,
    "gross": 2.5, "cramped": 1.5, "broken": 2.0, "broke": 1.5, "damaged": 2.0, "damage": 1.5,
    "destroyed": 2.5, "lost": 2.0, "lose": 1.5,
    "losing": 2.0, "missing": 1.5, "stolen": 2.5, "stole": 2.5, "steal": 2.0, "theft": 2.5,
    "stuck": 2.0, "stranded": 2.5, "trapped": 2.0, "missed": 1.5, "misconnect": 2.0,
    "overbooked": 2.0, "oversold": 2.0, "bumped": 1.0, "cancelled": 1.5, "canceled": 1.5,
    "cancellation": 1.5, "cancellations": 1.5, "cancel": 0.5, "diverted": 1.5,
    "disconnected": 2.0, "hung": 1.5, "hangs": 1.0, "ignored": 2.5, "ignoring": 2.5,
    "ignore": 2.0, "neglected": 2.5, "mistreated": 3.0, "insulted": 2.5, "insulting": 2.5,
    "lied": 3.0, "lie": 2.0, "lies": 2.5, "lying": 3.0, "liar": 3.0, "liars": 3.0, "scam": 3.0,
    "scammed": 3.0, "fraud": 3.0, "ripoff": 3.0, "overcharged": 2.5, "overpriced": 2.0,
    "expensive": 1.0, "fee": 0.5, "fees": 0.8, "charged": 0.8, "refund": 1.2, "refunded": 0.0,
    "reimburse": 1.0, "reimbursement": 1.0, "compensation": 1.0, "compensate": 1.0,
    "complaint": 1.5, "complaints": 1.5, "complain": 1.5, "complaining": 1.5, "problem": 1.2,
    "problems": 1.5, "issue": 1.0, "issues": 1.5, "error": 1.5, "errors": 1.5,
    "glitch": 1.5, "bug": 1.0, "wrong": 1.5, "mistake": 1.5, "hassle": 2.0, "inconvenience": 1.5,
    "inconvenienced": 2.0, "inconvenient": 1.5, "incompetence": 3.0, "incompetent": 3.0,
    "negligence": 3.0, "excuse": 1.5, "excuses": 2.0, "apology": 0.5,
    "wasted": 2.5, "waste": 2.0, "wasting": 2.5, "slow": 1.5, "slower": 1.5, "slowest": 2.0,
    "impossible": 1.5, "difficult": 1.0, "hard": 0.5,
    "seriously": 1.5, "again": 0.5, "still": 0.6,
    "anymore": 1.0, "yet": 0.3, "why": 0.6, "supposed": 1.0, "apparently": 0.8, "even": 0.3,
    "tarmac": 1.0, "runway": 0.8, "queue": 0.8, "ages": 1.0,
    "hours": 1.2, "hrs": 1.2, "hr": 1.0, "hour": 0.8, "minutes": 0.8, "mins": 0.8, "days": 0.6,
    "weeks": 1.0, "months": 0.8, "rebooked": 0.5, "rebook": 0.5, "denied": 2.0,
    "declined": 1.5, "blocked": 1.0, "locked": 0.8, "frozen": 1.0,
    "crashed": 2.0, "crashes": 2.0, "crashing": 2.0, "down": 0.5, "outage": 2.0, "spam": 2.0,
    "embarrassing": 2.5, "embarrassed": 2.0, "disrespectful": 3.0, "disrespect": 2.5,
    "inadequate": 2.5, "incorrect": 1.5, "misleading": 2.5, "unfair": 2.5, "unbearable": 3.0,
    "cold": 0.5, "hungry": 0.8, "starving": 1.5, "smelly": 2.0, "smells": 1.0, "sticky": 1.0,
    "screw": 2.0, "screwed": 2.5, "ugly": 2.0, "sigh": 1.5, "omg": 0.5, "unreal": 1.0,
    "insane": 1.5, "crazy": 1.0, "tho": 0.0, "literally": 0.3, "shocking": 2.0, "shocked": 1.5,
    "helpless": 2.0, "powerless": 1.5, "dissatisfied": 2.5, "unsatisfied": 2.5, "disgusted": 3.0,
    "disgusting": 3.0, "sloppy": 2.0, "careless": 2.5, "horror": 2.5, "ordeal": 2.5,
    "debacle": 3.0, "fiasco": 3.0, "incompetency": 3.0,
    "hanged": 1.5, "abused": 3.0, "threatened": 2.5, "forced": 1.5, "ashamed": 2.5, "lame": 2.0,
    "greedy": 2.5, "heartless": 3.0, "uncool": 2.0, "untrue": 2.0, "archaic": 1.5,
    "insufficient": 1.5, "hiccup": 1.0, "hiccups": 1.0, "sleepless": 1.5, "criminal": 2.0,
    "stunned": 1.5, "srsly": 1.5, "duh": 1.5, "unbelievably": 1.5, "downhill": 2.0,
    "nope": 0.5, "unresolved": 2.0, "glitchy": 2.0, "buggy": 2.0, "laggy": 1.5, "defective": 2.5,
    "faulty": 2.0, "scratched": 1.5, "dented": 1.5, "spoiled": 2.0, "rotten": 2.5, "robbed": 3.0,
    "robbery": 3.0, "extortion": 3.0, "cheated": 3.0, "deceived": 3.0, "misled": 2.5,
    "stale": 2.0, "burnt": 1.5, "bland": 1.5, "watery": 1.5, "undercooked": 2.0,
    "overcooked": 1.5, "lukewarm": 1.5, "forgot": 1.0, "forgotten": 1.0, "unanswered": 2.0,
    "unreachable": 2.0, "pointless": 2.0, "mediocre": 1.5, "subpar": 2.0, "upsetting": 2.0,
    "enraged": 3.0, "rage": 2.5, "unusable": 2.5,
}

POSITIVE_STEMS: dict[str, float] = {
    "appreciat": 2.0, "fantastic": 2.5, "awesom": 2.5, "amaz": 2.2, "wonderful": 2.5,
    "excellen": 2.5, "impress": 1.8, "thank": 2.0, "congrat": 2.0, "recommend": 1.2,
    "enjoy": 1.5, "delight": 2.5, "love": 2.0, "lovin": 2.0, "hahah": 1.0, "ahah": 0.8,
    "loool": 0.8, "helpful": 2.0, "encourag": 1.5,
}

NEGATIVE_STEMS: dict[str, float] = {
    "disappoint": 2.5, "frustrat": 2.5, "incompeten": 3.0, "unaccept": 3.0, "ridicul": 2.5,
    "horrib": 3.0, "terribl": 3.0, "aggravat": 2.5, "infuriat": 3.0, "irritat": 2.5,
    "annoy": 2.0, "disgust": 3.0, "unprofession": 2.5, "inconvenien": 1.5, "complain": 1.5,
    "cancell": 1.5, "cancel": 0.5, "misconnect": 2.0, "overbook": 2.0, "mishandl": 2.5,
    "mislead": 2.5, "disrespect": 2.5, "unhelpful": 2.5, "unfriendl": 2.0, "unreliab": 2.5,
    "ruin": 2.5, "troubl": 1.5, "stink": 2.5, "insult": 2.5, "horrif": 3.0, "wrongful": 2.0,
    "argu": 1.5, "punish": 2.0,
}

# Tokens that start like a stem above but mean something else.
NEUTRAL_STEMS: frozenset[str] = frozenset({
    "apolog", "profession", "lovel", "amazon", "thanksgiving", "cancelation",
})

# Neutral alone, negative when negated: the things a customer expects to happen.
NEGATED: dict[str, float] = {
    # verbs of service working or arriving
    "work": -2.0, "works": -2.0, "working": -2.0, "worked": -1.5, "function": -1.5,
    "functioning": -2.0, "load": -1.5, "loading": -1.5, "loads": -1.5, "open": -1.0,
    "answer": -2.0, "answering": -2.0, "answered": -2.0, "answers": -2.0, "respond": -2.0,
    "responding": -2.0, "responded": -2.0, "response": -2.0, "responses": -2.0,
    "reply": -2.0, "replies": -2.0, "replied": -2.0, "replying": -2.0, "help": -2.0,
    "helped": -2.0, "helping": -2.0, "helpful": -2.5, "receive": -1.5, "received": -2.0,
    "receiving": -1.5, "arrive": -1.5, "arrived": -2.0, "arriving": -1.0, "get": -1.0,
    "got": -1.0, "gotten": -1.5, "getting": -1.0, "let": -1.5, "letting": -1.5, "allow": -1.5,
    "allowed": -1.0, "allowing": -1.5, "accept": -1.5, "accepted": -1.0, "accepting": -1.5,
    "connect": -1.5, "connected": -1.5, "connection": -1.0, "show": -1.0, "showed": -1.5,
    "shown": -1.5, "come": -1.0, "came": -1.5, "update": -1.5, "updates": -1.5,
    "updated": -1.5, "info": -1.5, "information": -1.5, "communication": -2.0,
    "explanation": -2.0, "apology": -2.5, "apologies": -2.0, "notice": -1.5, "refund": -2.0,
    "compensation": -2.0, "wifi": -1.5, "internet": -1.5, "signal": -1.5, "power": -1.0,
    "service": -1.5, "support": -1.5, "one": -1.5, "word": -1.5, "call": -1.0, "called": -1.5,
    "calls": -1.0, "fix": -1.5, "fixed": -1.5, "resolve": -1.5, "resolved": -2.0,
    "resolution": -1.5, "assist": -1.5, "assistance": -1.5, "reach": -1.5, "find": -1.0,
    "found": -1.0, "check": -0.5, "board": -1.0, "make": -0.5, "access": -1.5, "login": -1.5,
    "log": -1.0, "sign": -0.5, "deliver": -1.5, "delivered": -2.0, "delivery": -1.0,
    "return": -1.0, "returned": -1.5, "contact": -1.5, "contacted": -1.5, "hear": -1.0,
    "heard": -1.5, "care": -1.5, "cares": -2.0, "caring": -1.0, "clue": -1.5, "idea": -0.5,
    "reason": -0.5, "sense": -1.5, "available": -1.0, "possible": -0.5, "honor": -1.5,
    "honored": -1.5, "refunded": -2.0, "credited": -1.5, "processed": -1.5, "sent": -1.0,
    "happy": -2.5, "impressed": -2.5, "satisfied": -2.5, "pleased": -2.5, "good": -1.8,
    "great": -1.8, "nice": -1.5, "fun": -1.5, "cool": -1.5, "ok": -1.0, "okay": -1.0,
    "acceptable": -2.5, "fair": -2.0, "right": -1.0, "easy": -1.0, "clean": -1.5,
    "friendly": -2.0, "worth": -2.0, "enough": -1.0, "better": -0.5, "bad": 1.0,
    "problem": 1.0, "problems": 0.8, "worries": 1.5, "worry": 1.0, "issue": 0.6,
    "hassle": 1.2, "complaints": 0.8, "thanks": 0.0, "thank": 0.0, "thx": 0.0,
    "wrong": 0.5, "difficult": 0.5, "hard": 0.3,
    # durations keep their weight under negation ("shouldn't take 12 hours")
    "hours": -1.2, "hrs": -1.2, "hr": -1.0, "hour": -0.8, "minutes": -0.8, "mins": -0.8,
    "days": -0.6, "weeks": -1.0, "months": -0.8, "delayed": -2.0, "delay": -1.0,
}
NEGATED_STEMS: dict[str, float] = {"disappoint": 1.5, "thank": 0.0}

WAITING_STEMS: dict[str, float] = {"delay": -1.5}
WAITING: dict[str, float] = {
    "delayed": -2.0, "delay": -1.5, "delays": -1.5, "late": -1.0, "waiting": -1.2,
    "waited": -1.5, "wait": -0.5, "hold": -1.2, "holding": -0.8, "forever": -1.5,
    "postponed": -1.5, "overdue": -2.0,
}

NEGATORS: frozenset[str] = frozenset({
    "not", "no", "never", "nope", "nothing", "nobody", "none", "neither", "nor", "without",
    "cannot", "cant", "dont", "doesnt", "didnt", "wont", "isnt", "arent", "wasnt", "werent",
    "havent", "hasnt", "hadnt", "couldnt", "wouldnt", "shouldnt", "aint", "w/o", "zero",
    "lack", "lacking", "unable", "failed", "fail", "fails", "refuse", "refused", "refuses",
})
# Tokens ending in these are negators too ("don't", "can’t").
NEGATOR_SUFFIXES: tuple[str, ...] = ("n't", "n’t")
# Negators that deny the word before them (Russian "связи нет"); English puts them first.
POST_NEGATORS: frozenset[str] = frozenset()
# Negators that also show that something failed on their own ("can't", "won't").
FAILURE_NEGATORS: dict[str, float] = {
    "can't": -0.5, "cant": -0.5, "cannot": -0.5, "won't": -0.5, "wont": -0.5,
    "couldn't": -0.5, "couldnt": -0.5, "unable": -1.5, "refused": -2.0, "refuse": -2.0,
    "refuses": -2.0, "failed": -2.0, "fail": -2.0, "fails": -2.0, "lack": -1.5,
    "lacking": -1.5, "nobody": -1.5, "never": -1.0, "nothing": -1.0,
    "hasn't": -0.5, "haven't": -0.5, "no": -0.7,
}

INTENSIFIERS: dict[str, float] = {
    "very": 1.3, "so": 1.25, "too": 1.2, "really": 1.3, "extremely": 1.6, "super": 1.4,
    "incredibly": 1.5, "absolutely": 1.5, "totally": 1.4, "completely": 1.4, "utterly": 1.6,
    "truly": 1.3, "highly": 1.3, "most": 1.2, "such": 1.2, "beyond": 1.4, "especially": 1.2,
    "seriously": 1.3, "insanely": 1.5, "terribly": 1.5, "awfully": 1.4, "exceptionally": 1.5,
    "ridiculously": 1.5, "hugely": 1.4, "entirely": 1.3, "sooo": 1.5, "soooo": 1.6,
    "soo": 1.4, "veryyy": 1.5, "mighty": 1.2, "damn": 1.3, "freaking": 1.4, "frickin": 1.4,
    "fucking": 1.5, "effing": 1.4, "bloody": 1.3,
    # diminishers
    "slightly": 0.6, "somewhat": 0.7, "little": 0.7, "bit": 0.7, "kinda": 0.7, "sorta": 0.7,
    "fairly": 0.8, "rather": 0.9, "barely": 0.6, "mildly": 0.6, "almost": 0.8, "pretty": 1.1,
    "quite": 1.1, "partly": 0.7, "marginally": 0.6,
}

# "but": what precedes it counts for less, what follows for more.
BUT_WORDS: frozenset[str] = frozenset({"but", "however"})

THANKS: frozenset[str] = frozenset({
    "thanks", "thank", "thx", "thnx", "thanx", "tks", "ty", "tysm", "cheers", "appreciate",
    "appreciated", "please", "pls", "plz",
})

# Words that make a message a request: thanks closing a request is politeness.
REQUESTS: frozenset[str] = frozenset({"please", "pls", "plz", "plse", "kindly"})

PROFANITY_STEMS: dict[str, float] = {"fuck": -3.0, "shit": -3.0, "asshole": -3.0}
PROFANITY: dict[str, float] = {
    "fuck": -3.0, "fucking": -2.0, "fucked": -3.0, "fucks": -3.0, "fuckin": -2.0, "fck": -3.0,
    "fcking": -2.0, "fuk": -3.0, "fking": -2.0, "effing": -2.0, "shit": -3.0, "shitty": -3.0,
    "shite": -3.0, "bullshit": -3.0, "crap": -2.5, "damn": -1.5, "dammit": -2.5,
    "goddamn": -2.5, "hell": -1.0, "ass": -2.0, "asses": -2.0, "asshole": -3.0,
    "assholes": -3.0, "bitch": -3.0, "bastard": -3.0, "bastards": -3.0, "piss": -2.5,
    "pissed": -3.0, "dick": -2.5, "dicks": -2.5, "wtf": -3.0, "stfu": -3.0, "omfg": -2.5,
    "frigging": -1.5, "friggin": -1.5, "freaking": -1.0, "bs": -2.5, "sob": -1.0,
}

DEMANDS: dict[str, float] = {
    "asap": -0.3, "immediately": -0.5, "urgent": -0.3, "urgently": -0.3, "demand": -1.5,
    "demanding": -1.0, "now": 0.0,
}

# Phrases: (triggers, regular expression over the lower-cased text, weight, cue, flags).
# A phrase is tried only when a token of the message starts with one of its space-separated
# trigger prefixes, so a message pays for the few phrases it can match. Flags: W waiting
# complaint, D demand, S sarcasm (cancels the thanks and praise it mocks), P profanity.
_DUR_NUM = (
    r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|"
    r"few|couple(?: of)?)"
)
_DUR_UNIT = r"(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?)"
_DUR_TRIGGERS = "hour hr min day week month"
PHRASES: list[tuple[str, str, float, str, str]] = [
    # waiting
    ("waiting hold holding",
     r"\b(?:still|been|keep|kept|stuck|sat|sitting|currently|now|i'?m|we'?re|am|are|was|"
     r"were)\s+(?:\w+\s+)?(?:waiting|on hold|holding)\b",
     -2.0, "wait:still waiting", "W"),
    ("hold", r"\bon hold\b", -1.5, "wait:on hold", "W"),
    (_DUR_TRIGGERS,
     rf"\b{_DUR_NUM}\s*(?:\+\s*)?(?:more\s+)?{_DUR_UNIT}\s+(?:on hold|waiting|wait|of waiting|"
     rf"in line|in queue|on the (?:phone|tarmac|runway|plane)|late|later|delay(?:ed)?|"
     rf"and counting|now|sitting|stuck|to get)",
     -2.0, "wait:hours waiting", "W"),
    ("wait",
     rf"\bwait(?:ed|ing)?\s+(?:for\s+)?(?:over\s+|about\s+|almost\s+|nearly\s+|more than\s+|"
     rf"another\s+)?{_DUR_NUM}\s+(?:more\s+)?{_DUR_UNIT}",
     -2.0, "wait:waited hours", "W"),
    ("hold queue line delay",
     rf"\b(?:hold|queue|line|delay)\s+(?:time\s+)?(?:for|of)\s+(?:over\s+|about\s+|almost\s+|"
     rf"nearly\s+|more than\s+)?{_DUR_NUM}\s+{_DUR_UNIT}",
     -2.0, "wait:long hold", "W"),
    ("counting", r"\band counting\b", -1.5, "wait:and counting", "W"),
    ("been",
     rf"\b(?:it'?s|it has|it'?s already) been (?:over |more than |almost |nearly |about )?"
     rf"{_DUR_NUM} {_DUR_UNIT}\b",
     -1.5, "wait:it's been a week", "W"),
    ("why",
     r"\bwhy (?:\S+ ){1,4}?(?:not|no|never|n't)\b|\bwhy (?:can't|won't|isn't|aren't|didn't|"
     r"doesn't|don't|wasn't|haven't|hasn't|cant|wont|isnt|dont|doesnt|didnt)\b",
     -1.0, "neg:why not", ""),
    ("still sitting sat stuck",
     r"\bstill (?:sitting|stuck|on the|at the|here|in the|on board|onboard)\b|\b(?:sitting|sat|"
     r"stuck) (?:on|at|in) (?:the )?(?:plane|tarmac|runway|gate|airport|aircraft)\b",
     -1.5, "wait:still sitting", "W"),
    ("still",
     r"\bstill (?:no|not|haven'?t|hasn'?t|nothing|don'?t|didn'?t|can'?t|waiting|no word|stuck|"
     r"isn'?t|aren'?t)\b",
     -1.5, "wait:still not", "W"),
    ("where",
     r"\bwhere(?:'s| is| are)? (?:my|our|the) (?:order|bag|bags|luggage|refund|money|package|"
     r"parcel|delivery|stuff|suitcase)\b",
     -1.5, "wait:where is my", "W"),
    # "how long" only in its waiting forms: "how long does shipping take?" asks.
    ("long longer",
     r"\bhow (?:much )?long (?:do|will|must|should|shall|would|am|are|have|has|did) (?:i|we|u|"
     r"you|they|people|customers) (?:\w+ ){0,2}?(?:wait|waiting|waited|be on hold|sit|sitting)\b"
     r"|\bhow long (?:has|have) (?:it|i|we|this) been\b|\bhow much longer\b",
     -1.0, "wait:how long", "W"),
    ("yet", r"\byet to (?:receive|hear|get|be|see)\b", -1.5, "wait:yet to", "W"),
    ("haven hasn never didn not",
     r"\b(?:haven'?t|hasn'?t|never|didn'?t|not) (?:yet )?(?:received|heard back|been contacted|"
     r"arrived|come|shown up|gotten|got)\b",
     -1.0, "wait:not received", "W"),
    ("forever ages long",
     r"\b(?:taking|takes|took|take) (?:so |too )?(?:forever|ages|so long|too long)\b",
     -2.0, "wait:taking forever", "W"),
    # failures
    ("one nobody noone",
     r"\b(?:no ?one|nobody) (?:\w+ )?(?:answer|pick|respond|repl|call|help|get|came|come|show|"
     r"know|care|will|can|is|has|at)",
     -2.0, "fail:no one answers", ""),
    ("hung hang hangs hanged", r"\b(?:hung|hang|hangs|hanged) up\b", -1.5, "fail:hung up", ""),
    ("phone phones", r"\b(?:answer|pick up|picks up|answering) (?:the |your |ur )?phones?\b", -2.0,
     "fail:answer the phone", ""),
    ("one agent rep person employee desk",
     r"\b(?:only|just) (?:one|1|two|2) (?:agent|rep|person|employee|desk|counter|gate agent)s?\b",
     -2.0,
     "fail:only one agent", ""),
    ("lost lose losing misplaced damaged broke destroyed",
     r"\b(?:lost|lose|losing|misplaced|damaged|broke|destroyed) (?:my|our|his|her|the|a|"
     r"all) (?:\w+ )?(?:bag|bags|luggage|baggage|suitcase|package|parcel|order|stroller|car seat)",
     -1.5, "fail:lost my bag", ""),
    ("refund money compensation reimbursement",
     r"\b(?:i|we) (?:demand|deserve) (?:my |our |a |an |full )*(?:refund|money back|"
     r"compensation|reimbursement)",
     -1.5, "fail:refund demand", "D"),
    # A plain request is an unhappy customer, but a calm one: no demand, little weight.
    ("refund money compensation reimbursement",
     r"\b(?:i|we) (?:want|need|expect) (?:my |our |a |an |full )*(?:refund|money back|"
     r"compensation|reimbursement)",
     -0.3, "request:refund", ""),
    ("back", r"\bmoney back\b", -1.5, "fail:money back", ""),
    ("wrong described",
     r"\bwrong (?:item|order|size|product|color|colour|drink|coffee|address)\b|"
     r"\bnot as described\b",
     -2.0, "fail:wrong item", ""),
    ("charged billed twice double",
     r"\b(?:charged|billed) (?:me |us )?(?:twice|double)\b|\bdouble[- ]charged\b",
     -2.5, "fail:charged twice", ""),
    ("locked", r"\blocked out\b", -2.0, "fail:locked out", ""),
    ("bait rip ripped", r"\bbait and switch\b|\brip(?:ped)?[- ]?off\b", -3.0, "neg:rip off", ""),
    ("never not",
     r"\b(?:never|not) (?:flying|fly|using|use|booking|book|buying|buy|choosing) (?:with )?(?:you|"
     r"u|again|this)",
     -3.0, "neg:never again", ""),
    ("again last", r"\bnever again\b|\bfirst and last\b", -2.5, "neg:never again", ""),
    ("elsewhere another other different someone",
     r"\b(?:business|money) elsewhere\b|\b(?:switch\w*|mov\w+|go|going|fly|flying|stick) (?:with |"
     r"to )?(?:another|other|a different|someone else)\b",
     -2.0, "neg:taking my business elsewhere", ""),
    ("should shouldve should've",
     r"\bshould(?:'ve| have) (?:just )?(?:flown|flew|gone|taken|booked|used|stayed|listened|"
     r"driven|known)\b",
     -2.0,
     "neg:should have flown", ""),
    ("would could should",
     r"\b(?:would|could|should)(?:'ve| have) (?:been )?(?:nice|helpful|good|great|appreciated|"
     r"helped|better)\b|\bcould be (?:a lot |much |way )?better\b",
     -2.5,
     "neg:could have been better", "S"),
    ("joke mess disaster nightmare shame waste",
     r"\b(?:what|such) a (?:joke|mess|disaster|nightmare|shame|waste)\b",
     -1.5, "neg:what a joke", ""),
    ("joke", r"\bis a joke\b", -1.5, "neg:is a joke", ""),
    ("sick tired fed",
     r"\b(?:sick|tired|fed up) (?:and tired )?of\b|\bfed up\b",
     -2.5, "neg:fed up", ""),
    ("excuse", r"\bno excuse", -2.0, "neg:no excuse", ""),
    ("service experience airline company",
     r"\b(?:worst|terrible|horrible|awful|bad|poor) (?:customer )?(?:service|experience|airline|"
     r"company)\b",
     -1.0, "neg:bad service", ""),
    # sarcasm and false praise
    ("thank", r"\bthanks? (?:you )?(?:for |a lot for )?(?:nothing|not(?:hing)?)\b", -3.0,
     "sarcasm:thanks for nothing", "S"),
    ("thank thx",
     r"\b(?:thanks?|thx)(?: you)? (?:a lot |so much )?for (?:\w+ )?(?:losing|ruining|wasting|"
     r"nothing|leaving|cancel\w*|delay\w*|breaking|stranding|making (?:me|us) wait|the (?:delay|"
     r"wait|hassle|headache))",
     -3.0, "sarcasm:thanks for ruining", "S"),
    ("job work",
     r"\b(?:great|good|nice|wonderful|awesome|excellent|brilliant) (?:job|"
     r"work)\b(?=[^!.]*(?:\bnot\b|\bno\b|\bnever\b|n't))"
     r"|\b(?:great|good|nice|wonderful|awesome|excellent|brilliant) (?:job|work) (?:on |"
     r"at )?(?:\w+ )?(?:losing|ruining|breaking|cancel\w*|delay\w*|stranding|ignoring|forgetting|"
     r"overbooking|messing|screwing|wasting|misplacing|damaging|overcharging)",
     -3.0, "sarcasm:great job not", "S"),
    ("right sure just",
     r"\b(?:yeah|oh) (?:right|sure)\b|\bjust (?:great|perfect|wonderful|brilliant)\b",
     -2.5,
     "sarcasm:just great", "S"),
    ("surprise shocker",
     r"\b(?:big|what a|no|surprise,?) surprise\b|\bshocker\b",
     -2.0, "sarcasm:big surprise", "S"),
    ("love loving gotta",
     r"\b(?:love|loving) (?:how|that|it when|the way) (?:you|u|your|they|i|we|my|the)\b|"
     r"\b(?:gotta|got to|have to) love\b",
     -2.5, "sarcasm:love how", "S"),
    ("class", r"\breal class act\b", -2.5, "sarcasm:class act", "S"),
    ("nickel nickeled dime", r"\bnickel(?:ed)?(?:ing)? and dim", -2.0, "neg:nickel and dime", ""),
    ("question", r"\bquick (?:question|q)\b", -1.0, "neutral:quick question", ""),
    # inquiries: a possibility, the terms, a buyer still deciding (Q: discounts what is left)
    ("if case",
     r"\bwhat (?:if|happens if|happens when|would happen if)\b|\b(?:in|just in) case\b|"
     r"(?:^|[.!?]\s)(?![^.!?]*\b(?:why|the point)\b)[^.!?]*\bif\b[^.!?]*\?",
     0.0, "inquiry:what if", "Q"),
    ("polic terms warranty guarantee",
     r"\b(?:refund|return|returns|exchange|cancellation|shipping|delivery|warranty|privacy|"
     r"price|pricing)\s+polic(?:y|ies)\b|\bterms (?:and|&) conditions\b|\bterms of (?:service|"
     r"sale|use|delivery|the (?:warranty|guarantee))\b|\b(?:warranty|guarantee) (?:period|terms|"
     r"coverage|cover)\b",
     0.0, "inquiry:policy", "Q"),
    ("late", r"\b(?:is it|am i|are we|isn't it|not) (?:too )?late to\b", 0.0,
     "inquiry:too late to", "Q"),
    ("think decided sure",
     r"\b(?:i'?ll|i will|let me|i need to|i have to|i'?d like to) think (?:about )?it\b|"
     r"\b(?:haven'?t|not) (?:yet )?decided\b|\bnot sure yet\b",
     0.0, "inquiry:undecided", "Q"),
    # support-agent formulas (a customer does not write them): neutral
    ("inconvenience apologize apologise apologies",
     r"\b(?:sorry|apologi[sz]e|apologies) for (?:the |any )?(?:inconvenience|delay|wait|"
     r"trouble)\b(?!.*\b(?:not|no|never)\b)",
     0.0, "agent:sorry for the inconvenience", ""),
    # praise
    ("fixed resolved solved sorted",
     r"\b(?:fixed|resolved|solved|sorted) (?:out )?(?:the |my |our |this |that |it |"
     r"all )?(?:issue|problem|error|bug|glitch)s?\b",
     2.0, "pos:fixed the issue", ""),
    ("rock rocks rule killed",
     r"\b(?:you|u|y'?all|guys|she|he|they|team|crew|staff) (?:\w+ )?(?:rock|rocks|rule|"
     r"killed it)\b",
     2.5,
     "pos:you rock", ""),
    ("job work service flight experience crew team staff",
     r"(?<!not )(?<!n't )(?<!never )\b(?:great|good|nice|awesome|amazing|excellent|"
     r"fantastic) (?:job|work|service|flight|experience|crew|team|staff)\b",
     1.0, "pos:great job", ""),
    ("done made beyond",
     r"\bwell done\b|\bmade my (?:day|night|week)\b|\babove and beyond\b",
     2.5, "pos:well done", ""),
    ("problem worries prob", r"\bno (?:problem|worries|prob|probs)\b", 1.0, "pos:no problem", ""),
    ("not", r"\bwhy not\s*[?!.]*\s*$", 1.0, "pos:why not", ""),
    ("forward wait", r"\blooking forward\b|\bcan'?t wait\b", 1.5, "pos:looking forward", ""),
    ("thank", r"\bthanks? (?:you )?(?:so much|very much|again|a ton|a million|guys)\b", 1.0,
     "pos:thanks so much", ""),
    # demands and urgency
    ("right immediately asap",
     r"\b(?:right now|right away|immediately|asap)\b",
     -0.3, "demand:asap", "D"),
    ("fix do get sort",
     r"\b(?:fix (?:it|this|that)|do something|get (?:your|ur) (?:act|shit|crap) together|"
     r"sort (?:it|this) out)\b",
     -2.0, "demand:fix it", "D"),
    ("refund give",
     r"\b(?:refund me|give me (?:my|a) (?:money|refund))\b",
     -2.0, "demand:refund me", "D"),
]

# Substrings looked for inside hashtags (hashtags are removed from `tokens`).
HASHTAGS: tuple[tuple[str, float], ...] = (
    ("fail", -2.0), ("worst", -2.5), ("neveragain", -2.5), ("sucks", -2.5), ("badservice", -2.5),
    ("poorservice", -2.5), ("disappoint", -2.5), ("frustrat", -2.5), ("annoy", -2.0),
    ("angry", -2.5), ("unacceptable", -2.5), ("ridiculous", -2.0), ("nothappy", -2.0),
    ("fml", -2.0), ("terrible", -2.5), ("horrible", -2.5), ("awful", -2.5), ("delay", -1.0),
    ("stranded", -2.0), ("lost", -1.0), ("nolove", -2.0), ("wtf", -2.5), ("shame", -2.0),
    ("notcool", -2.0), ("badcustomer", -2.0), ("customerservicefail", -2.5),
    ("love", 2.0), ("thank", 2.0), ("awesome", 2.5), ("great", 2.0), ("best", 2.0),
    ("happy", 2.0), ("amazing", 2.5), ("kudos", 2.5), ("winning", 1.5), ("impressed", 2.0),
)

# Words that act against what follows: a bad word in their reach is reversed ("reduce
# delays", "fight fraud"). Negated, they do not act. "avoid" and "prevent" only as verb forms:
# "an avoidable delay" is a complaint.
REVERSER_STEMS: tuple[str, ...] = (
    "reduc", "fight", "protect", "combat", "prevents", "preventing", "prevented", "avoiding",
    "avoided",
)

# English "not" and "no" both deny nouns ("no signal", "not a single reply"): no verb-only
# negators, so the noun tables stay empty.
VERB_NEGATORS: frozenset[str] = frozenset()
NEGATED_NOUNS: tuple[str, ...] = ()
EXISTENTIAL: frozenset[str] = frozenset()
NOUN_FILLERS: frozenset[str] = frozenset()
