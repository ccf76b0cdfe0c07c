"""Reading input files with limits: only regular files, their size checked before a byte is read.

A FIFO would block the reader for ever, ``/dev/zero`` never ends, and a 2 GB file would be read
whole before anyone said it is too large: each of these is a ``FileFault`` that says, in words,
what is at the path instead.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


class FileFault(Exception):
    """The file at a path cannot be read as an input; ``str()`` says why, in words."""


class FileTooLarge(FileFault):
    """The file is larger than the reader's limit (known from its size, before reading)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the file is {size / 2**20:.1f} MiB; at most {limit / 2**20:g} MiB "
                         "can be read")
        self.size = size
        self.limit = limit


def kind(mode: int) -> str:
    """What a file of ``mode`` is, in words: ``a FIFO (named pipe)``."""
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def present(path: Path) -> bool:
    """Whether something other than a folder is at ``path``: a file, a FIFO, a device, or a
    symbolic link (even a dangling one), so that a reader can say what is wrong with it instead
    of passing it over."""
    return os.path.lexists(path) and not path.is_dir()


def _stat(path: Path) -> os.stat_result:
    """The status of the file ``path`` names (through symbolic links), or a FileFault."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            try:
                target = os.readlink(path)
            except OSError:
                target = "a missing file"
            raise FileFault(f"a symbolic link to {target}, which does not exist") from None
        raise FileFault("no such file") from None
    except OSError as exc:
        raise FileFault(_why(exc)) from None


def _why(exc: OSError) -> str:
    from quizgen.output import reason

    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return reason(exc)


def regular_size(path: Path) -> int:
    """The size of the regular file at ``path``; a FileFault for anything else."""
    info = _stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise FileFault(f"it is {kind(info.st_mode)}, not a regular file")
    return info.st_size


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, if it holds at most ``limit`` of them.

    Its type and size are checked before anything is read (again on the open file, in case it
    was replaced), and no more than ``limit`` bytes are read even if it grows meanwhile.
    """
    size = regular_size(path)
    if size > limit:
        raise FileTooLarge(size, limit)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileFault(f"cannot open it: {_why(exc)}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileFault(f"it is {kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise FileFault(f"cannot read it: {_why(exc)}") from None
    if len(data) > limit:
        raise FileTooLarge(len(data), limit)
    return data


# Above this size, an input's digest is its size and times, not its bytes: a large file (a
# scanned document beside the deck) is not read on every run just to see whether it changed.
HASH_LIMIT = 64 * 2**20


def digest(path: Path) -> bytes:
    """A digest of the input at ``path`` for change detection: its bytes (read in blocks), or
    for a large file its size and times; what is not a regular file has a digest of its kind."""
    try:
        info = os.stat(path)
    except OSError:
        return b"missing"
    if not stat.S_ISREG(info.st_mode):
        return kind(info.st_mode).encode()
    if info.st_size > HASH_LIMIT:
        return f"large {info.st_size} {info.st_mtime_ns} {info.st_ino}".encode()
    sha = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return b"not a regular file"
            left = HASH_LIMIT + 1
            while left > 0 and (block := handle.read(min(left, 1 << 20))):
                sha.update(block)
                left -= len(block)
    except OSError:
        return b"unreadable"
    return sha.digest()
