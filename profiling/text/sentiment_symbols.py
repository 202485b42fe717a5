"""Language-independent signals of a message for sentiment: emoji, emoticons, bracket
smileys, repeated "?!" runs, CAPS shouting, and where clauses break.

They are read from the lower-cased (or, for caps, the cleaned) text with a few regular
expressions, never per token, so they cost a handful of scans per message.
"""

from __future__ import annotations

import re

__all__ = ["BRACKET_SMILE", "caps_ratio", "clause_starts", "single_question", "symbols"]

BRACKET_SMILE = 0.7  # "ок)" is friendlier than neutral but not praise; ")))" counts double
CAPS_MIN_LETTERS = 10  # shouting needs enough text to judge («ГДЕ МОЙ ЗАКАЗ» is 11)

_POSITIVE_EMOJI = frozenset(
    "😀😃😄😁😆😊🙂😍🥰😘😗😙😚☺😋😎🤗🤩🥳😇👍👌👏🙌🙏💪🎉🎊✨⭐🌟💯❤♥💕💖💗💓💞💘💝💙💚💛🧡💜🤍"
    "😻😸😺✌🤝🔥🥇🏆"
)
_NEGATIVE_EMOJI = frozenset("😡😠🤬😤😒😞😔😟😕🙁☹😣😖😫😩😢😭😿💔👎💩🙄🤦😑😐🤯😱😨😰😓🤮🤢😬🖕")
# Any pictograph (symbols block and the emoji planes): a cheap range scan, then set lookups.
_PICTO_RE = re.compile("[\u2190-\u2bff\U0001f000-\U0001faff]")
# ASCII emoticons: ":)" and "((" are counted from bracket balance, these are the others.
# Positive: ":d", ";p", "=3", "8-d", "xd" not glued to a word, "<3", "^_^"; negative (group
# "ne"): ":/", ";-|". Written to start with the class of their first characters (each
# alternative then checks, looking back, which one it was), so that the regex engine jumps
# between candidates; "(?<![\w/].)" is "not preceded by a word character or "/"".
_EMOTICON_RE = re.compile(
    r"[:;=8x<^](?:"
    r"(?<=[:;=8])(?<![\w/].)-?[dpр3*](?!\w)"
    r"|(?<=x)(?<![\w/].)-?d(?!\w)"
    r"|(?<=<)3"
    r"|(?<=\^)_*\^"
    r"|(?P<ne>(?<=[:;=])(?<![\w/].)['\-]?[/\\|](?![/\w]))"
    r")"
)
_EMOTICON_CHARS = (":", ";", "=", "<3", "^", "xd")
# Patterns start with a plain character class, not a repeat of one: the regex engine then
# jumps between candidate characters instead of trying every position.
_REPEATED_RE = re.compile(r"[!?][!?]+")
# Clause breaks that end a negation's reach ("не всегда. Позор").
_BREAK_RE = re.compile(r"[.,;!?…:()\n\s](?:(?<=[.,;!?…:()\n])|(?<=\s)[-–—]\s)")
# A sentence ends before the final "?": ". " or "…" followed by more text (not "5.30", "e.g").
_SENTENCE_END_RE = re.compile(r"(?:\.|…)\s+\S")
_WORD3_RE = re.compile(r"[^\W\d_][^\W\d_]{2,}")
_UPPER_RE = re.compile(r"[A-ZА-ЯЁ]")
# A shouted word; 3-letter runs are acronyms (JFK, МТС).
_CAPS4_RE = re.compile(r"[A-ZА-ЯЁ][A-ZА-ЯЁ]{3}")


def clause_starts(lower: str, tokens: tuple[str, ...]) -> list[int]:
    """Indices of the tokens that follow a clause break (punctuation) in `lower`."""
    breaks = [m.start() for m in _BREAK_RE.finditer(lower)]
    if not breaks:
        return []
    starts: list[int] = []
    cur = 0
    b = 0
    nb = len(breaks)
    for j, tok in enumerate(tokens):
        k = lower.find(tok, cur)
        if k < 0:
            break
        if b < nb and breaks[b] < k:
            if j:
                starts.append(j)
            while b < nb and breaks[b] < k:
                b += 1
            if b >= nb:
                break
        cur = k + len(tok)
    return starts


def single_question(lower: str) -> bool:
    """Whether the message is one sentence, a question: its only "?" ends it, and no ".", "!"
    or "…" closes a sentence before it."""
    body = lower.rstrip()
    if not body.endswith("?") or body.count("?") != 1 or "!" in body:
        return False
    return _SENTENCE_END_RE.search(body) is None


def symbols(lower: str, questions: int) -> tuple[int, int, int, float]:
    """Repeated "?!" runs, positive and negative emoji/emoticons, bracket-smiley weight."""
    repeated = len(_REPEATED_RE.findall(lower)) if questions + lower.count("!") >= 2 else 0
    emo_pos = 0
    emo_neg = 0
    if not lower.isascii():
        for ch in _PICTO_RE.findall(lower):
            if ch in _POSITIVE_EMOJI:
                emo_pos += 1
            elif ch in _NEGATIVE_EMOJI:
                emo_neg += 1
    # Any of `_EMOTICON_CHARS`, tested one by one in C (no loop over them per message).
    if (
        ":" in lower
        or ";" in lower
        or "=" in lower
        or "<3" in lower
        or "^" in lower
        or "xd" in lower
    ):
        for mo in _EMOTICON_RE.finditer(lower):
            if mo.lastgroup == "ne":
                emo_neg += 1
            else:
                emo_pos += 1
    # Bracket smileys, common in Russian: "спасибо)))" / "опять не работает((". A lone
    # unmatched "(" is usually a cut-off parenthesis, so frowns need "((" or a final "(".
    opened = lower.count("(")
    closed = lower.count(")")
    bracket = 0.0
    if closed > opened:
        bracket = BRACKET_SMILE if closed - opened < 3 else 2 * BRACKET_SMILE
    elif opened > closed and ("((" in lower or lower.rstrip().endswith("(")):
        emo_neg += 1 if opened - closed < 3 else 2
    return repeated, emo_pos, emo_neg, bracket


def caps_ratio(clean: str) -> float:
    """Share of upper-case letters among the letters of words of 3+ letters (0 if too short)."""
    if _CAPS4_RE.search(clean) is None:  # no run of four capitals: no shouting, skip the scan
        return 0.0
    words = _WORD3_RE.findall(clean)
    letters = sum(map(len, words))
    if letters < CAPS_MIN_LETTERS:
        return 0.0
    return len(_UPPER_RE.findall(" ".join(words))) / letters
