"""Run plancmp's properties at scale: python bench/fuzz.py [--examples N] [--only NAME …]

The properties and the generators are those of tests/test_properties.py (the suite runs each at
about 60 examples); here each runs at 100,000 examples by default with hypothesis, seeded, in its
generate phase only. A failing example does not stop the run: it is counted, and the first
example of each kind of failure is printed, so one bug does not hide the next.

Word drafts are built here straight from the same items as XML (python-docx takes 40 ms a draft,
which would make 100,000 drafts an hour); the oracle is still docx_build.items_text.

Prints, per property: examples run, failures found, time.

Known failures (measured 2025-12 with `--only mirror --examples 20000`, seed 20251121):
    mirror   192 of 20,000 random pairs (0.96 %) read differently the other way round, every one of
             a known kind (tests.test_properties.KNOWN_ASYMMETRIES): a link found one way only 107
             (0.54 %, one of them with a sub-point moved too), a sub-point moved in or out leaving
             its parent modified one way only 41 (0.21 %), merge and split parts joined differently
             33 (0.17 %), a sub-point linked to another partner each way 12 (0.06 %). A second
             seed (777) gave 218 of 20,000 (1.09 %), in the same kinds. Since leftovers at the
             same place of a gap as long on both sides are linked (steps.fill_gap), the first
             seed gives 202 (1.01 %): a link found one way only 116, the other kinds as before
             (±1). The suite's mirror property lets these kinds pass and fails on any other; the
             reference kind (a reference to a point that was split) occurs only in its test (the
             generator writes no references). A sixth kind, a merge or split linked to one of
             its parts and another each way round, was named in 2026-12: the suite's own seeds
             met it twice in about 60 runs (two old points of near-identical words that one new
             point holds both of), where the fuzz seeds above never had.
Every other property: no failure at 1,500 examples each (20,000 for the three DOCX ones).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
import traceback
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from plancmp.compare import compare
from plancmp.model import Format
from tests.docx_build import MAIN_LIST, Item, numbering_xml, raw_docx
from tests.test_properties import (
    _ANY_WORDS,
    _NASTY,
    OPENERS,
    TYPED,
    VOCABULARY,
    Spec,
    check_docx_faithful,
    check_each_point_once,
    check_edits_rebuild,
    check_identical,
    check_markdown_faithful,
    check_mirror,
    check_reads_or_refuses,
    check_text_faithful,
    check_word_edits,
    docx_items,
    draft_pairs,
    mangled_docx,
    markdown_drafts,
    mutated_docx,
    real_docx_parts,
    render_text,
    revise,
    specs,
    text_draft,
)

# -- Word drafts without python-docx ---------------------------------------------------------------

_LISTS, _NUM_IDS = numbering_xml({"main": MAIN_LIST, "bullet": (("bullet", "•"), ("bullet", "◦"))}, {})
_STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
)
_REVISION = 'w:id="{id}" w:author="Drafter" w:date="2025-11-21T09:00:00Z"'


class _XmlDraft:
    """Items (docx_build's vocabulary, the subset tests.test_properties.docx_items draws) as XML."""

    def __init__(self) -> None:
        self.revision = 0

    def _mark(self, kind: str) -> str:
        self.revision += 1
        return f"<w:{kind} {_REVISION.format(id=self.revision)}/>"

    def _runs(self, text: str) -> str:
        # The markup {+…+} and {-…-} as docx_build reads it; visible_text gives the words between.
        out = []
        pos = 0
        for start, end, kind in _marked(text):
            if start > pos:
                out.append(_run(text[pos:start]))
            inner = text[start + 2:end - 2]
            self.revision += 1
            attrs = _REVISION.format(id=self.revision)
            out.append(f"<w:{kind} {attrs}>{_run(inner, deleted=kind == 'del')}</w:{kind}>")
            pos = end
        if pos < len(text):
            out.append(_run(text[pos:]))
        return "".join(out)

    def paragraph(self, text: str, props: str = "", mark: str | None = None) -> str:
        """One w:p, its mark tracked as inserted or deleted if asked."""
        mark_xml = f"<w:rPr>{self._mark(mark)}</w:rPr>" if mark else ""
        ppr = f"<w:pPr>{props}{mark_xml}</w:pPr>" if props or mark_xml else ""
        return f"<w:p>{ppr}{self._runs(text)}</w:p>"

    def items(self, items: Sequence[Item]) -> str:
        """Body XML for items."""
        out = []
        for item in items:
            kind, args = item[0], [a for a in item[1:] if not isinstance(a, dict)]
            mark = item[-1].get("mark") if isinstance(item[-1], dict) else None
            if kind == "num":
                numbering = f'<w:numPr><w:ilvl w:val="{args[0]}"/><w:numId w:val="{_NUM_IDS["main"]}"/></w:numPr>'
                out.append(self.paragraph(args[1], numbering, mark))
            elif kind == "bullet":
                numbering = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{_NUM_IDS["bullet"]}"/></w:numPr>'
                out.append(self.paragraph(args[0], numbering, mark))
            elif kind == "heading":
                out.append(self.paragraph(args[0], '<w:pStyle w:val="Heading1"/>', mark))
            elif kind == "para":
                out.append(self.paragraph(args[0], "", mark))
            elif kind == "table":
                rows = "".join(
                    "<w:tr>" + "".join(f"<w:tc>{self.items(cell) or '<w:p/>'}</w:tc>" for cell in row) + "</w:tr>"
                    for row in args[0]
                )
                out.append(f"<w:tbl>{rows}</w:tbl>")
            else:
                raise ValueError(f"fuzz drafts do not make {kind!r} items")
        return "".join(out)


def _marked(text: str) -> list[tuple[int, int, str]]:
    import re

    return [
        (m.start(), m.end(), "ins" if m.group(0).startswith("{+") else "del")
        for m in re.finditer(r"\{\+.*?\+\}|\{-.*?-\}", text, re.DOTALL)
    ]


def _run(text: str, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r><{tag} xml:space="preserve">{escape(text)}</{tag}></w:r>'


def xml_docx(items: Sequence[Item]) -> bytes:
    """A .docx of items, written as XML directly (a hundred times faster than python-docx)."""
    body = _XmlDraft().items(items)
    inner_numbering = _LISTS.split(">", 1)[1].rsplit("<", 1)[0]
    return raw_docx(body, numbering=inner_numbering, styles=_STYLES)


# -- the same drafts from a seeded random.Random ------------------------------------------------------
# Hypothesis spends 10-30 ms drawing one draft pair (hundreds of small draws), more than the check
# costs; at 100,000 examples that is hours. These generators make drafts of the same shapes as the
# strategies of tests/test_properties.py from a plain seeded random.Random (the odds differ: a
# made-up word is 30 % here, half there); revisions go through the same tests.test_properties.revise.


@functools.cache
def _letterish() -> list[str]:
    """The characters tests.test_properties._LETTERISH draws from."""
    wanted = {"Lu", "Ll", "Lo", "Mn", "Nd", "So", "Pd", "Po"}
    return [
        ch for ch in map(chr, range(0x20, 0x110000))
        if unicodedata.category(ch) in wanted and ch not in "<>&[]{}*_`\\|#!"
    ]


@functools.cache
def _docx_chars() -> list[str]:
    """The characters tests.test_properties._DOCX_CHARS draws from."""
    return [
        ch for ch in map(chr, range(0x20, 0x110000))
        if unicodedata.category(ch)[0] in "LMNPS" or unicodedata.category(ch) == "Zs"
        if ch not in "{}[]|\t\n\r\ufffe\uffff"
    ]


def r_word(rng: random.Random, pool: Callable[[], list[str]] = _letterish) -> str:
    """A word: mostly from the vocabulary, sometimes made up."""
    if rng.random() < 0.7:
        return rng.choice(VOCABULARY)
    chars = pool()
    return "".join(rng.choice(chars) for _ in range(rng.randint(1, 7)))


def r_sentence(rng: random.Random, low: int = 1, high: int = 10) -> str:
    """Words joined by spaces."""
    return " ".join(r_word(rng) for _ in range(rng.randint(low, high)))


def r_provision(rng: random.Random) -> str:
    """An opener, words, a full stop."""
    return f"{rng.choice(OPENERS)} {r_sentence(rng, 0, 10)}".strip() + "."


def r_spec(rng: random.Random) -> Spec:
    """A point with up to three sub-points."""
    return Spec(r_provision(rng), tuple(r_provision(rng) for _ in range(rng.randint(0, 3))))


def r_specs(rng: random.Random, low: int = 1, high: int = 7) -> list[Spec]:
    """A draft's points."""
    return [r_spec(rng) for _ in range(rng.randint(low, high))]


@dataclass(frozen=True)
class _Rolled:
    """tests.test_properties.Picks from a seeded random.Random."""

    rng: random.Random

    def one_of(self, options: Sequence[str]) -> str:
        return self.rng.choice(options)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def boolean(self) -> bool:
        return self.rng.random() < 0.5

    def words(self, most: int) -> list[str]:
        return [r_word(self.rng) for _ in range(self.rng.randint(0, most))]

    def provisions(self, most: int) -> list[str]:
        return [r_provision(self.rng) for _ in range(self.rng.randint(0, most))]

    def specs(self, low: int, high: int) -> list[Spec]:
        return r_specs(self.rng, low, high)


def r_revised(rng: random.Random, old: list[Spec]) -> list[Spec]:
    """A new version of a draft: tests.test_properties.revise with seeded random picks."""
    return revise(old, _Rolled(rng))


def r_pair(rng: random.Random) -> tuple[list[Spec], list[Spec]]:
    """An old draft and a revision of it."""
    old = r_specs(rng)
    return old, r_revised(rng, old)


_PIECES = ("1. ", "2) ", "(a) ", "(iv) ", "Article 3. ", "§ 2 ", "12 a) ", "3.1 ", "- ", "* ", "---", "# ",
           "\n", "\n\n", "\r\n", "\r", " ", "\t", "   ", "\x0c", "\x0b", "\u2028", "\x85", "\ufeff")


def r_text(rng: random.Random) -> str:
    """Any text, with more label-like pieces and line breaks than uniform characters would have."""
    out = []
    for _ in range(rng.randint(0, 60)):
        roll = rng.random()
        if roll < 0.35:
            out.append(rng.choice(_PIECES))
        elif roll < 0.7:
            out.append(r_word(rng))
        else:
            code = rng.choice((rng.randrange(0x80), rng.randrange(0x800), rng.randrange(0x110000)))
            out.append(chr(code) if not 0xD800 <= code < 0xE000 else "\ufffd")
    return "".join(out)


def r_bytes(rng: random.Random) -> bytes:
    """Bytes: random, or a draft in some encoding with a few bytes changed."""
    if rng.random() < 0.3:
        return rng.randbytes(rng.randint(0, 4096))
    text = render_text(r_specs(rng)) if rng.random() < 0.5 else r_text(rng)
    encoding = rng.choice(("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "cp1252"))
    data = bytearray(text.encode(encoding, "replace"))
    for _ in range(rng.randint(0, 4)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


_INLINE_FORMS = ("{}", "{}", "{}", "*{}*", "**{}**", "`{}`", "[{}](https://example.org/1)", "![{}](pic.png)",
                 "<b>{}</b>")


def r_inline(rng: random.Random, lines: bool = True) -> str:
    """A run of inline Markdown."""
    parts = []
    for _ in range(rng.randint(1, 8)):
        roll = rng.random()
        if roll < 0.05:
            parts.append(rng.choice(("<sup>[1]</sup>", "&amp;", "\\*")))
        else:
            parts.append(rng.choice(_INLINE_FORMS).format(r_word(rng)))
    text = rng.choice(OPENERS) + " " + " ".join(parts)
    if lines and len(parts) > 2 and rng.random() < 0.5:
        cut = rng.randint(1, len(text) - 1)
        while cut < len(text) and text[cut] != " ":
            cut += 1
        text = text[:cut] + rng.choice(("\n", "  \n", "\\\n")) + text[cut:].lstrip()
    return text


def r_md_list(rng: random.Random, depth: int = 0) -> list[str]:
    """A Markdown list, nested up to three deep."""
    ordered = rng.random() < 0.5
    start = rng.randint(1, 12) if ordered else 0
    loose = rng.random() < 0.5
    out: list[str] = []
    for k in range(rng.randint(1, 4)):
        marker = f"{start + k}{rng.choice('.)')} " if ordered else rng.choice("-*+") + " "
        typed = "" if ordered else rng.choice(TYPED)
        out.append(marker + typed + r_inline(rng, lines=False))
        if depth < 3 and rng.randint(0, 3) == 0:
            out.extend(" " * len(marker) + line if line else "" for line in r_md_list(rng, depth + 1))
        if loose:
            out.append("")
    return out


def r_markdown(rng: random.Random) -> str:
    """A Markdown draft from the grammar of tests.test_properties.markdown_drafts."""
    blocks = []
    for _ in range(rng.randint(1, 8)):
        kind = rng.choice(("heading", "list", "list", "para", "para", "code", "quote", "table", "html", "rule"))
        if kind == "heading":
            blocks.append([f"{'#' * rng.randint(1, 3)} {rng.choice(TYPED)}{r_inline(rng, lines=False)}"])
        elif kind == "list":
            blocks.append(r_md_list(rng))
        elif kind == "para":
            blocks.append([rng.choice(TYPED) + r_inline(rng)])
        elif kind == "code":
            blocks.append(["```", r_sentence(rng), "```"])
        elif kind == "quote":
            blocks.append(["> " + rng.choice(TYPED) + r_inline(rng, lines=False)])
        elif kind == "table":
            blocks.append([f"| {r_sentence(rng, 1, 3)} | {r_sentence(rng, 1, 3)} |", "| --- | --- |",
                           f"| {r_sentence(rng, 1, 3)} | {r_sentence(rng, 1, 3)} |"])
        elif kind == "html":
            blocks.append([f"<div>\n<p>{rng.choice(TYPED)}{r_sentence(rng)}</p>\n</div>"])
        else:
            blocks.append(["---"])
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def r_docx_text(rng: random.Random) -> str:
    """Paragraph text with tracked insertions and deletions."""
    words = []
    for _ in range(rng.randint(1, 8)):
        word = r_word(rng, _docx_chars)
        mark = rng.choice(("", "", "", "ins", "del"))
        words.append(f"{{+{word}+}}" if mark == "ins" else f"{{-{word}-}}" if mark == "del" else word)
    return " ".join(words)


def r_docx_items(rng: random.Random, depth: int = 0) -> list[Item]:
    """Word paragraphs as tests.test_properties.docx_items draws them."""
    items: list[Item] = []
    for _ in range(rng.randint(1, 8 if depth == 0 else 3)):
        kind = rng.choice(("num", "num", "para", "para", "heading", "bullet", "table"))
        text = r_docx_text(rng)
        opts = [{"mark": rng.choice(("ins", "del"))}] if rng.randint(0, 9) == 0 else []
        if kind == "num":
            items.append(("num", rng.randint(0, 2), text, *opts))
        elif kind == "para":
            items.append(("para", rng.choice(TYPED) + text, *opts))
        elif kind == "heading":
            items.append(("heading", text))
        elif kind == "bullet":
            items.append(("bullet", text, *opts))
        elif depth < 1:
            items.append(("table", [[r_docx_items(rng, depth + 1) for _ in range(2)] for _ in range(rng.randint(1, 2))]))
    return items


def r_mangled_docx(rng: random.Random) -> bytes:
    """A real Word draft with bytes set, cut or inserted, in the zip or in one XML part."""
    parts = dict(real_docx_parts())
    edits = [
        (rng.random(), rng.choice(("set", "cut", "insert")),
         rng.randbytes(rng.randint(1, 6)) if rng.random() < 0.5 else rng.choice(_NASTY))
        for _ in range(rng.randint(1, 6))
    ]
    return mangled_docx(parts, rng.choice(("zip", *sorted(parts))), edits)


# -- the properties ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Property:
    """One property: a name to print, what to draw (hypothesis, or seeded random), what must hold."""

    name: str
    strategy: st.SearchStrategy[Any]
    generate: Callable[[random.Random], Any]
    check: Callable[[Any], None]
    engine: str = "random"
    """Which generator the default run uses: "hypothesis" where it keeps up, else "random"."""


def _compared(pair: tuple[Any, Any]) -> None:
    comparison = compare(text_draft(pair[0], "old.txt"), text_draft(pair[1], "new.txt"))
    check_edits_rebuild(comparison)
    check_each_point_once(comparison)


def _mirrored(pair: tuple[Any, Any]) -> None:
    check_mirror(text_draft(pair[0], "a.txt"), text_draft(pair[1], "b.txt"))


PROPERTIES = [
    Property("read-text-bytes", st.binary(max_size=4096), r_bytes,
             lambda d: check_reads_or_refuses(d, Format.TEXT), "hypothesis"),
    Property("read-markdown-bytes", st.binary(max_size=4096), r_bytes,
             lambda d: check_reads_or_refuses(d, Format.MARKDOWN), "hypothesis"),
    Property(
        "read-docx-bytes",
        st.one_of(st.binary(max_size=4096), st.binary(max_size=600).map(lambda b: b"PK\x03\x04" + b)),
        lambda rng: rng.randbytes(rng.randint(0, 4096)) if rng.random() < 0.5 else b"PK\x03\x04" + rng.randbytes(600),
        lambda d: check_reads_or_refuses(d, Format.DOCX),
        "hypothesis",
    ),
    Property("read-docx-mangled", mutated_docx(), r_mangled_docx, lambda d: check_reads_or_refuses(d, Format.DOCX)),
    Property("faithful-text-any", st.text(max_size=2000), r_text, check_text_faithful, "hypothesis"),
    Property("faithful-text-draft", specs(1, 8).map(render_text), lambda rng: render_text(r_specs(rng, 1, 8)),
             check_text_faithful),
    Property("faithful-markdown", markdown_drafts(), r_markdown, check_markdown_faithful),
    Property("faithful-docx", docx_items(), r_docx_items, lambda items: check_docx_faithful(items, xml_docx)),
    Property(
        "word-edits-strings",
        st.one_of(st.tuples(st.text(), st.text()), st.tuples(_ANY_WORDS, _ANY_WORDS)),
        lambda rng: (r_text(rng), r_text(rng)) if rng.random() < 0.5 else (r_sentence(rng, 0, 12), r_sentence(rng, 0, 12)),
        lambda pair: check_word_edits(*pair),
    ),
    Property("word-edits-groups", draft_pairs(), r_pair, _compared),
    Property("mirror", draft_pairs(), r_pair, _mirrored),
    Property("identical", specs(1, 7).map(render_text), lambda rng: render_text(r_specs(rng)),
             lambda text: check_identical(text_draft_from(text))),
]
"""Every property bench/fuzz.py runs, by name."""


def text_draft_from(text: str) -> Any:
    """A rendered plain-text draft, read."""
    from plancmp.parse.from_text import read_text

    return read_text(text, "draft.txt")


@dataclass
class Outcome:
    """What one property's run found."""

    name: str
    engine: str
    examples: int = 0
    failures: int = 0
    seconds: float = 0.0
    kinds: Counter[str] = field(default_factory=Counter)
    first: dict[str, str] = field(default_factory=dict)


def _record(outcome: Outcome, prop: Property, example: Any) -> None:
    outcome.examples += 1
    try:
        prop.check(example)
    except Exception as exc:  # noqa: BLE001 - a failure of the property, of whatever kind
        outcome.failures += 1
        kind = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:200]
        outcome.kinds[kind] += 1
        if kind not in outcome.first:
            detail = "" if isinstance(exc, AssertionError) else traceback.format_exc(limit=4)
            outcome.first[kind] = f"{example!r}"[:2000] + ("\n" + detail if detail else "")


def run(prop: Property, examples: int, seed_value: int, engine: str | None = None) -> Outcome:
    """Run one property over `examples` drawn examples; failures are counted, not raised."""
    outcome = Outcome(prop.name, engine=engine or prop.engine)
    start = time.perf_counter()
    if outcome.engine == "random":
        rng = random.Random(f"{seed_value}:{prop.name}")
        for _ in range(examples):
            _record(outcome, prop, prop.generate(rng))
        outcome.seconds = time.perf_counter() - start
        return outcome

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(seed_value)
    @given(prop.strategy)
    def body(example: Any) -> None:
        _record(outcome, prop, example)

    body()
    outcome.seconds = time.perf_counter() - start
    return outcome


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, run the properties, print what each found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100_000, help="examples per property (default 100000)")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these properties")
    parser.add_argument("--seed", type=int, default=20251121, help="hypothesis seed (default 20251121)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--engine", choices=("hypothesis", "random"),
                        help="generator for every property (default: hypothesis where it keeps up, else random)")
    parser.add_argument("--list", action="store_true", help="list the properties and exit")
    args = parser.parse_args(argv)
    if args.list:
        for prop in PROPERTIES:
            print(prop.name)
        return 0
    chosen = [p for p in PROPERTIES if not args.only or p.name in args.only]
    unknown = set(args.only or ()) - {p.name for p in PROPERTIES}
    if unknown:
        parser.error(f"unknown properties: {', '.join(sorted(unknown))}")
    outcomes = []
    print(f"{'property':<22} {'engine':<10} {'examples':>9} {'failures':>9} {'seconds':>9}", flush=True)
    for prop in chosen:
        outcome = run(prop, args.examples, args.seed, args.engine)
        outcomes.append(outcome)
        print(f"{outcome.name:<22} {outcome.engine:<10} {outcome.examples:>9} {outcome.failures:>9} "
              f"{outcome.seconds:>9.1f}", flush=True)
        for kind, count in outcome.kinds.most_common():
            print(f"    {count} × {kind}\n      first: {outcome.first[kind]}", flush=True)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [
                    {"property": o.name, "engine": o.engine, "examples": o.examples, "failures": o.failures,
                     "seconds": round(o.seconds, 1), "kinds": dict(o.kinds), "first": o.first}
                    for o in outcomes
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 1 if any(o.failures for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
