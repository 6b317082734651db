"""One phonetic key for a name word in either script: वर्मा, Verma and Varma all give ``vrm``.

The key is a consonant skeleton, so that the spellings people actually use for the same name meet:

1. Devanagari is read into Latin letters (Harvard-Kyoto, through ``indic_transliteration``) after
   dropping the nukta (ज़→ज, फ़→फ; ड़/ढ़ are read as r, as Latin spells them: राजगढ़, Rajgarh),
   anusvara and chandrabindu become m before a labial (शंभू Shambhu, संपत Sampat) and n elsewhere
   (सिंह, संजय, गाँधी); ॉ is read as o. Latin m and n are left as typed, so that a key of the
   beginning of a word is the beginning of the word's key (Uttam, Uttampal).
2. Latin spellings are folded: x→ks, q→k, z→j, w→v, ph→f, ow before a consonant → o
   (Chowdhury), the h of every aspirate goes (bh→b, chh→c,
   sh→s: शर्मा and सरमा meet, a price paid for recall), ng→n (Singh/सिंह); ज्ञ is read gy (ज्ञान/Gyan).
3. Every vowel after the first letter goes, y included (Pandey/पांडेय, Sheopur/श्योपुर,
   Chaudhary/चौधरी, Vijayvargiya/Vijayvargia), and then an h after a consonant (Burhanpur/
   बुरहानपुर, Mehta/मेहता): this folds vowel length (ि/ी, ु/ू), the schwa Hindi
   does not say (जबलपुर and Jabalpur), and the Latin letters that stand for it (Verma/Varma,
   Chaudhary/Chowdhury). A word that starts with a vowel keeps one ``a`` for it (Indore/इंदौर,
   Ishwar/Eshwar/ईश्वर). Doubled letters collapse (Dutt/दत्त, Dwivedi).

The fold is deliberately lossy (recall over precision): search ranks exact and prefix matches of
what was typed before phonetic ones, so a short skeleton costs order, not the person looked for.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

DEVANAGARI = "\u0900-\u097f"
_IS_DEVANAGARI = re.compile(f"[{DEVANAGARI}]")
_NUKTA = "\u093c"
# Before transliteration: ड़/ढ़ read as r; candra o (ॉ, ऑ) and candra e (ॅ, ऍ) as o and e.
_DEVANAGARI_FIRST = (
    ("\u0921" + _NUKTA, "\u0930"), ("\u0922" + _NUKTA, "\u0930"), (_NUKTA, ""),
    ("\u0949", "\u094b"), ("\u0911", "\u0913"), ("\u0945", "\u0947"), ("\u090d", "\u090f"),
)
# Harvard-Kyoto letters (case-sensitive) → plain Latin, applied before lower-casing.
_HK = (("jJ", "gy"), ("R", "ri"), ("z", "s"), ("S", "s"), ("G", "n"), ("J", "n"), ("H", ""))
# Anusvara and chandrabindu: m before a labial, as Latin spells it (शंभू Shambhu, संपत Sampat), else n.
_ANUSVARA = re.compile(r"[M~](?=[pbm])")
_ANUSVARA_N = re.compile(r"[M~]")
_FOLD = (("x", "ks"), ("q", "k"), ("z", "j"), ("ph", "f"), ("ck", "k"))
_OW = re.compile(r"ow(?![aeiouy])")
_ASPIRATE = re.compile(r"(?<=[bcdgjklmnprstvf])h+")
_VOWELS = re.compile(r"[aeiouy]+")
# Abbreviations whose two scripts are not spelled alike (Dr. Ashok / डॉ. अशोक).
_ABBREVIATIONS = {"dr": "\u0921\u0949"}
_DOUBLE = re.compile(r"(.)\1+")
_NOT_KEY = re.compile(r"[^a-z0-9]")


def is_devanagari(text: str) -> bool:
    return bool(_IS_DEVANAGARI.search(text or ""))


def latinize_devanagari(run: str) -> str:
    """A Devanagari word in plain lower-case Latin letters (before the phonetic fold)."""
    run = unicodedata.normalize("NFD", run)
    for old, new in _DEVANAGARI_FIRST:
        run = run.replace(old, new)
    from indic_transliteration import sanscript  # loads its ~90 schemes: only when a name is read

    text = sanscript.transliterate(run, sanscript.DEVANAGARI, sanscript.HK)
    text = _ANUSVARA_N.sub("n", _ANUSVARA.sub("m", text))
    for hk, latin in _HK:
        text = text.replace(hk, latin)
    return text.lower()


def plain_latin(run: str) -> str:
    """A Latin word lower-cased and without diacritics (ā → a)."""
    text = unicodedata.normalize("NFKD", run.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _fold(text: str) -> str:
    text = _OW.sub("o", text)
    for old, new in _FOLD:
        text = text.replace(old, new)
    text = text.replace("w", "v")
    text = _ASPIRATE.sub("", text)
    text = text.replace("ng", "n")
    return _NOT_KEY.sub("", text)


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """The phonetic key of one word (Devanagari or Latin); may be empty. Digits are kept.

    Cached: names repeat a lot and transliteration is the slow part.
    """
    if is_devanagari(word):
        text = latinize_devanagari(word)
    else:
        text = plain_latin(word)
        text = latinize_devanagari(_ABBREVIATIONS[text]) if text in _ABBREVIATIONS else text
    text = _fold(text)
    if not text:
        return ""
    head, rest = text[0], text[1:]
    if head in "aeiou":
        head = "a"
    # Without its vowels, an h after a consonant goes too: बुरहानपुर (burahanapura) and Burhanpur meet.
    return _DOUBLE.sub(r"\1", _ASPIRATE.sub("", head + _VOWELS.sub("", rest)))
