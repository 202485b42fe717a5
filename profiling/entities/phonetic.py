"""Script-neutral spellings of words, so that «дайсон» can meet "Dyson" and «с8» "S8".

`latin` writes a word in a rough phonetic Latin (Cyrillic transliterated, English spelling
quirks such as "ph", "ck", "x", "ea" simplified); `skeleton` keeps its consonants only, which
is what an index can look words up by: «дайсон» → "daison" → "dsn", "Dyson" → "dison" →
"dsn". A skeleton hit is only a candidate: `close` confirms it with an edit distance on the
phonetic forms, which keeps «сумма» ("sm") away from "Xiaomi" ("sm" too).

Model names ("V15", "WH-1000XM5", «с8») are compared exactly after `model_forms`, which
also accepts Cyrillic letters typed for the Latin ones that look alike («С8», «Х5»).
"""

from __future__ import annotations

from functools import lru_cache

_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ё": "e",
}  # fmt: skip
_CYR_TABLE = str.maketrans(_CYR_TO_LAT)
# Cyrillic letters that look like Latin ones, as typed in model names («С8» for "S8" is
# phonetic, «Х5» for "X5" is visual; both are tried).
_LOOKALIKE_TABLE = str.maketrans(
    {"а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
     "с": "c", "т": "t", "у": "y", "х": "x"}
)  # fmt: skip
# English spellings folded to how they sound; applied in order.
_LATIN_FOLDS = (
    ("sch", "sh"), ("ph", "f"), ("ck", "k"), ("qu", "kv"), ("q", "k"), ("x", "ks"),
    ("w", "v"), ("ee", "i"), ("ea", "i"), ("oo", "u"), ("y", "i"), ("j", "dzh"),
    ("c", "k"),
)  # fmt: skip
_VOWELS = frozenset("aeiou")


def has_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


@lru_cache(maxsize=8192)
def latin(word: str) -> str:
    """A lower-case word in phonetic Latin letters (see the module notes)."""
    if has_cyrillic(word):
        out = word.translate(_CYR_TABLE)
    else:
        out = word
        if out.startswith("xi"):  # Chinese brands: "Xiaomi" is said «сяоми»
            out = "s" + out[1:]
        for spelled, sound in _LATIN_FOLDS:
            if spelled in out:
                out = out.replace(spelled, sound)
    # Doubled letters are one sound («эппл», "roborrock").
    return "".join(ch for i, ch in enumerate(out) if i == 0 or ch != out[i - 1])


def skeleton(phonetic: str) -> str:
    """The consonants of a phonetic-Latin word (vowels carry the least information across
    scripts and inflection)."""
    return "".join(ch for ch in phonetic if ch not in _VOWELS)


def model_forms(token: str) -> tuple[str, ...]:
    """Spellings a model token can be compared by: itself without dashes, its phonetic
    transliteration and its look-alike transliteration («с8» → "s8" and "c8")."""
    plain = token.replace("-", "")
    if not has_cyrillic(plain):
        return (plain,)
    return (plain, plain.translate(_CYR_TABLE), plain.translate(_LOOKALIKE_TABLE))


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def close(a: str, b: str) -> bool:
    """Whether two phonetic-Latin words are spellings of one word: about a third of the
    letters may differ ("daison"/"dison", "aifon"/"ifone", "drime"/"drime")."""
    if a == b:
        return True
    limit = max(1, (max(len(a), len(b)) + 1) // 3)
    return edit_distance(a, b, limit) <= limit
