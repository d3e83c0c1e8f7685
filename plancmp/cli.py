"""The `plancmp` command: options in, one call into the library, a renderer, a write. Nothing more."""

from __future__ import annotations

import atexit
import dataclasses
import gc
import itertools
import os
import shutil
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plancmp import __version__
from plancmp.atomic import write_atomic
from plancmp.errors import DEBUG_VARIABLE, ExitStatus, OutputError, PlancmpError, bug_message

if TYPE_CHECKING:
    from plancmp.align import Pin
    from plancmp.compare import CompareOptions
    from plancmp.model import Comparison, Document
    from plancmp.parse import ReadOptions
    from plancmp.parse.from_toml import PositionsFile
    from plancmp.render import Presentation

COLOR_CHOICES = ("auto", "always", "never")
_STATUS = "plancmp.status"
"""ctx.meta key: the exit status a command has settled on before it writes its output."""


class _Group(click.Group):
    """A click group that turns PlancmpError, usage errors and bugs into one line on stderr and exit status 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, but a usage error (missing argument, unknown option, bad choice) is one line
        naming the command and where help is, not click's usage block."""
        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
        except click.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                # `plancmp` alone: the help itself, as click shows it.
                exc.show()
                sys.exit(exc.exit_code)
            path = exc.ctx.command_path if exc.ctx is not None else "plancmp"
            click.echo(f"{path}: {_safe(exc.format_message())} (see {path} -h)", err=True)
            sys.exit(int(ExitStatus.TROUBLE))
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort as exc:
            if isinstance(exc.__cause__, KeyboardInterrupt):
                # Ctrl-C while click was parsing, before a command ran.
                _interrupted()
            click.echo("Aborted!", err=True)
            sys.exit(int(ExitStatus.TROUBLE))
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PlancmpError as exc:
            click.echo(f"plancmp: {_safe(str(exc))}", err=True)
            ctx.exit(ExitStatus.TROUBLE)
        except KeyboardInterrupt:
            # Ctrl-C: outputs are written to a temporary file and renamed, so nothing is left
            # half-written; say so in one line, with the shell's status for SIGINT, not 1.
            _interrupted()
        except BrokenPipeError:
            # `plancmp diff … | head`: the reader left; that is not an error worth a traceback.
            # The status is still the command's: "differ" stays 1 however much was read.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(ctx.meta.get(_STATUS, ExitStatus.SAME))
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:
            # A bug: one line saying so and where to report it (exit 2, trouble), the traceback
            # only on request. Outputs are written whole or not at all, so nothing is left behind.
            if os.environ.get(DEBUG_VARIABLE):
                raise
            click.echo(f"plancmp: {_safe(bug_message(exc))}", err=True)
            ctx.exit(ExitStatus.TROUBLE)
        return None


def _interrupted() -> None:
    click.echo("plancmp: interrupted", err=True)
    sys.exit(int(ExitStatus.INTERRUPTED))


def _remember_bullets(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    ctx.meta["plancmp.bullets"] = value
    return value


def _ORIGINAL(command: Any) -> Any:
    """--original, and --bullets beside it: the options that say how drafts are read."""
    command = click.option(
        "--bullets", is_flag=True, expose_value=False, callback=_remember_bullets,
        help="Read the bulleted items as the points, numbered by position, even where numbers are typed.",
    )(command)
    return click.option("--original", is_flag=True, help="DOCX: read the text before tracked changes (default: all accepted).")(command)




def _store_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """--encoding is checked as it is parsed and kept in the context, so no command's signature changes."""
    if value is not None:
        from plancmp.parse.decode import check_encoding

        try:
            check_encoding(value)
        except PlancmpError as exc:
            raise click.BadParameter(exc.message.removeprefix("--encoding: "), ctx, param) from None
    ctx.meta["plancmp.encoding"] = value


_ENCODING = click.option("--encoding", metavar="NAME", expose_value=False, callback=_store_encoding,
                         help="Text and Markdown drafts: the encoding they are in (latin-1, cp1252, …); "
                              "default: UTF-8, UTF-16 or Windows-1251, recognised.")


def _read_options(original: bool, paths: Sequence[str]) -> ReadOptions:
    """How to read the drafts, with a warning where --original or --encoding cannot apply to them."""
    from plancmp.model import Format
    from plancmp.parse import STDIN_NAME, ReadOptions, format_for

    encoding = click.get_current_context().meta.get("plancmp.encoding")
    formats = {}
    for path in paths:
        try:
            formats[path] = format_for(path)
        except PlancmpError:
            continue  # reading it will say what is wrong with it
    texts = [p if p != "-" else STDIN_NAME for p, f in formats.items() if f is not Format.DOCX]
    words = [p for p, f in formats.items() if f is Format.DOCX]
    if original and texts:
        _warn([f"--original applies to Word drafts (.docx) only, not to {', '.join(texts)}"])
    if encoding and words:
        _warn([f"--encoding applies to text and Markdown drafts only, not to {', '.join(words)}"])
    return ReadOptions(original=original, encoding=encoding, bullets=bool(click.get_current_context().meta.get("plancmp.bullets")))

_RULES = click.option("--rules", "rules_path", type=click.Path(), metavar="FILE",
                      help="Topic rules (TOML) to add to, or replace, the built-in peace-plan topics.")


FORMATS = ("terminal", "text", "json", "markdown", "html")
"""What --format accepts, on every command that has it: text is another name for terminal, and
html is refused with the `plancmp report` command that writes it."""


def _format_option(help_text: str = "Output format (text is the same as terminal).", extra: tuple[str, ...] = ()) -> Any:
    """--format, with the same names on every command (and a command's own, such as history's docx)."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS + extra), default="terminal", show_default=True,
                        help=help_text)


def _output_format(fmt: str, instead: str) -> str:
    """The renderer to use: "text" is "terminal"; "html" is refused, saying how to make the page instead."""
    from plancmp.errors import UsageError

    if fmt == "html":
        raise UsageError(f"--format html: HTML pages are written by plancmp report: {instead}")
    return "terminal" if fmt == "text" else fmt


_ONLY_HELP = ("Show only these: changed, modified, merged, split, dropped, added, moved, renumbered, unchanged, "
              "contested (repeat or comma-separate).")


def _pin_option(note: str) -> Any:
    """--pin, with a note on how often it may be given."""
    return click.option("--pin", "pins", multiple=True, metavar="OLD=NEW",
                        help=f"Force a link: 6=4, 12=8+9 (split), 3+4=2 (merge), 26=- (dropped), -=10 (added). {note}")


def _output_options(command: Any) -> Any:
    """The options every command that prints shares: -o, --original, --encoding, --color, --no-color."""
    for option in reversed((
        click.option("-o", "--output", type=click.Path(allow_dash=True), help="Write to this file instead of standard output."),
        _ORIGINAL,
        _ENCODING,
        click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
                     help="Colour the output (auto: on a terminal; NO_COLOR=1 turns it off, FORCE_COLOR=1 on)."),
        click.option("--no-color", "no_color", is_flag=True, help="Same as --color never."),
    )):
        command = option(command)
    return command


def _positions_file(path: str | None) -> PositionsFile | None:
    """The positions file given with --positions (or a negotiation file), read and checked."""
    from plancmp.parse.from_toml import load_positions

    return load_positions(path) if path else None


def _check_drafts_named(positions: PositionsFile | None, docs: Sequence[Document], labels: Sequence[str] = ()) -> None:
    """A positions file naming a draft that is not compared: an error for a near miss, else a warning."""
    if positions is None:
        return
    from plancmp.annotate import check_position_drafts, draft_key
    from plancmp.parse import draft_names_beside

    beside = draft_names_beside([*(d.source for d in docs), positions.source])
    _warn(check_position_drafts(positions, [draft_key(d.source) for d in docs], {*beside, *labels}))


def _safe(message: str) -> str:
    """A message for the terminal: file names and draft text in it are shown, never obeyed."""
    from plancmp.render.escape import escape_terminal

    return escape_terminal(message)


def _use_color(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    # The options win over the environment; of the two variables FORCE_COLOR wins, as
    # force-color.org has it (set and not empty, whatever its value).
    if os.environ.get("FORCE_COLOR"):
        return True
    if output not in (None, "-") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def _presentation(color: str, no_color: bool, output: str | None) -> Presentation:
    """How terminal output looks: --color (or --no-color), and the width of the terminal."""
    from plancmp.render import Presentation

    if no_color:
        color = "never"
    width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
    return Presentation(color=_use_color(color, output), width=max(40, width))


def write_output(text: str | Iterable[str], output: str | None, inputs: Sequence[str] = ()) -> int:
    """Print text, or write it to output atomically (temporary file, then rename); the bytes written.

    Text may come in pieces (a long comparison's JSON or report), written as they come, so the
    whole output is never held twice over.
    """
    pieces = [text] if isinstance(text, str) else text
    if output in (None, "-"):
        size = 0
        for piece in pieces:
            sys.stdout.write(piece)
            size += len(piece.encode("utf-8"))
        sys.stdout.flush()
        return size
    assert output is not None
    return write_output_bytes((piece.encode("utf-8") for piece in pieces), output, inputs)


def write_output_bytes(data: bytes | Iterable[bytes], output: str, inputs: Sequence[str] = ()) -> int:
    """Write bytes (a .docx, or encoded text in pieces) to output atomically, refusing to write over an input."""
    target = Path(output)
    for source in inputs:
        if source != "-" and Path(source).exists() and target.exists() and os.path.samefile(source, target):
            raise OutputError("is one of the inputs; refusing to write over it", output)
    if target.is_dir():
        raise OutputError("is a directory; give a file name for the output", output)
    folder = target.parent if str(target.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"cannot be written: {folder} is a file, not a folder", output)
    if not folder.is_dir():
        import shlex

        raise OutputError(
            f"cannot be written: folder {folder} does not exist; create it first (mkdir -p {shlex.quote(str(folder))})", output
        )
    return write_atomic(output, data)


def _warn(warnings: Sequence[str]) -> None:
    for warning in warnings:
        click.echo(f"plancmp: warning: {_safe(warning)}", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="plancmp")
def cli() -> None:
    """Compare versions of negotiated documents made of numbered points.

    \b
    Examples:
      plancmp points drafts/28-point.txt
      plancmp diff drafts/28-point.md drafts/20-point.md
    """


@cli.command(short_help="Show the numbered points read from a draft.")
@click.argument("draft", type=click.Path(dir_okay=True, allow_dash=True))
@_format_option()
@click.option("--full", is_flag=True, help="Print each point's whole text, not one line of it.")
@_output_options
def points(draft: str, fmt: str, full: bool, output: str | None, original: bool, color: str, no_color: bool) -> None:
    """Show the numbered points read from DRAFT (.txt, .md, .docx, .pdf, or - for standard input).

    One line per point with its id and the start of its text, text kept outside points in place,
    then a count (for a PDF, also the pages read and the lines of page furniture removed). Use it
    to check that plancmp reads a draft the way you do.

    \b
    Examples:
      plancmp points drafts/28-point.txt
      plancmp points drafts/20-point.docx --format json -o 20-point.json
      plancmp points drafts/28-point.txt --full
      plancmp points draft-fr.txt --encoding cp1252
      plancmp points treaty.pdf
      cat draft.txt | plancmp points -
    """
    from plancmp.parse import load_document

    fmt = _output_format(fmt, "plancmp report OLD NEW -o report.html compares two drafts")
    doc = load_document(draft, _read_options(original, [draft]))
    _warn(doc.warnings)
    _note_revisions(doc, original)
    if fmt == "json":
        from plancmp.render.to_json import render_points_json

        text = render_points_json(doc)
    elif fmt == "markdown":
        from plancmp.render.to_markdown import render_points_markdown

        text = render_points_markdown(doc)
    else:
        from plancmp.render.to_terminal import render_points_terminal

        text = render_points_terminal(doc, _presentation(color, no_color, output), full)
    write_output(text, output, [draft])
    _wrote(output, text)


def _note_revisions(doc: Document, original: bool) -> None:
    """For a Word draft: how many tracked changes and comments it holds, and which reading this is."""
    from plancmp.model import Format

    if doc.format is not Format.DOCX or not (doc.revisions or doc.comments):
        return
    held = " and ".join(
        f"{count} {noun}{'s' if count != 1 else ''}"
        for count, noun in ((doc.revisions, "tracked change"), (len(doc.comments), "comment"))
        if count
    )
    reading = (
        "read as it was before the changes (without --original, all are accepted)"
        if original
        else "read with all changes accepted (--original reads the text before them)"
    )
    click.echo(f"plancmp: {_safe(doc.source)} holds {held}; {reading}", err=True)


def _wrote(output: str | None, text: str | bytes | int) -> None:
    """A line on stderr saying where the output went, when -o named a file (stdout stays the output's).

    text: what was written, or its size in bytes.
    """
    if output not in (None, "-"):
        size = text if isinstance(text, int) else len(text) if isinstance(text, bytes) else len(text.encode("utf-8"))
        click.echo(f"plancmp: wrote {_safe(output)} ({size // 1024 + 1} KB)", err=True)

def _output_suffix(output: str | None, suffix: str, what: str) -> str:
    """-o for a file that is not text: required, and named with its extension."""
    from plancmp.errors import UsageError

    if output is None or output == "-":
        raise UsageError(f"{what} is a file: add -o NAME{suffix} to write it")
    if Path(output).suffix.lower() != suffix:
        raise UsageError(f"{output}: {what} is written as {suffix}; give -o a name ending in {suffix}")
    return output


def _compare_pair(
    old: str, new: str, pins: Sequence[str], positions_path: str | None, rules_path: str | None, original: bool
) -> Comparison:
    """Read two drafts and the positions and rules given, compare them, and pass on the warnings."""
    from plancmp.compare import compare
    from plancmp.parse import load_documents

    options = dataclasses.replace(_compare_options(pins, positions_path, rules_path), workers=_workers())
    _one_stdin([old, new])
    read = _read_options(original, [old, new])
    old_doc, new_doc = load_documents([old, new], read, options.workers)
    _warn(old_doc.warnings + new_doc.warnings)
    _check_drafts_named(options.positions, [old_doc, new_doc])
    comparison = compare(old_doc, new_doc, options)
    _warn(comparison.warnings)
    return comparison


def _compare_options(pins: Sequence[str], positions_path: str | None, rules_path: str | None) -> CompareOptions:
    """The comparison options `diff`, `report` and `batch` share: pins, positions, topic rules."""
    from plancmp.align import AlignOptions
    from plancmp.compare import CompareOptions
    from plancmp.parse.from_toml import load_rules

    return CompareOptions(
        align=AlignOptions(pins=_pins(pins)),
        positions=_positions_file(positions_path),
        rules=load_rules(rules_path),
    )


def _warn_if_same_file(old: str, new: str) -> None:
    """Comparing a file with itself is not an error (a script may do it), but rarely what was meant."""
    if old != "-" and new != "-" and os.path.samefile(old, new):
        _warn([f"{old} and {new} are the same file: there can be no differences"])


def _one_stdin(paths: Sequence[str]) -> None:
    """Standard input can be read once: at most one draft may be "-"."""
    from plancmp.errors import UsageError

    if sum(1 for p in paths if p == "-") > 1:
        raise UsageError("standard input can be read only once; give at most one draft as -")


def _pins(values: Sequence[str]) -> tuple[Pin, ...]:
    from plancmp.align import parse_pin

    return tuple(parse_pin(v) for v in values)


def _contested_needs_positions(selected: Sequence[str], positions_path: str | None) -> None:
    if "contested" in selected and not positions_path:
        _warn(["--only contested shows points a party objects to, rejects or reserves: add --positions FILE"])


def _split_only(values: Sequence[str]) -> tuple[str, ...]:
    from plancmp.compare import FILTERS

    out: list[str] = []
    for value in values:
        for item in value.split(","):
            item = item.strip()
            if item not in FILTERS:
                raise click.BadParameter(f"'{item}' is not one of {', '.join(FILTERS)}", param_hint="--only")
            out.append(item)
    return tuple(out)


@cli.command(short_help="Compare two drafts: which point became which, and what changed.", context_settings={"ignore_unknown_options": False})
@click.argument("old", required=False, type=click.Path(allow_dash=True))
@click.argument("new", required=False, type=click.Path(allow_dash=True))
@_format_option()
@click.option("--only", "only", multiple=True, metavar="KIND", help=_ONLY_HELP)
@click.option("--context", is_flag=True, help="Also show unchanged points and their text.")
@_pin_option("Repeatable.")
@click.option("--positions", "positions_path", type=click.Path(), metavar="FILE",
              help="Party positions (TOML) to show on each group and carry across the drafts.")
@_RULES
@_output_options
@click.pass_context
def diff(
    ctx: click.Context,
    old: str | None,
    new: str | None,
    fmt: str,
    output: str | None,
    only: tuple[str, ...],
    context: bool,
    pins: tuple[str, ...],
    positions_path: str | None,
    rules_path: str | None,
    original: bool,
    color: str,
    no_color: bool,
) -> None:
    """Compare two drafts: which old point became which new point, and what changed inside it.

    Points are aligned through renumbering, rewording, moves, merges and splits; each group shows
    its word-level changes and the substantive ones (numbers, deadlines, obligations, parties,
    references). Exit status: 0 no differences, 1 differences, 2 trouble.

    \b
    Examples:
      plancmp diff drafts/28-point.txt drafts/20-point.txt
      plancmp diff drafts/28-point.md drafts/20-point.md --only changed --no-color
      plancmp diff old.docx new.docx --format json -o changes.json
      plancmp diff old.txt new.txt --pin 6=4 --pin 12=8+9 --pin 26=-
      plancmp diff drafts/28-point.txt drafts/20-point.txt --positions drafts/positions.toml --only contested

    \b
    Environment: PLANCMP_WORKERS=N shares the work of long drafts (1,500 points or more)
    among N cores (default: every core; 1 keeps it in one process).
    """
    if old is None and new is None:
        # Help, but not exit 0: to a script, 0 would mean "no differences".
        click.echo(ctx.get_help())
        ctx.exit(ExitStatus.TROUBLE)
    if old is None or new is None:
        raise click.UsageError("diff needs two drafts: plancmp diff OLD NEW")
    from plancmp.compare import filter_groups

    fmt = _output_format(fmt, "plancmp report OLD NEW -o report.html (it takes the same --pin, --positions and --rules)")
    selected = _split_only(only)
    _contested_needs_positions(selected, positions_path)
    comparison = _compare_pair(old, new, pins, positions_path, rules_path, original)
    groups = filter_groups(comparison, selected)
    text: str | Iterator[str]
    if fmt == "json":
        from plancmp.render.to_json import iter_diff_json

        text = iter_diff_json(comparison, groups)
    elif fmt == "markdown":
        from plancmp.render.to_markdown import render_diff_markdown

        text = render_diff_markdown(comparison, groups, context, only=selected)
    else:
        from plancmp.render.to_terminal import render_diff_terminal

        pres = _presentation(color, no_color, output)
        text = render_diff_terminal(comparison, groups, pres, context, only=selected)
    status = ExitStatus.SAME if comparison.identical else ExitStatus.DIFFERENT
    ctx.meta[_STATUS] = status  # for a reader that leaves before the end (… | head)
    size = write_output(text, output, [old, new, *(p for p in (positions_path, rules_path) if p)])
    _wrote(output, size)
    _warn_if_same_file(old, new)
    ctx.exit(status)


@cli.command(short_help="Each point of a draft with its tags and the parties' positions.")
@click.argument("draft", type=click.Path(allow_dash=True))
@click.option("--positions", "positions_path", type=click.Path(), metavar="FILE",
              help="Party positions (TOML) to place on the draft's points.")
@_RULES
@click.option("--only", "only", multiple=True, metavar="TAG",
              help="Show only points with this tag: contested, bracketed, or a topic name (repeat or comma-separate).")
@_format_option("Output format (text is the same as terminal); json gives positions as W3C Web Annotations.")
@click.option("--full", is_flag=True, help="Print each point's whole text, not one line of it.")
@_output_options
def tag(
    draft: str,
    positions_path: str | None,
    rules_path: str | None,
    only: tuple[str, ...],
    fmt: str,
    full: bool,
    output: str | None,
    original: bool,
    color: str,
    no_color: bool,
) -> None:
    """Show each point of DRAFT with its tags and the parties' positions on it.

    Tags: contested (a party objects, rejects or reserves), bracketed ([square-bracketed] text,
    not yet agreed), and topics from keyword rules (military size, territory, NATO, …).
    Positions stated on another draft are found on this one by their quote where they have one.

    \b
    Examples:
      plancmp tag drafts/20-point.txt --positions drafts/positions.toml
      plancmp tag drafts/20-point.txt --positions drafts/positions.toml --only contested
      plancmp tag drafts/20-point.docx --positions drafts/positions.toml --format json
      plancmp tag drafts/20-point.txt --only NATO --full --format markdown
    """
    from plancmp.compare import select_points, tag_draft
    from plancmp.parse import load_document
    from plancmp.parse.from_toml import load_rules

    fmt = _output_format(fmt, "plancmp report OLD NEW -o report.html compares two drafts, with their tags")
    wanted = [t.strip() for value in only for t in value.split(",")]
    _contested_needs_positions(wanted, positions_path)
    positions = _positions_file(positions_path)
    rules = load_rules(rules_path)
    doc = load_document(draft, _read_options(original, [draft]))
    _warn(doc.warnings)
    _check_drafts_named(positions, [doc])
    tagged, placed, warnings = tag_draft(doc, positions, rules)
    _warn(warnings)
    selected = select_points(tagged, only, rules) if only else None
    parties = positions.parties if positions else ()
    if fmt == "json":
        from plancmp.render.to_json import render_tags_json

        text = render_tags_json(tagged, placed, parties, selected)
    elif fmt == "markdown":
        from plancmp.render.to_markdown import render_tags_markdown

        text = render_tags_markdown(tagged, placed, parties, selected)
    else:
        from plancmp.render.to_terminal import render_tags_terminal

        pres = _presentation(color, no_color, output)
        text = render_tags_terminal(tagged, placed, parties, pres, selected, full)
    write_output(text, output, [draft, *(p for p in (positions_path, rules_path) if p)])
    _wrote(output, text)


@cli.command(short_help="Follow every point through a chain of drafts.")
@click.argument("drafts", nargs=-1, type=click.Path(allow_dash=False))
@click.option("--negotiation", "negotiation_path", type=click.Path(), metavar="FILE",
              help="A negotiation file (TOML) naming the drafts in order, their labels, and the positions file.")
@click.option("--positions", "positions_path", type=click.Path(), metavar="FILE",
              help="Party positions (TOML) to carry along each point's lineage.")
@click.option("--only", "only", multiple=True, metavar="KIND", help=_ONLY_HELP)
@click.option("--changed", "changed_only", is_flag=True, help="Same as --only changed.")
@_pin_option("Repeatable. With more than two drafts, name the draft the step leads to: "
             "--pin '20-point:6=4' links 6 of the draft before 20-point to 4 of 20-point.")
@_RULES
@_format_option("Output format (text is the same as terminal); docx and csv are the negotiation table, "
                "one column per draft.", extra=("docx", "csv"))
@_output_options
def history(
    drafts: tuple[str, ...],
    negotiation_path: str | None,
    positions_path: str | None,
    only: tuple[str, ...],
    changed_only: bool,
    pins: tuple[str, ...],
    rules_path: str | None,
    fmt: str,
    output: str | None,
    original: bool,
    color: str,
    no_color: bool,
) -> None:
    """Follow every point through a chain of drafts, oldest first: 6 → 6 → 4 → 4.

    Each draft is aligned with the next, and the links are composed into one row per point (its
    lineage) with what changed at each step; the first and last drafts are also compared
    directly, and rows where the two disagree are flagged (a point that drifted into a different
    one); a point dropped and later restored is one row (8 → — → 8, restored). Positions are
    carried along each lineage; with --rules, each row lists its topics. --only takes the kinds
    diff takes, for a row: moved means moved at some step. Exit status: 0 written, 2 trouble.

    \b
    Examples:
      plancmp history --negotiation drafts/negotiation.toml
      plancmp history drafts/28-point.txt drafts/28-point-european.txt drafts/19-point-geneva.txt drafts/20-point.txt
      plancmp history --negotiation drafts/negotiation.toml --only changed --format markdown -o history.md
      plancmp history --negotiation drafts/negotiation.toml --only contested,moved
      plancmp history drafts/28-point.txt drafts/20-point.txt --pin 16=6
      plancmp history --negotiation drafts/negotiation.toml --pin '20-point:9=6'
      plancmp history --negotiation drafts/negotiation.toml --format docx -o table.docx

    \b
    Environment: PLANCMP_WORKERS=N shares the work of long drafts (1,500 points or more)
    among N cores (default: every core; 1 keeps it in one process).
    """
    from plancmp.compare import CompareOptions, compare_chain
    from plancmp.parse.from_toml import load_rules

    fmt = _output_format(fmt, "plancmp report D1 D2 D3 … -o history.html (or --negotiation FILE)")
    selected = _split_only(only) + (("changed",) if changed_only else ())
    if fmt == "docx":
        _output_suffix(output, ".docx", "the negotiation table")
    elif fmt == "csv" and output not in (None, "-"):
        _output_suffix(output, ".csv", "the CSV table")
    paths, labels, dates, sides, title, positions_path = _chain_inputs(drafts, negotiation_path, positions_path)
    # A negotiation file may name the positions file itself.
    _contested_needs_positions(selected, positions_path)
    step_pins = _step_pins(pins, paths, labels)
    # Topics only when asked for with --rules: without them, no tagging cost.
    options = CompareOptions(
        positions=_positions_file(positions_path),
        rules=load_rules(rules_path) if rules_path else (),
    )
    docs = _load_chain(paths, original)
    _check_drafts_named(options.positions, docs, labels)
    chain = compare_chain(docs, labels, dataclasses.replace(options, workers=_workers()), step_pins)
    _warn(chain.warnings)
    inputs = [*paths, *(p for p in (positions_path, negotiation_path, rules_path) if p)]
    if fmt == "docx":
        from plancmp.render.to_table import render_history_docx

        assert output is not None
        data = render_history_docx(chain, title, dates, selected)
        write_output_bytes(data, output, inputs)
        _wrote(output, data)
        return
    if fmt == "csv":
        from plancmp.render.to_table import render_history_csv

        text = render_history_csv(chain, selected)
    elif fmt == "json":
        from plancmp.render.history import render_history_json

        text = render_history_json(chain, title, dates, sides, selected)
    elif fmt == "markdown":
        from plancmp.render.history import render_history_markdown

        text = render_history_markdown(chain, title, selected)
    else:
        from plancmp.render.history import render_history_terminal

        pres = _presentation(color, no_color, output)
        text = render_history_terminal(chain, pres, title, selected)
    write_output(text, output, inputs)
    _wrote(output, text)


def _workers() -> int:
    """How many cores the work of long drafts may use: PLANCMP_WORKERS, or every core this process may run on."""
    from plancmp.errors import UsageError
    from plancmp.parallel import usable_cores

    value = os.environ.get("PLANCMP_WORKERS", "").strip()
    if not value:
        return usable_cores()
    if not value.isdigit() or int(value) < 1:
        raise UsageError(f"PLANCMP_WORKERS={value}: give a whole number of processes, 1 or more (1 runs everything in one)")
    # More processes than cores only take turns: PLANCMP_WORKERS=999 is every core, not 999 forks.
    return min(int(value), usable_cores())


def _step_pins(values: Sequence[str], paths: Sequence[str], labels: Sequence[str]) -> tuple[tuple[Pin, ...], ...]:
    """--pin for a chain: [DRAFT:]OLD=NEW, the step named by the draft it leads to (by label or file name).

    With two drafts there is one step and a pin needs no name.
    """
    import difflib

    from plancmp.align import parse_pin
    from plancmp.annotate import draft_key
    from plancmp.errors import UsageError

    steps: list[list[Pin]] = [[] for _ in range(len(paths) - 1)]
    names = {**{draft_key(p): k for k, p in enumerate(paths)}, **{label: k for k, label in enumerate(labels)}}
    for value in values:
        left = value.partition("=")[0]
        if ":" in left:
            cut = left.rindex(":")
            name, text = value[:cut].strip(), value[cut + 1:]
            if name not in names:
                near = difflib.get_close_matches(name, list(names), n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                raise UsageError(f"--pin {value}: no draft is called '{name}'; the drafts are {', '.join(labels)}{hint}")
            index = names[name]
            if index == 0:
                raise UsageError(
                    f"--pin {value}: {labels[0]} is the first draft; name the draft the step leads to "
                    f"(--pin '{labels[1]}:{text}' links {labels[0]} to {labels[1]})"
                )
        elif len(paths) == 2:
            index, text = 1, value
        else:
            raise UsageError(
                f"--pin {value}: with more than two drafts, name the draft the step leads to: "
                f"--pin '{labels[-1]}:{value}' links {labels[-2]} {value.partition('=')[0]} to "
                f"{labels[-1]} {value.partition('=')[2]}"
            )
        steps[index - 1].append(dataclasses.replace(parse_pin(text), text=value))
    return tuple(tuple(step) for step in steps)


def _chain_inputs(
    drafts: tuple[str, ...], negotiation_path: str | None, positions_path: str | None
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], str, str | None]:
    """Drafts, labels, dates, sides, title and positions file, from the arguments or a negotiation file."""
    from plancmp.errors import UsageError

    if negotiation_path and drafts:
        raise UsageError("give either drafts or --negotiation FILE, not both")
    if negotiation_path:
        from plancmp.parse.from_toml import load_negotiation

        negotiation = load_negotiation(negotiation_path)
        _warn(negotiation.warnings)
        paths = tuple(d.path for d in negotiation.drafts)
        labels = tuple(d.label for d in negotiation.drafts)
        dates = tuple(d.date for d in negotiation.drafts)
        sides = tuple(d.side for d in negotiation.drafts)
        return paths, labels, dates, sides, negotiation.title, positions_path or negotiation.positions
    if len(drafts) < 2:
        raise UsageError("history needs at least two drafts, oldest first (or --negotiation FILE)")
    labels = tuple(Path(d).stem for d in drafts)
    return drafts, labels, ("",) * len(drafts), ("",) * len(drafts), "", positions_path


def _load_chain(paths: Sequence[str], original: bool) -> tuple[Document, ...]:
    """Read a chain's drafts, refusing a draft given twice in a row."""
    from plancmp.errors import UsageError
    from plancmp.parse import load_documents

    for a, b in itertools.pairwise(paths):
        if os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b):
            raise UsageError(f"{b} is given twice in a row; each step compares two different drafts")
    read = _read_options(original, paths)
    docs = load_documents(paths, read, _workers())
    for doc in docs:
        _warn(doc.warnings)
    return docs


@cli.command(short_help="Write the new draft as a Word redline: every change from the old one tracked.")
@click.argument("old", type=click.Path(allow_dash=True))
@click.argument("new", type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(), metavar="FILE.docx", help="The Word file to write (required).")
@_pin_option("Repeatable.")
@click.option("--positions", "positions_path", type=click.Path(), metavar="FILE",
              help="Party positions (TOML): each becomes a comment by its party on the point(s) it lands on.")
@_RULES
@_ORIGINAL
@_ENCODING
@click.option("--author", default="plancmp", show_default=True, help="The author Word shows for every tracked change.")
@click.option("--date", "date", metavar="ISO-8601", help="The date of every change and comment (default: now), e.g. 2025-12-24 or 2025-12-24T12:00:00Z.")
@click.option("--summary", is_flag=True, help="Start with a page of the comparison's summary and a table of the groups.")
def redline(
    old: str,
    new: str,
    output: str | None,
    pins: tuple[str, ...],
    positions_path: str | None,
    rules_path: str | None,
    original: bool,
    author: str,
    date: str | None,
    summary: bool,
) -> None:
    """Write NEW as a Word document with every change from OLD as a tracked change.

    Words changed inside a point are insertions and deletions; a dropped point is a deleted
    paragraph where it stood, an added one an inserted paragraph; a moved point is a Word move; a
    renumbered point shows its label changed (with Word numbering, its comment says "renumbered:
    6 → 4"). Merges and splits are deletions and insertions with a comment saying so. Substantive
    changes are a comment by plancmp on each point; each party's position a comment by that party.

    When NEW is a .docx the redline keeps its styles, numbering, headers and page set-up; from
    .txt or .md it is a clean document in Word's built-in styles. Accept every change and you
    have NEW; reject every change and you have OLD. Exit status: 0 written, 2 trouble.

    \b
    Examples:
      plancmp redline drafts/28-point.docx drafts/20-point.docx -o changes.docx
      plancmp redline drafts/28-point.txt drafts/20-point.txt --positions drafts/positions.toml -o changes.docx
      plancmp redline old.docx new.docx --pin 12=8+9 --author "Legal team" --date 2025-12-24 -o redline.docx

    \b
    Environment: PLANCMP_WORKERS=N shares the work of long drafts (1,500 points or more)
    among N cores (default: every core; 1 keeps it in one process).
    """
    from plancmp.errors import UsageError
    from plancmp.parse.raw import docx_bytes
    from plancmp.render.to_docx import RedlineOptions, build_redline, word_date

    _output_suffix(output, ".docx", "a redline")
    assert output is not None
    try:
        # The default, now, is decided here, at the edge: the renderer writes what it is given.
        stamp = word_date(date)
    except ValueError:
        raise UsageError(f"--date: '{date}' is not an ISO 8601 date; give 2025-12-24 or 2025-12-24T12:00:00Z") from None
    comparison = _compare_pair(old, new, pins, positions_path, rules_path, original)
    options = RedlineOptions(
        author=author,
        date=stamp,
        summary=summary,
        original=original,
        old_package=docx_bytes(old),
        new_package=docx_bytes(new),
    )
    result = build_redline(comparison, options)
    _warn(result.warnings)
    write_output_bytes(result.data, output, [old, new, *(p for p in (positions_path, rules_path) if p)])
    _wrote(output, result.data)
    _warn_if_same_file(old, new)


@cli.command(short_help="Write a self-contained HTML report of two drafts or a chain.")
@click.argument("drafts", nargs=-1, metavar="OLD NEW [MORE…]", type=click.Path(allow_dash=True))
@click.option("-o", "--output", type=click.Path(allow_dash=True), metavar="FILE",
              help="The HTML file to write (required; - writes the page to standard output).")
@click.option("--negotiation", "negotiation_path", type=click.Path(), metavar="FILE",
              help="A negotiation file (TOML) naming the drafts in order, their labels, and the positions file.")
@_pin_option("Repeatable. With more than two drafts, name the draft the step leads to: --pin '20-point:6=4'.")
@click.option("--positions", "positions_path", type=click.Path(), metavar="FILE",
              help="Party positions (TOML) to show on each group and carry across the drafts.")
@_RULES
@_ORIGINAL
@_ENCODING
@click.pass_context
def report(
    ctx: click.Context,
    drafts: tuple[str, ...],
    output: str | None,
    negotiation_path: str | None,
    pins: tuple[str, ...],
    positions_path: str | None,
    rules_path: str | None,
    original: bool,
) -> None:
    """Write an HTML report comparing drafts: one self-contained page that opens offline.

    With two drafts the page shows both drafts' counts and the summary, an alignment map (old
    numbers on the left, new on the right, a line for each link), then every group with the old
    point(s) beside the new, word-level changes, the substantive changes, party positions and
    topic tags. In a browser it filters by status, party, topic or contested points, searches, and
    switches between side by side and inline views; n / p move between changed points.

    With three or more drafts (or --negotiation) the page follows every point through the chain:
    a lineage table (6 → 6 → 4 → 4, what happened at each step, the positions carried along,
    points dropped and restored, rows where the direct first → last comparison disagrees), a
    timeline per point (its text in each draft with what changed), the same filters and search,
    and a version picker that compares any two drafts (for long chains: each draft with the
    next, and the first and the last with every other). --pin names the draft its step leads
    to: --pin '20-point:9=6'.

    The page loads nothing from the network, so it can be sent as an e-mail attachment.
    Exit status: 0 written, 2 trouble.

    \b
    Examples:
      plancmp report drafts/28-point.txt drafts/20-point.txt -o report.html
      plancmp report drafts/28-point.txt drafts/20-point.txt --positions drafts/positions.toml -o report.html
      plancmp report old.docx new.docx --pin 6=4 --pin 12=8+9 -o changes.html
      plancmp report --negotiation drafts/negotiation.toml -o negotiation.html
      plancmp report drafts/28-point.txt drafts/28-point-european.txt drafts/20-point.txt -o chain.html

    \b
    Environment: PLANCMP_WORKERS=N shares the work of long drafts (1,500 points or more)
    among N cores (default: every core; 1 keeps it in one process).
    """
    from plancmp.errors import UsageError

    if not drafts and not negotiation_path:
        click.echo(ctx.get_help())
        ctx.exit(ExitStatus.TROUBLE)
    if len(drafts) == 1 and not negotiation_path:
        raise click.UsageError("report needs two drafts: plancmp report OLD NEW -o report.html")
    if output is None:
        # An HTML page printed on a terminal helps nobody; "-o -" still sends it down a pipe.
        raise UsageError("a report is an HTML page: add -o report.html to write it to a file (or -o - for standard output)")
    if output != "-" and Path(output).suffix.lower() not in ("", ".html", ".htm"):
        # report.pdf would be an HTML page under a name that promises something else.
        raise UsageError(f"{output}: a report is an HTML page; give -o a name ending in .html (print it to PDF from the browser)")
    if negotiation_path or len(drafts) > 2:
        _report_chain(drafts, output, negotiation_path, positions_path, rules_path, original, pins)
        return
    from plancmp.render.to_html import iter_report_html

    old, new = drafts
    comparison = _compare_pair(old, new, pins, positions_path, rules_path, original)
    inputs = [old, new] + [p for p in (positions_path, rules_path) if p]
    size = write_output(iter_report_html(comparison), output, inputs)
    _wrote(output, size)
    _warn_if_same_file(old, new)


def _report_chain(
    drafts: tuple[str, ...],
    output: str,
    negotiation_path: str | None,
    positions_path: str | None,
    rules_path: str | None,
    original: bool,
    pins: Sequence[str] = (),
) -> None:
    """`plancmp report` over a chain of drafts: the lineage page."""
    from plancmp.compare import CompareOptions, compare_chain, compare_pairs
    from plancmp.parse.from_toml import load_rules
    from plancmp.render.to_html_chain import picker_pairs, render_chain_html

    paths, labels, dates, sides, title, positions_path = _chain_inputs(drafts, negotiation_path, positions_path)
    step_pins = _step_pins(pins, paths, labels)
    options = CompareOptions(
        positions=_positions_file(positions_path),
        rules=load_rules(rules_path),
    )
    docs = _load_chain(paths, original)
    _check_drafts_named(options.positions, docs, labels)
    chain = compare_chain(docs, labels, dataclasses.replace(options, workers=_workers()), step_pins)
    _warn(chain.warnings)
    # The picker compares any two drafts: the pairs beyond the steps and first → last are compared
    # here, as many as keep the page small (picker_pairs).
    text = render_chain_html(chain, title, dates, sides, compare_pairs(chain, picker_pairs(chain), options))
    inputs = list(paths) + [p for p in (positions_path, rules_path, negotiation_path) if p]
    write_output(text, output, inputs)
    _wrote(output, text)


@cli.command(short_help="Compare a whole collection of pairs or version chains, on Dask.")
@click.argument("pairs", metavar="PAIRS", type=click.Path())
@click.option("-o", "--output", "outdir", required=True, type=click.Path(), metavar="OUTDIR",
              help="The folder to write to (created if missing; a rerun finishes what is not there yet).")
@click.option("--chains-by", metavar="PATTERN",
              help="PAIRS is a folder: a regular expression matching a file's path in it, whose first group names the document.")
@click.option("--positions", "positions_path", type=click.Path(), metavar="FILE",
              help="Party positions (TOML) to show on every pair.")
@_RULES
@_ORIGINAL
@_ENCODING
@click.option("--html", "html", is_flag=True, help="Also write each pair's HTML report, OUTDIR/pairs/<id>.html.")
@click.option("--report", "index", is_flag=True, help="Write OUTDIR/index.html: every pair with its summary, sortable.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N", help="Processes on this machine (default: one per core).")
@click.option("--scheduler", metavar="tcp://HOST:8786", help="Run on an existing Dask cluster instead of this machine.")
@click.option("--ship", is_flag=True, help="Send the drafts' contents with each task, for workers that cannot see the files.")
@click.pass_context
def batch(
    ctx: click.Context,
    pairs: str,
    outdir: str,
    chains_by: str | None,
    positions_path: str | None,
    rules_path: str | None,
    original: bool,
    html: bool,
    index: bool,
    workers: int | None,
    scheduler: str | None,
    ship: bool,
) -> None:
    """Compare every pair of a collection, as `plancmp diff --format json` would, and tabulate them.

    PAIRS is a CSV file (columns old,new and optionally id), a TOML file ([[pair]] tables with old,
    new and id, and [[chain]] tables with drafts oldest first), or a folder whose files form
    version chains by --chains-by. Paths are relative to the manifest's folder.

    Writes OUTDIR/pairs/<id>.json per pair, OUTDIR/summary.csv and summary.parquet (a row per pair:
    points, counts, substantive changes, contested points, seconds, error), and links.parquet (a
    row per link). A pair that fails is recorded with its error and the batch goes on. Run the
    same command again after an interruption: pairs already done from the same inputs are kept.

    Runs on a Dask cluster of processes on this machine, or with --scheduler on an existing one
    (the workers read the drafts at the same paths, or get them with --ship). Needs the batch
    extra: pip install '.[batch]' in the plancmp source folder. Exit status: 0 every pair
    compared, 1 some pairs failed, 2 trouble.

    \b
    Examples:
      plancmp batch drafts/pairs.csv -o out --report
      plancmp batch pairs.csv -o out
      plancmp batch bills/ --chains-by '(.+)-v\\d+\\.txt' -o out --report --html
      plancmp batch pairs.toml -o out --scheduler tcp://10.0.0.5:8786 --ship
    """
    from plancmp.batch import (
        BatchOptions,
        Outcome,
        OutputFolder,
        local_engine,
        remote_engine,
        require_extra,
        run_batch,
    )
    from plancmp.batch import write_index as write_batch_index
    from plancmp.errors import UsageError
    from plancmp.parse.from_manifest import load_manifest

    if scheduler and workers:
        raise UsageError("--workers sizes the cluster on this machine; the cluster at --scheduler has its own workers")
    manifest = load_manifest(pairs, chains_by)
    require_extra()
    _warn(manifest.warnings)
    # No paths: a warning naming every text draft of a collection that --original skips would be noise.
    read = _read_options(original, ())
    options = BatchOptions(_compare_options((), positions_path, rules_path), read, html, ship)
    engine = remote_engine(scheduler) if scheduler else local_engine(workers)
    from tqdm import tqdm

    counts = dict.fromkeys(Outcome, 0)
    # A bar on a terminal only: in a log or a pipe it would be noise.
    bar = tqdm(total=len(manifest.pairs), unit="pair", file=sys.stderr, disable=not sys.stderr.isatty())
    try:
        folder = OutputFolder(outdir)
        for done in run_batch(manifest.pairs, options, engine, folder):
            counts[done.outcome] += 1
            if done.error:
                bar.write(f"plancmp: {_safe(done.id)}: {_safe(done.error)}", file=sys.stderr)
            bar.update()
    except KeyboardInterrupt:
        bar.close()
        left = len(manifest.pairs) - sum(counts.values())
        click.echo(f"plancmp: interrupted with {left} of {_pairs(len(manifest.pairs))} not done: "
                   "run the same command again to finish them", err=True)
        ctx.exit(ExitStatus.INTERRUPTED)
    finally:
        bar.close()
        engine.close()
    totals = folder.write_tables(manifest.pairs)
    if index:
        write_batch_index(folder, manifest.pairs, totals, html)
    click.echo(
        f"plancmp: {_pairs(totals.pairs)} in {_safe(outdir)}: {counts[Outcome.COMPARED]} compared, "
        f"{counts[Outcome.SKIPPED]} kept from an earlier run, {totals.failed} failed", err=True)
    ctx.exit(ExitStatus.DIFFERENT if totals.failed else ExitStatus.SAME)


def _pairs(n: int) -> str:
    return f"{n} pair" if n == 1 else f"{n} pairs"


GC_THRESHOLDS = (200_000, 30, 30)
"""The cycle collector's rhythm for a run of plancmp (Python's is 700, 10, 10).

A comparison makes millions of objects that live to its end (points, words, edits) and few
cycles; at Python's rhythm the collector walks them again and again: 0.44 s of a 2,000-point
rewrite's 7 s, 0.09 s of a revision's 1.7 s. Set for the command, not for a program that
imports plancmp."""


def main() -> None:
    """Console-script entry point."""
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        cli(prog_name="plancmp")
    except SystemExit as stop:
        _leave_now(stop)
        raise


def _leave_now(stop: SystemExit) -> None:
    """End the process with stop's status at once, where nothing is left to close.

    Python's own exit frees every object one by one: the millions a comparison makes take 0.1 s
    of a 2,000-point revision and 0.2 s of a 14 MB pair, after the output is written. Outputs
    are closed and renamed into place before a command returns, and the forked workers have
    been waited for. What is registered to run at exit still runs (a program driving plancmp, a
    tool measuring it), then the terminal's buffers are flushed. Python exits as usual, and
    cleans up, where a profiler, tracer or coverage tool is attached, a thread or a process still
    runs, Dask was started (batch), or a standard stream is closed or gone.
    """
    code = 0 if stop.code is None else stop.code
    run_exit_functions = getattr(atexit, "_run_exitfuncs", None)  # CPython's, as its exit runs them
    if (
        not isinstance(code, int)
        or run_exit_functions is None
        or sys.stdout is None
        or sys.stderr is None
        or sys.gettrace() is not None
        or sys.getprofile() is not None
        or _monitored()
        or "distributed" in sys.modules
        or ("threading" in sys.modules and sys.modules["threading"].active_count() > 1)
        or ("multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children())
    ):
        return
    run_exit_functions()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def _monitored() -> bool:
    """Whether a tool watches this process through sys.monitoring (coverage, from Python 3.12)."""
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(monitoring.get_tool(tool) is not None for tool in range(6))


if __name__ == "__main__":  # pragma: no cover
    main()
