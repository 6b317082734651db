"""Suggestions of a name in the other script, as Hindi writes names (the user can correct them).

Latin → Devanagari works word by word in two layers:

1. a dictionary of common words of names in its usual Hindi spelling (``data/names.csv``:
   Verma → वर्मा, Chaudhary → चौधरी, Shrivastava → श्रीवास्तव, Khan → ख़ान);
2. rules for the other words, which read the Latin the way Hindi speakers write it: a Latin
   consonant cluster already lacks the schwa Hindi does not say, so it is joined (Saxena →
   सक्सेना, Gupta → गुप्ता) where Hindi joins it (doubled letters, r before or after a consonant,
   y after one, st, ks, pt …) and otherwise written as full letters (Katni → कतनी, Shivpuri →
   शिवपुरी); n before a consonant and m before a labial are an anusvara (Sanjay → संजय, Shambhu
   → शंभू; Omkar → ओमकार); an a written between vowel-consonant and consonant-vowel is long, as a
   schwa there would not be said (Hiralal → हिरालाल, Narmadapuram); a final a is long (Sunita →
   सुनिता) except after dr/tr (Narendra → नरेंद्र); a final i or u is long (Joshi → जोशी, Sahu →
   साहू); e before r and a consonant is the schwa (Verma → वर्मा); common last parts are written
   as Hindi writes them (…lal लाल, …pur पुर, …garh गढ़, …nagar नगर).

Devanagari → Latin also looks the word up in the dictionary (its first Latin spelling), else
transliterates it (IAST without diacritics) and drops the schwas Hindi does not say: the final one
(प्रमोद → Pramod) and a medial one between vowel-consonant and consonant-vowel, from the right
(जबलपुर → Jabalpur, not Jabalapur).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from importlib import resources

from tracker.directory.phonetic import is_devanagari

VIRAMA = "\u094d"
ANUSVARA = "\u0902"

# Latin letters → Devanagari consonants, longest first.
_CONSONANTS = (
    ("ksh", "क्ष"), ("chh", "छ"), ("sh", "श"), ("ch", "च"), ("kh", "ख"), ("gh", "घ"), ("jh", "झ"),
    ("th", "थ"), ("dh", "ध"), ("ph", "फ"), ("bh", "भ"), ("x", "क्स"), ("k", "क"), ("g", "ग"), ("c", "क"),
    ("j", "ज"), ("t", "त"), ("d", "द"), ("n", "न"), ("p", "प"), ("b", "ब"), ("m", "म"), ("y", "य"),
    ("r", "र"), ("l", "ल"), ("v", "व"), ("w", "व"), ("s", "स"), ("h", "ह"), ("f", "फ़"), ("z", "ज़"),
    ("q", "क़"), ("ɖ", "ढ़"), ("ʂ", "ष"), ("ʝ", "ज्ञ"),
)
# Common last parts of names, written as Hindi writes them (Hiralal → …लाल, Tikamgarh → …गढ़).
_SUFFIXES = (("lal", "लाल"), ("raj", "राज"), ("nath", "नाथ"), ("pal", "पाल"), ("pur", "पुर"), ("garh", "गढ़"), ("kant", "कांत"),
             ("nagar", "नगर"))
# Latin vowels → (independent letter, sign after a consonant), longest first; "" is the schwa.
_VOWELS = (
    ("aa", ("आ", "ा")), ("ee", ("ई", "ी")), ("ii", ("ई", "ी")), ("oo", ("ऊ", "ू")), ("ai", ("ऐ", "ै")),
    ("au", ("औ", "ौ")), ("ou", ("औ", "ौ")), ("a", ("अ", "")), ("i", ("इ", "ि")), ("u", ("उ", "ु")),
    ("e", ("ए", "े")), ("o", ("ओ", "ो")),
)
_LONG_FINAL = {"a": ("आ", "ा"), "i": ("ई", "ी"), "u": ("ऊ", "ू")}
_NASALS = {"n", "m"}
_NO_ANUSVARA_BEFORE = {"न", "म", "ह", "य", "र", "ल", "व"}
_LABIALS = {"प", "फ", "ब", "भ"}
_JOINED_AFTER = {"र", "य"}  # a consonant followed by these is joined (प्र, त्र, श्र, त्य)
_JOINED_PAIRS = {("स", "त"), ("स", "थ"), ("स", "क"), ("स", "प"), ("श", "व"), ("स", "व"), ("प", "त"), ("क", "त"),
                 ("श", "त"), ("न", "ह"), ("द", "ध"), ("ग", "ध"),
                 ("क्ष", "म")}
_JOINED_INITIAL = {"व"}  # and at the start of a word (द्विवेदी, स्वतंत्र, ग्वालियर)


@cache
def _dictionary() -> tuple[dict[str, str], dict[str, str]]:
    """(Latin word → Devanagari, Devanagari word → Latin) from data/names.csv."""
    to_hindi: dict[str, str] = {}
    to_latin: dict[str, str] = {}
    text = resources.files("tracker.directory").joinpath("data/names.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#")):
        devanagari = unicodedata.normalize("NFC", row["devanagari"])
        to_hindi[row["latin"]] = devanagari
        to_latin.setdefault(devanagari, row["latin"])
    return to_hindi, to_latin


def _tokens(word: str) -> list[tuple[str, str]]:
    """The word as ("c", consonant) and ("v", latin vowel) tokens."""
    tokens = []
    i = 0
    while i < len(word):
        for latin, hindi in _CONSONANTS:
            if word.startswith(latin, i):
                tokens.append(("c", hindi))
                break
        else:
            latin = next((v for v, _ in _VOWELS if word.startswith(v, i)), word[i])
            tokens.append(("v", latin))
        i += len(latin)
    return tokens


def _schwa_e(tokens: list[tuple[str, str]]) -> None:
    """e before r and a consonant is the schwa (Verma → वर्मा)."""
    for n in range(1, len(tokens) - 2):
        if tokens[n] == ("v", "e") and tokens[n + 1] == ("c", "र") and tokens[n + 2][0] == "c":
            tokens[n] = ("v", "a")


def _join(consonant: str, following: str, first: bool) -> str:
    """How a consonant is written before another one: with a virama, as an anusvara, or in full."""
    if consonant == following or consonant == "र" or following in _JOINED_AFTER and consonant != "य":
        return consonant + VIRAMA
    if (consonant, following) in _JOINED_PAIRS or first and following in _JOINED_INITIAL:
        return consonant + VIRAMA
    if consonant == "न" and following not in _NO_ANUSVARA_BEFORE or consonant == "म" and following in _LABIALS:
        return ANUSVARA  # m before another consonant is written in full: Omkar ओमकार, Ramshesh रामशेष
    return consonant


def _vowel(latin: str, after_consonant: bool, final: bool, tokens_before: list[tuple[str, str]]) -> str:
    letters = dict(_VOWELS).get(latin)
    if letters is None:
        return latin
    if final and latin in _LONG_FINAL and not (latin == "a" and _short_final_a(tokens_before)):
        letters = _LONG_FINAL[latin]
    return letters[1] if after_consonant else letters[0]


def _short_final_a(tokens_before: list[tuple[str, str]]) -> bool:
    """A final a stays the schwa after dr, tr (Narendra, Swatantra)."""
    return [hindi for _kind, hindi in tokens_before[-2:]] in (["द", "र"], ["त", "र"])


def _long_a(tokens: list[tuple[str, str]]) -> None:
    """An a written between vowel-consonant and consonant-vowel is long: a schwa there is not said, so it
    would not have been written (Hiralal, Narmadapuram → …दापुरम). Not before y (Vijaya)."""
    for n in range(2, len(tokens) - 2):
        around = [kind for kind, _ in tokens[n - 2:n + 3]]
        if tokens[n] == ("v", "a") and around == ["v", "c", "v", "c", "v"] and tokens[n + 1][1] != "य":
            tokens[n] = ("v", "aa")


_LATIN_FIRST = (
    (re.compile(r"ey$"), "e"),  # Chouksey → चौकसे
    (re.compile(r"(?<=o[rn])e$"), ""),  # the silent e of Kishore, Khargone
    (re.compile(r"(?<=[^aeiou])i(?=[ao])"), "iy"),  # Bhuria → भुरिया, Gwalior → ग्वलियोर
    (re.compile(r"rh(?![aeiou])"), "ɖ"),  # Rajgarh → राजगढ़
    (re.compile(r"(?<=r)sh"), "ʂ"),  # Harsh → हर्ष, Utkarsh
    (re.compile(r"x(?=m)"), "ksh"),  # Vijaylaxmi → …लक्ष्मी
    (re.compile(r"^gyan"), "ʝaan"),  # Gyanendra → ज्ञानेंद्र
    (re.compile(r"(?<=n)der$"), "dra"),  # Ravinder, Rajender → …ंद्र
)


def _latin_first(word: str) -> str:
    for pattern, replacement in _LATIN_FIRST:
        word = pattern.sub(replacement, word)
    return word


def _render(tokens: list[tuple[str, str]], end: int) -> str:
    """The first ``end`` tokens in Devanagari; the consonant before ``end`` in full (a compound's joint)."""
    out = []
    for n, (kind, value) in enumerate(tokens[:end]):
        following = tokens[n + 1] if n + 1 < end else None
        if kind == "v":
            after_consonant = n > 0 and tokens[n - 1][0] == "c"
            out.append(_vowel(value, after_consonant, n + 1 == len(tokens), tokens[:n]))
        elif following is not None and following[0] == "c":
            out.append(_join(value, following[1], n == 0))
        else:
            out.append(value)
    return "".join(out)


def _rules(word: str) -> str:
    """The word by the rules. A common last part (…lal, …pur) is written as Hindi writes it, and the
    joint before it in full (Uttampal → उत्तमपाल, not उत्तंपाल); the rest reads the whole word
    (Hiralal → हीरा…, Vishwanath → विश्व…)."""
    tokens = _tokens(_latin_first(word))
    _schwa_e(tokens)
    _long_a(tokens)
    for suffix, hindi in _SUFFIXES:
        if word.endswith(suffix) and len(word) >= len(suffix) + 3:
            return _render(tokens, len(tokens) - len(_tokens(_latin_first(suffix)))) + hindi
    return _render(tokens, len(tokens))


def to_devanagari(latin: str) -> str:
    """A suggestion in Devanagari for a name typed in Latin script."""
    words = []
    to_hindi, _ = _dictionary()
    for word in re.findall(r"[A-Za-z]+|[^A-Za-z\s]+", latin):
        lower = word.lower()
        words.append(to_hindi.get(lower) or (_rules(lower) if lower.isalpha() else word))
    return _spaced(latin, words)


def _spaced(original: str, words: list[str]) -> str:
    """The words joined as the original separated them (spaces kept, punctuation attached)."""
    pieces = re.findall(r"[A-Za-z\u0900-\u097f]+|[^A-Za-z\u0900-\u097f\s]+|\s+", original)
    result, index = [], 0
    for piece in pieces:
        if piece.isspace():
            result.append(" ")
        else:
            result.append(words[index] if index < len(words) else piece)
            index += 1
    return "".join(result).strip()


_IAST_TO_PLAIN = (("jñ", "gy"), ("ch", "\0"), ("c", "ch"), ("\0", "chh"), ("ś", "sh"), ("ṣ", "sh"), ("ṛ", "ri"), ("ñ", "n"),
                  ("ṅ", "n"))
# ड़ and ढ़ are written r and rh in Latin (बड़वानी Barwani, राजगढ़ Rajgarh); ॉ/ऑ read as o.
_DEVANAGARI_FIRST = (("ड़", "र"), ("ढ़", "र्ह"), ("\u0921\u093c", "र"), ("\u0922\u093c", "र्ह"),
                     ("\u0949", "\u094b"), ("\u0911", "\u0913"))
# v after a consonant at the start of a word or after s, d, n is written w (Gwalior, Vishwanath, Chhindwara, Tanwar).
_W = re.compile(r"(?<=^[b-df-hj-np-tv-z])v|(?<=^[b-df-hj-np-tv-z]h)v|(?<=[sdn])v")
_IAST_VOWELS = "aāiīuūṛeoṃ"  # ṃ closes a syllable as a vowel does (छिंदवाड़ा Chhindwara, खंडवा Khandwa)
# A final schwa is said after a cluster that ends in these (नरेंद्र Narendra, कृष्ण Krishna, आदित्य Aditya).
_SAID_AFTER_CLUSTER = "rṇnmyv"
_IAST_CONSONANT = re.compile(r"[^aāiīuūṛeoṃḥ~]")


def _final_cluster(word: str) -> bool:
    """The word ends in a consonant cluster (then a) whose last consonant keeps the final schwa said."""
    stem = re.sub(r"(?<=[kgcjṭḍtdpb])h", "", word[:-1])  # an aspirate is one consonant
    return len(stem) > 2 and stem[-1] in _SAID_AFTER_CLUSTER and bool(_IAST_CONSONANT.match(stem[-2]))


def _drop_schwas(word: str) -> str:
    """The schwas Hindi does not say, in an IAST word: the final one, then medial V C a C V ones from the right."""
    if len(word) > 2 and word.endswith("a") and _IAST_CONSONANT.match(word[-2]) and not _final_cluster(word):
        word = word[:-1]
    for n in range(len(word) - 3, 1, -1):
        if word[n] != "a" or not all(_IAST_CONSONANT.match(word[m]) for m in (n - 1, n + 1)):
            continue
        if word[n - 2] in _IAST_VOWELS and word[n + 2] in _IAST_VOWELS and word[n + 1] != "y":
            word = word[:n] + word[n + 1:]
    return word


def _latin_word(word: str) -> str:
    _, to_latin_words = _dictionary()
    if word in to_latin_words:
        return to_latin_words[word].capitalize()
    for suffix, hindi in _SUFFIXES:
        if word.endswith(hindi) and len(word) > len(hindi) + 1:  # अशोकनगर Ashoknagar, not Ashokangar
            return _latin_word(word[:-len(hindi)]) + suffix
    text = word
    for old, new in _DEVANAGARI_FIRST:
        text = text.replace(old, new)
    from indic_transliteration import sanscript  # loads its ~90 schemes: only when a name is read

    iast = unicodedata.normalize("NFC", sanscript.transliterate(text, sanscript.DEVANAGARI, sanscript.IAST))
    iast = _drop_schwas(iast)
    iast = re.sub("ṃ(?=[pbm])", "m", iast).replace("ṃ", "n").replace("m̐", "n")
    for old, new in _IAST_TO_PLAIN:
        iast = iast.replace(old, new)
    plain = "".join(ch for ch in unicodedata.normalize("NFD", iast) if not unicodedata.combining(ch))
    plain = _W.sub("w", plain)  # ग्वालियर Gwalior, विश्वनाथ Vishwanath
    return plain[:1].upper() + plain[1:]


def to_latin(devanagari: str) -> str:
    """A suggestion in Latin script for a name typed in Devanagari."""
    nfc = unicodedata.normalize("NFC", devanagari)
    words = re.findall(r"[\u0900-\u097f]+|[^\u0900-\u097f\s]+", nfc)
    return _spaced(nfc, [_latin_word(w) if is_devanagari(w) else w for w in words])


def suggest_other_script(text: str) -> str:
    """Transliterate a name into the other script."""
    text = (text or "").strip()
    if not text:
        return ""
    return to_latin(text) if is_devanagari(text) else to_devanagari(text)
