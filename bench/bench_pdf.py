"""PDF reading benchmark: drafts printed to PDF by LibreOffice in several layouts, read back.

    python bench/bench_pdf.py                 # bundled drafts + 4 synthetic pairs, every layout
    python bench/bench_pdf.py --pairs 10      # more synthetic pairs
    python bench/bench_pdf.py --real DIR      # also read the public PDFs in DIR (bench/PDF_SOURCES.md)
    python bench/bench_pdf.py --write-tests tests/pdf   # rebuild the small PDFs the tests read

Sources: the bundled Word drafts (drafts/*.docx), the bundled plain-text drafts written as Word
files with typed labels (bench/pdf_make.typed_docx), and the synthetic benchmark's drafts written
with Word automatic numbering (bench/synth.py, as bench_align.py's hard-docx set). Each source is
laid out in every layout of bench/pdf_make.py and printed to PDF by LibreOffice.

Each PDF is read back and compared with the reading of the .docx it was printed from:

* points identical: points (and sub-points) with the same id and the same text, whitespace
  normalised, over every id either reading has;
* characters accounted for: the non-blank characters of the PDF's text layer that the reading
  holds (labels, point texts, outside text with page furniture and footnotes) or reports as
  consumed (joined hyphens, footnote reference marks), as a multiset — 100% means every character
  landed once;
* read time.

Three ways of getting the glyphs are measured, each feeding the same layout steps: pdfminer.six
through plancmp's own glyph device (what plancmp uses), pdfplumber's character dictionaries
(page.chars; pdfplumber is built on pdfminer.six), and pypdf (text operators with their start
point and font size, through pypdf's visitor; a glyph's width is estimated). Then a PDF of about
100 pages is timed (median of three reads; wall-clock and CPU time).

Targets: ≥ 99% of points identical on the generated set, 100% of characters accounted for, a
100-page PDF read in ≤ 5 s. Timings are of one run on a shared 2-core machine: noisy.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pdf_make import LAYOUTS, laid_out, soffice, to_pdf, typed_docx
from bench.synth import docx_available, generate_pair, write_pair
from plancmp.errors import PlancmpError
from plancmp.model import Document, point_texts
from plancmp.parse import (
    from_pdf,
    load_document,
)

Reader = Callable[[bytes, str], from_pdf.PdfReading]


# -- other libraries as the page source -------------------------------------------------------------


def _from_glyphs(pages: Sequence[tuple[float, list[from_pdf._Glyph], Counter[str]]], source: str) -> from_pdf.PdfReading:
    """The reader's layout steps over pages of glyphs another library found."""
    out = []
    for number, (height, glyphs, chars) in enumerate(pages, 1):
        lines = from_pdf._page_lines(from_pdf._runs(glyphs), number)
        out.append(from_pdf._Page(number, height, lines, [], [], chars))
    return from_pdf._layout(out, [], source)


def read_with_pdfplumber(data: bytes, source: str) -> from_pdf.PdfReading:
    """The reader's layout steps fed from pdfplumber's character dictionaries (page.chars)."""
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            chars: Counter[str] = Counter()
            glyphs = []
            for c in page.chars:
                chars.update(ch for ch in c["text"] if not ch.isspace())
                if c["upright"]:
                    bold = bool(from_pdf._BOLD.search(c["fontname"] or ""))
                    glyphs.append(from_pdf._Glyph(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"], bold))
            pages.append((float(page.height), glyphs, chars))
            page.close()
    return _from_glyphs(pages, source)


def read_with_pypdf(data: bytes, source: str) -> from_pdf.PdfReading:
    """The reader's layout steps fed from pypdf: one glyph per text operator, its width estimated."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        height = float(page.mediabox.top)
        glyphs: list[from_pdf._Glyph] = []
        chars: Counter[str] = Counter()

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
            text = text.replace("\n", "")
            if not text:
                return
            scale = tm[0] * cm[0] + tm[1] * cm[2]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            real = abs(size * scale) or size
            chars.update(ch for ch in text if not ch.isspace())
            # pypdf reports no glyph widths: half an em a character is the usual average.
            base = font.get("/BaseFont", "") if hasattr(font, "get") else ""
            bold = bool(from_pdf._BOLD.search(str(base)))
            glyphs.append(from_pdf._Glyph(text, x, x + 0.5 * real * len(text), height - y - real, height - y + 0.2 * real, real, bold))

        page.extract_text(visitor_text=visit)
        pages.append((height, glyphs, chars))
    return _from_glyphs(pages, source)


READERS: dict[str, Reader] = {
    "pdfminer.six": from_pdf.read_pdf_reading,
    "pdfplumber": read_with_pdfplumber,
    "pypdf": read_with_pypdf,
}
"""pdfminer.six through plancmp's own glyph device (what plancmp uses), and the two alternatives."""


# -- scoring -----------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Score:
    """Totals over a set of PDFs."""

    pdfs: int = 0
    points: int = 0
    identical: int = 0
    chars: int = 0
    accounted: int = 0
    seconds: float = 0.0
    pages: int = 0
    failures: list[str] = field(default_factory=list)
    causes: Counter[str] = field(default_factory=Counter)

    def add(self, other: Score) -> None:
        """Add another score's totals to this one."""
        self.pdfs += other.pdfs
        self.points += other.points
        self.identical += other.identical
        self.chars += other.chars
        self.accounted += other.accounted
        self.seconds += other.seconds
        self.pages += other.pages
        self.failures += other.failures
        self.causes += other.causes


def _difference(old: str | None, new: str | None) -> str:
    """Where a point's two readings first differ, with a little context."""
    if old is None or new is None:
        return f"only in the {'PDF' if old is None else 'docx'} reading: {(old or new or '')[:70]!r}"
    k = next((n for n, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    return f"docx …{old[max(0, k - 25):k + 25]!r}… / pdf …{new[max(0, k - 25):k + 25]!r}…"


def _cause(old: str | None, new: str | None) -> str:
    """Why a point reads differently: a hyphen kept at a line break (the issue's rule keeps the
    hyphen of a word that occurs nowhere else whole), or something else."""
    if old is not None and new is not None and new.replace("-", "") == old.replace("-", ""):
        return "kept hyphen"
    return "other"


def score(reference: Document, reading: from_pdf.PdfReading, seconds: float, name: str) -> Score:
    """How closely a PDF's reading matches the reading of the .docx it was printed from."""
    ref = {p.id: _norm(p.text) for p in reference.walk()}
    got = {p.id: _norm(p.text) for p in reading.document.walk()}
    ids = set(ref) | set(got)
    same = sum(1 for i in ids if i in ref and i in got and ref[i] == got[i])
    held: Counter[str] = Counter()
    for text in point_texts(reading.document):
        held.update(ch for ch in text if not ch.isspace())
    held += reading.consumed
    total = sum(reading.chars.values())
    # Characters read once each: as many as the text layer has, never more.
    accounted = sum(min(n, held[ch]) for ch, n in reading.chars.items()) - sum((held - reading.chars).values())
    out = Score(1, len(ids), same, total, accounted, seconds, reading.pages)
    for i in sorted(ids - {i for i in ids if i in ref and i in got and ref[i] == got[i]}):
        out.failures.append(f"{name}: point {i}: {_difference(ref.get(i), got.get(i))}")
        out.causes[_cause(ref.get(i), got.get(i))] += 1
    if accounted != total:
        out.failures.append(
            f"{name}: characters: missing {(reading.chars - held).most_common(5)}, extra {(held - reading.chars).most_common(5)}"
        )
    return out


# -- the generated set -----------------------------------------------------------------------------


def sources(pairs: int) -> list[tuple[str, bytes]]:
    """(name, .docx bytes) of every source draft."""
    out: list[tuple[str, bytes]] = []
    for path in sorted((ROOT / "drafts").glob("*.docx")):
        out.append((path.stem, path.read_bytes()))
    for path in sorted((ROOT / "drafts").glob("*.txt")):
        out.append((f"{path.stem}-typed", typed_docx(load_document(path))))
    if docx_available():
        from bench.bench_align import pair_size

        for seed in range(1, pairs + 1):
            pair = generate_pair(seed, pair_size(seed), "en", "hard")
            with tempfile.TemporaryDirectory() as tmp:
                old, new = write_pair(pair, tmp, "docx")
                out.append((f"synth{seed}-old", old.read_bytes()))
                out.append((f"synth{seed}-new", new.read_bytes()))
    return out


def build(srcs: Sequence[tuple[str, bytes]], layouts: Sequence[str], folder: Path) -> list[tuple[str, str, Path, Path]]:
    """Lay out and print every source in every layout: (source, layout, .docx, .pdf)."""
    docs: list[tuple[str, str, Path]] = []
    for name, data in srcs:
        for layout in layouts:
            path = folder / f"{name}--{layout}.docx"
            path.write_bytes(laid_out(data, layout))
            docs.append((name, layout, path))
    # One LibreOffice run per 40 files: each start costs seconds, one huge run risks the timeout.
    pdfs: list[Path] = []
    for k in range(0, len(docs), 40):
        pdfs += to_pdf([d for _, _, d in docs[k : k + 40]], folder)
    return [(n, lay, d, p) for (n, lay, d), p in zip(docs, pdfs)]


def run_generated(pairs: int, folder: Path, readers: Sequence[str], show: int) -> dict[tuple[str, str], Score]:
    """Score every reader on every layout of the generated set; print the table."""
    srcs = sources(pairs)
    print(f"sources: {len(srcs)} drafts ({', '.join(n for n, _ in srcs[:6])}, …); layouts: {', '.join(LAYOUTS)}")
    start = time.perf_counter()
    built = build(srcs, LAYOUTS, folder)
    print(f"printed {len(built)} PDFs with LibreOffice in {time.perf_counter() - start:.0f} s")
    scores: dict[tuple[str, str], Score] = {}
    for name, layout, docx_path, pdf_path in built:
        reference = load_document(docx_path)
        data = pdf_path.read_bytes()
        for reader in readers:
            t0 = time.perf_counter()
            try:
                reading = READERS[reader](data, str(pdf_path))
            except PlancmpError as exc:
                s = Score(1, len(list(reference.walk())), 0, 0, 0, 0.0, 0, [f"{name}/{layout}: {exc}"])
            else:
                s = score(reference, reading, time.perf_counter() - t0, f"{name}/{layout}")
            scores.setdefault((reader, layout), Score()).add(s)
    print()
    print(f"{'reader':<11} {'layout':<11} {'PDFs':>4} {'pages':>5} {'points':>6} {'identical':>9} {'chars':>7} {'accounted':>9} {'s/page':>7}")
    for reader in readers:
        total = Score()
        for layout in LAYOUTS:
            s = scores[(reader, layout)]
            total.add(s)
            _row(reader, layout, s)
        _row(reader, "all", total)
        print()
    for reader in readers:
        causes = sum((scores[(reader, layout)].causes for layout in LAYOUTS), Counter())
        if causes:
            print(f"{reader}: points that differ, by cause: " + ", ".join(f"{k} {v}" for k, v in causes.most_common()))
    print()
    _hyphen_counterfactual(built)
    for reader in readers[:1]:
        failures = [f for layout in LAYOUTS for f in scores[(reader, layout)].failures]
        if failures:
            print(f"{reader}: {len(failures)} differences; the first {min(show, len(failures))}:")
            for line in failures[:show]:
                print("  " + line)
            print()
    return scores


def _hyphen_counterfactual(built: Sequence[tuple[str, str, Path, Path]]) -> None:
    """Points identical on the hyphenated layouts if every line-end hyphen were joined unless the
    hyphenated spelling occurs whole: what the issue's rule (join only when the joined word occurs
    elsewhere) costs, for the record. plancmp keeps the issue's rule."""
    hyphenated = [(d, p) for _, layout, d, p in built if layout in ("justified", "combined")]
    rule = from_pdf._Joiner._join_two

    def always(self: from_pdf._Joiner, left: str, right: str) -> str:
        halves = from_pdf._halves(left, right)
        if halves and not self.vocabulary[f"{halves[0]}-{halves[1]}".lower()]:
            self.consumed[left[-1]] += 1
            return left[:-1] + right
        return rule(self, left, right)

    totals = []
    for join in (rule, always):
        from_pdf._Joiner._join_two = join  # type: ignore[method-assign]
        try:
            total = Score()
            for docx_path, pdf_path in hyphenated:
                reading = from_pdf.read_pdf_reading(pdf_path.read_bytes(), str(pdf_path))
                total.add(score(load_document(docx_path), reading, 0.0, pdf_path.stem))
            totals.append(total)
        finally:
            from_pdf._Joiner._join_two = rule  # type: ignore[method-assign]
    issue, joined = totals
    print(f"justified and combined layouts, points identical: {issue.identical / issue.points:.2%} with the issue's "
          f"hyphen rule (plancmp's), {joined.identical / joined.points:.2%} if every line-end hyphen were joined "
          "unless the hyphenated spelling occurs whole")
    print()


def _row(reader: str, layout: str, s: Score) -> None:
    ident = s.identical / s.points if s.points else 0.0
    acc = s.accounted / s.chars if s.chars else 0.0
    per_page = s.seconds / s.pages if s.pages else 0.0
    print(f"{reader:<11} {layout:<11} {s.pdfs:>4} {s.pages:>5} {s.points:>6} {ident:>9.2%} {s.chars:>7} {acc:>9.3%} {per_page:>7.3f}")


# -- a long PDF ----------------------------------------------------------------------------------


def run_long(folder: Path, readers: Sequence[str]) -> None:
    """Time reading a PDF of about 100 pages (a long synthetic draft, plain layout)."""
    from bench.synth import generate_pair as gen

    pair = gen(100, 780, "en", "hard", words=(40, 160))
    with tempfile.TemporaryDirectory() as tmp:
        old, _ = write_pair(pair, tmp, "docx")
        data = old.read_bytes()
    path = folder / "long--plain.docx"
    path.write_bytes(laid_out(data, "plain"))
    (pdf,) = to_pdf([path], folder)
    blob = pdf.read_bytes()
    for reader in readers:
        walls, cpus = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            reading = READERS[reader](blob, str(pdf))
            walls.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        per100 = wall / reading.pages * 100
        verdict = "meets" if per100 <= 5 else "misses"
        print(f"{reader}: {reading.pages} pages, {sum(reading.chars.values()):,} characters: {wall:.2f} s "
              f"({cpu:.2f} s of CPU), median of 3; {per100:.2f} s per 100 pages ({cpu / reading.pages * 100:.2f} s "
              f"of CPU): {verdict} the 5 s target")


# -- real PDFs -----------------------------------------------------------------------------------


def run_real(folder: Path, readers: Sequence[str]) -> None:
    """Read every PDF in folder with every reader and print what was found (there is no reference
    reading to compare with: the structure found, the warnings, the characters accounted for)."""
    paths = sorted(folder.glob("*.pdf"))
    if not paths:
        print(f"no PDFs in {folder}")
        return
    print(f"{'PDF':<22} {'reader':<12} {'pages':>5} {'points':>6} {'sub':>4} {'warnings':>8} {'outside':<44} {'chars':>6} {'CPU s':>6}")
    for path in paths:
        for reader in readers:
            c0 = time.process_time()
            try:
                reading = READERS[reader](path.read_bytes(), path.name)
            except PlancmpError as exc:
                print(f"{path.name:<22} {reader:<12} {exc}")
                continue
            cpu = time.process_time() - c0
            doc = reading.document
            top, subs, _ = doc.counts()
            held: Counter[str] = Counter()
            for text in point_texts(doc):
                held.update(ch for ch in text if not ch.isspace())
            held += reading.consumed
            ok = "all" if held == reading.chars else "NOT"
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(Counter(o.kind.value for o in doc.outside).items()))
            print(f"{path.name:<22} {reader:<12} {reading.pages:>5} {top:>6} {subs:>4} {len(doc.warnings):>8} {kinds:<44} {ok:>6} {cpu:>6.2f}")


# -- the tests' PDFs -------------------------------------------------------------------------------


TEST_ITEMS = (
    ("title", "Protocol on the ceasefire (test)"),
    ("para", "The parties agree as follows."),
    ("num", 0, "The ceasefire takes effect at midnight on the day of signature, and the demilitarisation "
               "of the zone along the line of contact begins at once under international supervision."),
    ("num", 1, "heavy weapons are withdrawn 15 kilometres from the line of contact;"),
    ("num", 1, "observers of the monitoring mission are given unimpeded access to the whole "
               "demilitarisation zone."),
    ("num", 0, "Prisoners are exchanged on an all-for-all basis within 30 days. The parties undertake "
               "to return every detained civilian, to account for every missing person and to facilitate "
               "the reunification of families, with the humanitarian organisations present in the area "
               "as guarantors."),
    ("num", 0, "A joint commission oversees the implementation of this protocol, meets every week and "
               "reports every month to the guarantors on the progress of demilitarisation and "
               "reconstruction."),
    ("num", 0, "This protocol enters into force on signature."),
)
"""A small draft for the tests: two pages, points with sub-points, the third point on page 2."""


def _test_docx(layout: str) -> bytes:
    """The tests' draft as a .docx in a layout; in two columns, point 2 starts the right column."""
    import docx

    from tests.docx_build import build_docx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.docx"
        build_docx(list(TEST_ITEMS), path)
        data = laid_out(path.read_bytes(), layout)
    doc = docx.Document(io.BytesIO(data))
    starts = {p.text.split(" ", 1)[0]: p for p in doc.paragraphs if p.text}
    starts["A"].paragraph_format.page_break_before = True
    if layout == "two-column":
        run = starts["Prisoners"].runs[0]
        run._r.insert(0, run._r.makeelement(run._r.tag.replace("}r", "}br"), {run._r.tag.replace("}r", "}type"): "column"}))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


TEST_LAYOUTS = ("plain", "two-column", "justified", "header", "footnotes")
"""The layouts the tests read (Letter and the combined layout are the benchmark's only)."""


def write_tests(folder: Path) -> None:
    """Write the tests' PDFs: one per layout, a scanned one, an encrypted one, a broken one."""
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docs = []
        for layout in TEST_LAYOUTS:
            path = work / f"{layout}.docx"
            path.write_bytes(_test_docx(layout))
            docs.append(path)
        for pdf in to_pdf(docs, work):
            (folder / pdf.name).write_bytes(_without_font_programs(pdf.read_bytes()))
    plain = (folder / "plain.pdf").read_bytes()
    _scanned(plain, folder / "scanned.pdf")
    _encrypted(plain, folder / "encrypted.pdf")
    # Broken: the file cut short, its pages and cross-reference table gone, its header kept.
    (folder / "broken.pdf").write_bytes(plain[: len(plain) // 3])
    for path in sorted(folder.glob("*.pdf")):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")


def _without_font_programs(pdf: bytes) -> bytes:
    """The PDF without its embedded font programs, so that a test file is a few KB: text is read
    from the fonts' widths and character maps, which stay; only the glyph shapes go (a viewer
    draws the text in a substitute font)."""
    import pypdf
    from pypdf.generic import NameObject

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = [d.get_object() for d in font.get("/DescendantFonts", [])]
            for f in [font, *descendants]:
                descriptor = f.get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor:
                        del descriptor[NameObject(key)]
        page.compress_content_streams()
    writer.compress_identical_objects()
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _scanned(pdf: bytes, out: Path) -> None:
    """A PDF holding only a picture of the first page: what a scanner makes."""
    import subprocess

    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "p.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", "-f", "1", "-l", "1", str(src), str(Path(tmp) / "p")], check=True)
        (png,) = Path(tmp).glob("p*.png")
        Image.open(png).convert("L").save(out, "PDF", resolution=30)


def _encrypted(pdf: bytes, out: Path) -> None:
    """The PDF encrypted with a user password (it cannot be opened without it)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    out.write_bytes(buf.getvalue())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=4, help="synthetic pairs (two drafts each); default 4")
    parser.add_argument("--real", type=Path, help="a folder of public PDFs to read (see bench/PDF_SOURCES.md)")
    parser.add_argument("--keep", type=Path, help="keep the generated .docx and .pdf files in this folder")
    parser.add_argument("--show", type=int, default=15, help="differences to list")
    parser.add_argument("--only-plancmp", action="store_true", help="measure plancmp's reader only, not pdfplumber and pypdf")
    parser.add_argument("--write-tests", type=Path, metavar="DIR", help="write the tests' PDFs to DIR and stop")
    args = parser.parse_args(argv)
    if soffice() is None:
        print("LibreOffice (soffice) is not installed: nothing to print PDFs with; apt-get install libreoffice-writer-nogui")
        return 1
    if args.write_tests:
        write_tests(args.write_tests)
        return 0
    readers = ["pdfminer.six"]
    if not args.only_plancmp:
        for name in ("pdfplumber", "pypdf"):
            try:
                __import__(name)
                readers.append(name)
            except ImportError:
                print(f"{name} is not installed (pip install {name}): not measured")
    with tempfile.TemporaryDirectory(prefix="plancmp-pdf-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        run_generated(args.pairs, folder, readers, args.show)
        run_long(folder, readers)
    if args.real:
        print()
        run_real(args.real, readers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
