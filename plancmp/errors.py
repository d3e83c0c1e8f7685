"""Errors a person can act on: each carries a one-line message naming the file and the fix."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Process exit codes, as diff(1) uses them."""

    SAME = 0
    DIFFERENT = 1
    TROUBLE = 2
    INTERRUPTED = 130
    """Ctrl-C: 128 + SIGINT, as a shell reports a command killed by it; never 1, which means "differences"."""


BUG_REPORTS = "the plancmp maintainers"
"""Where a user reports a bug: named in the one line the CLI shows for an unexpected error."""
DEBUG_VARIABLE = "PLANCMP_DEBUG"
"""Set (to anything but empty), the CLI shows an unexpected error's traceback instead of one line."""


def bug_message(exc: BaseException) -> str:
    """The one line shown for an exception plancmp did not expect: a bug, and where to report it."""
    what = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return (
        f"internal error ({type(exc).__name__}{': ' + what if what else ''}); this is a bug in plancmp: "
        f"please report it to {BUG_REPORTS} with this line and the command you ran "
        f"({DEBUG_VARIABLE}=1 shows the traceback)"
    )


class PlancmpError(Exception):
    """Base of every error plancmp reports to the user; the CLI prints it on one line and exits 2."""

    def __init__(self, message: str, source: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source if self.line is None else f"{self.source}:{self.line}"
            where += ": "
        # One line, always: a message that spans lines would be cut by the terminal reader's eye.
        return (where + self.message).replace("\r", " ").replace("\n", " ")


class InputError(PlancmpError):
    """A draft could not be opened or decoded (missing, a directory, binary, undecodable)."""


class FormatError(PlancmpError):
    """A draft's content does not fit its format (a corrupt DOCX, an unknown extension)."""


class NoPointsError(PlancmpError):
    """A draft was read but holds no numbered points."""


class UsageError(PlancmpError):
    """Options that contradict each other or name things that do not exist (a bad --pin)."""


class PositionsError(PlancmpError):
    """A positions, rules or negotiation file is malformed or names unknown things."""


class ManifestError(PlancmpError):
    """A batch manifest (CSV, TOML or a folder of drafts) is malformed, names a missing file or repeats an id."""


class OutputError(PlancmpError):
    """An output file cannot be written (or would overwrite an input)."""
