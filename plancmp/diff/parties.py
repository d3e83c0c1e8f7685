"""The parties a text names, by their names, adjectives and possessives, in English, Ukrainian and Russian.

"The Ukrainian Armed Forces" and "Ukraine's military" both name Ukraine; "the Russian side",
"Росії" and "российские войска" all name Russia. The parties of a positions file are recognised
as well, by name and (in capitals) by code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from plancmp.diff.edits import Hunk
from plancmp.model import Change, ChangeKind, Party

# Adjective endings, so that one stem names a party in every case and gender.
_UK_ADJ = "ий а е і ого ої ому ій им ими их у ою ім".split()
_RU_ADJ = "ий ая ое ие ые ого ой ому ым ыми их ую ом".split()


def _adjectives(uk_stem: str, ru_stem: str) -> tuple[str, ...]:
    return (*(uk_stem + e for e in _UK_ADJ), *(ru_stem + e for e in _RU_ADJ))


PARTIES: dict[str, tuple[str, ...]] = {
    "Russia": (
        "russia", "russian", "russians", "russian federation", "moscow",
        "росія", "росії", "росію", "росією", "москва", "москви", "москві", "москву", "москвою",
        "россия", "россии", "россию", "россией", "москвы", "москве", "москвой",
        *_adjectives("російськ", "российск"),
    ),
    "Ukraine": (
        "ukraine", "ukrainian", "ukrainians", "kyiv", "kiev",
        "україна", "україни", "україні", "україну", "україною", "київ", "києва", "києву", "києві", "києвом",
        "украина", "украины", "украине", "украину", "украиной", "киев", "киева", "киеву", "киеве", "киевом",
        *_adjectives("українськ", "украинск"),
    ),
    "United States": (
        "united states", "us", "u.s.", "usa", "washington", "america", "american", "americans",
        "сша", "штати", "америка", "америки", "америці", "америку", "америкою", "америке", "америкой",
        *_adjectives("американськ", "американск"),
    ),
    "Europe": (
        "europe", "european union", "eu", "european", "europeans",
        "європа", "європи", "європі", "європу", "європою", "євросоюз", "євросоюзу", "євросоюзі", "євросоюзом", "єс",
        "европа", "европы", "европе", "европу", "европой", "евросоюз", "евросоюза", "евросоюзу", "евросоюзе",
        "евросоюзом", "ес",
        *_adjectives("європейськ", "европейск"),
    ),
    "NATO": ("nato", "north atlantic", "нато"),
    "United Kingdom": (
        "united kingdom", "uk", "britain", "british", "велика британія", "великої британії", "великій британії",
        "велику британію", "великобританія", "великобританії", "великобританию", "великобритания",
        "великобритании", "великобританией", *_adjectives("британськ", "британск"),
    ),
    "France": (
        "france", "french", "франція", "франції", "францію", "францією", "франция", "франции", "францию",
        "францией", *_adjectives("французьк", "французск"),
    ),
    "Germany": (
        "germany", "german", "germans", "німеччина", "німеччини", "німеччині", "німеччину", "німеччиною",
        "германия", "германии", "германию", "германией", *_adjectives("німецьк", "немецк"),
    ),
    "Poland": (
        "poland", "polish", "польща", "польщі", "польщу", "польщею", "польша", "польши", "польше", "польшу",
        "польшей", *_adjectives("польськ", "польск"),
    ),
    "China": (
        "china", "chinese", "китай", "китаю", "китаї", "китаєм", "китая", "китае", "китаем",
        *_adjectives("китайськ", "китайск"),
    ),
    "Turkey": (
        "turkey", "türkiye", "turkish", "туреччина", "туреччини", "туреччині", "туреччину", "туреччиною",
        "турция", "турции", "турцию", "турцией", *_adjectives("турецьк", "турецк"),
    ),
    "United Nations": ("united nations", "un", "оон"),
    "IAEA": ("iaea", "магате"),
    "World Bank": ("world bank", "світовий банк", "світового банку", "всемирный банк", "всемирного банка"),
}
"""Every party plancmp knows without a positions file, with the words that name it."""

_WORDS = re.compile(r"\w+")
_CAPITALS_ONLY = frozenset({"us", "un", "eu", "uk", "єс", "ес"})
"""Short names that are other words in lower case ("us" the pronoun)."""


def _last_word(text: str) -> str:
    """The last word of text (its last match of _WORDS), "" if none: read from the end."""
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    start = end
    while start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start -= 1
    return text[start:end]


class PartyNames:
    """Party names by their words, looked up by first word: a text is split into words once and
    scanned with dictionary lookups, not one regex per alias."""

    def __init__(self, parties: Mapping[str, Iterable[str]], capitals_only: Iterable[str] = _CAPITALS_ONLY) -> None:
        self._first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self.by_words: dict[tuple[str, ...], str] = {}
        """Each name as its case-folded words → the party it names."""
        for name, aliases in parties.items():
            for alias in aliases:
                words = tuple(w.casefold() for w in _WORDS.findall(alias))
                if words:
                    self._first.setdefault(words[0], []).append((words, name))
                    self.by_words.setdefault(words, name)
        for entries in self._first.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._capitals_only = frozenset(capitals_only)
        self.vocabulary = frozenset(w for entries in self._first.values() for words, _ in entries for w in words)
        """Every word of every name, case-folded."""

    def named(self, text: str) -> set[str]:
        """The parties a text names, by their canonical names."""
        raw = _WORDS.findall(text)
        folded = [w.casefold() for w in raw]
        found = set()
        for i, word in enumerate(folded):
            for words, name in self._first.get(word, ()):
                if tuple(folded[i:i + len(words)]) != words:
                    continue
                # "US" the country is upper case; "us" the pronoun is not.
                if len(words) == 1 and word in self._capitals_only and not raw[i].isupper():
                    continue
                found.add(name)
                break
        return found

    def near(self, changed: Sequence[Hunk]) -> bool:
        """Whether any change could name or unname a party: a word of a name inside it, or just
        beside it (a name of several words that forms or breaks across a change has a word on
        one side of it)."""
        # The hunks' own words read in one pass (joined at a line break, which no word crosses),
        # then the words just beside each hunk.
        inside = _WORDS.findall("\n".join(text for h in changed for text in (h.old, h.new)))
        if not self.vocabulary.isdisjoint(map(str.casefold, inside)):
            return True
        beside = [_last_word(h.before[-80:]) for h in changed]
        beside += [first.group(0) for h in changed if (first := _WORDS.search(h.after, 0, 80))]
        return not self.vocabulary.isdisjoint(map(str.casefold, beside))

    def changes(self, old: str, new: str) -> list[Change]:
        """Parties named in one text and not the other."""
        before, after = self.named(old), self.named(new)
        out = [Change(ChangeKind.PARTY, p, "", f"party no longer named: {p}") for p in sorted(before - after)]
        out.extend(Change(ChangeKind.PARTY, "", p, f"party now named: {p}") for p in sorted(after - before))
        return out


KNOWN_PARTIES = PartyNames(PARTIES)
"""The parties plancmp knows without a positions file."""


@lru_cache(maxsize=32)
def party_names(parties: tuple[Party, ...]) -> PartyNames:
    """The known parties, and those of a positions file that are not among them (by name, and by
    code when written in capitals)."""
    if not parties:
        return KNOWN_PARTIES
    table: dict[str, list[str]] = {name: list(aliases) for name, aliases in PARTIES.items()}
    capitals = set(_CAPITALS_ONLY)
    for party in parties:
        # "Europe (UK, France, Germany)" is Europe.
        plain = re.sub(r"\s*\(.*?\)\s*", " ", party.name).strip() or party.name
        words = tuple(w.casefold() for w in _WORDS.findall(plain) if w.casefold() != "the")
        name = KNOWN_PARTIES.by_words.get(words, plain)
        table.setdefault(name, []).append(plain)
        code = party.code.strip()
        if len(code) >= 2 and code.isalnum() and code.casefold() not in KNOWN_PARTIES.vocabulary:
            table[name].append(code)
            capitals.add(code.casefold())
    return PartyNames(table, capitals)


def parties_named(text: str, names: PartyNames = KNOWN_PARTIES) -> set[str]:
    """The parties a text names, by their canonical names."""
    return names.named(text)
