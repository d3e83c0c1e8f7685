"""Outputs written whole or not at all: into a temporary file beside the target, renamed onto it at the end.

The one writer `plancmp diff -o`, `report -o` and `plancmp batch` share. Whatever goes wrong on the
way (a full disk, a folder not ours, Ctrl-C) leaves the target as it was and no temporary file
behind; an OSError becomes an OutputError naming the target: "out.json: cannot be written (No space
left on device)".
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from plancmp.errors import OutputError


@contextlib.contextmanager
def writing(target: str | os.PathLike[str]) -> Iterator[None]:
    """An OSError inside is an OutputError naming target: "cannot be written (No space left on device)"."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot be written ({exc.strerror or exc})", os.fspath(target)) from None


@contextlib.contextmanager
def atomic_file(target: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A temporary file beside target, open for writing; renamed onto target if the block ends well, removed if not."""
    path = Path(target)
    # Named before it exists, so that an interrupt at any moment (even while the file is being
    # created) finds the name to remove: no window in which a temporary file has no owner.
    tmp_name = str(path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp")
    renamed = False
    try:
        with writing(target):
            with _create(tmp_name) as out:
                yield out
            # A temporary file is private (0600); the output gets the mode of the file it replaces,
            # or what a newly created file would get under the user's umask.
            os.chmod(tmp_name, _output_mode(path))
            os.replace(tmp_name, path)
            renamed = True
    finally:
        if not renamed:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _create(name: str) -> IO[bytes]:
    """A new file, private (0600) and never one that exists already, as tempfile makes them."""
    return os.fdopen(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), "wb")


def write_atomic(target: str | os.PathLike[str], data: bytes | Iterable[bytes]) -> int:
    """Write data (bytes, or pieces written as they come) to target whole or not at all; the bytes written."""
    size = 0
    with atomic_file(target) as out:
        for piece in [data] if isinstance(data, bytes) else data:
            out.write(piece)
            size += len(piece)
    return size


def _output_mode(target: Path) -> int:
    if target.exists():
        return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
