"""Text normalisation shared by alignment and diffing: what counts as "the same words"."""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

_QUOTES = str.maketrans(
    {
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
        "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
        "–": "-", "—": "-", "‑": "-", "−": "-",
        "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    }
)
WORD_RE = re.compile(r"\w+(?:[.,'’]\w+)*")
"""A word, keeping "600,000", "2.5" and "don't" whole."""


@lru_cache(maxsize=16384)
def normalise_text(text: str) -> str:
    """Text with case, quote style, dash style and spacing made uniform.

    Two texts that normalise to the same string differ only in ways a negotiator would not call
    a change of wording. Cached: every stage asks it of the same point texts, and in a chain of
    drafts most texts recur from one draft to the next.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    # str.split() splits at exactly the characters regex \s matches, and several times faster.
    return " ".join(folded.split())


def words(text: str) -> list[str]:
    """The normalised words of text, in order."""
    return WORD_RE.findall(normalise_text(text))


# Function words carry no provision's meaning; in a collection of a few dozen points their idf
# is too low to discount them, and "will be … all parties" would make unrelated points look alike.
STOPWORDS = frozenset(
    """
    a an the and or but nor of to in on at by for from with within without into onto upon as is are
    was were be been being will shall would should may might must can could do does did has have had
    this that these those it its their his her they them we our you your he she which who whom whose
    what when where while if then than so such not no any all each every other both either neither
    also only own same too very there here about after before over under between through during
    і й та а але або чи що як це цей ця ці той та ті до від на в у з із зі за по при для без про
    його її їх їхній він вона воно вони ми ви не ні є буде будуть має мають може можуть також
    и а но или что как это этот эта эти тот та те до от на в во с со за по при для без про
    его ее её их он она оно они мы вы не ни есть будет будут имеет имеют может могут также
    """.split()
)


@lru_cache(maxsize=16384)
def content_words(text: str) -> tuple[str, ...]:
    """Normalised words without function words and without the possessive "'s" (cached, as above).

    Each word is interned: a draft uses a few thousand words over and over, and a tuple of
    references to one copy of each is a seventh of the size of a tuple of copies (the 16,384
    texts the cache holds of a 15 MB draft: 72 MB as copies), and quicker to make. An interned
    word is freed with its last use, except on the Python 3.12 releases that keep interned strings
    for good: there a long batch keeps every distinct word it has read, a few MB.
    """
    words = [w.removesuffix("'s") for w in WORD_RE.findall(normalise_text(text))]
    return tuple([sys.intern(w) for w in words if w not in STOPWORDS])


def shorten(text: str, width: int = 70) -> str:
    """Text folded onto one line and cut to width characters with an ellipsis: for quoting in a note."""
    flat = " ".join(text.split())
    width = max(width, 2)
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
