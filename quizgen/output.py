"""Write outputs so that a failure never leaves a half-written file where a good one was."""

from __future__ import annotations

import errno
import logging
import os
import tempfile
import time
from pathlib import Path

log = logging.getLogger(__name__)


STALE_SECONDS = 15 * 60  # a temporary file this old is a killed build's, not a running one's
REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
           errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
           errno.EPERM: "permission denied", errno.ENOTDIR: "a part of the path is a file",
           errno.EISDIR: "it is a folder", errno.EEXIST: "a file of that name is in the way"}


def reason(exc: OSError) -> str:
    """Why a file could not be written, in words."""
    return REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def ready_folder(out: Path) -> None:
    """Make the output folder (and say, as an error, why it cannot be one); remove the
    temporary files that killed builds left in it."""
    from quizgen.errors import QuizgenError

    if out.exists() and not out.is_dir():
        raise QuizgenError(f"--out {out}: is a file, not a folder; give a folder to write into")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QuizgenError(f"--out {out}: cannot make the folder: {reason(exc)}") from None
    now = time.time()
    for leftover in out.glob(".*.part"):
        try:
            if leftover.is_file() and now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError as exc:
            log.debug("cannot remove %s: %s", leftover, exc)


def write_all_or_none(files: list[tuple[Path, bytes]]) -> None:
    """Write every file or none: each to a temporary file first; only when all are written
    (and synced) are they renamed into place. A failure (a full disk, a read-only folder)
    removes the temporary files and is an error naming the file and the cause."""
    from quizgen.errors import QuizgenError

    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            try:
                staged.append((_stage(path, data), path))
            except OSError as exc:
                raise QuizgenError(f"cannot write {path}: {reason(exc)}; nothing was written, "
                                   "the previous outputs are as they were") from None
        for done, (tmp, path) in enumerate(staged):
            try:
                os.replace(tmp, path)
            except OSError as exc:
                kept = "" if done == 0 else f" ({done} of {len(staged)} files were replaced)"
                raise QuizgenError(f"cannot write {path}: {reason(exc)}{kept}") from None
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def _stage(path: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes files private; outputs are not
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes files private; outputs are not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def umask() -> int:
    """The process's file-creation mask (read without changing it for long)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def build_time() -> int:
    """The build's time in seconds: ``SOURCE_DATE_EPOCH`` when set, for reproducible builds."""
    from quizgen.errors import QuizgenError

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return int(time.time())
    if not value.isdigit():
        raise QuizgenError(f'SOURCE_DATE_EPOCH="{value}": expected a whole number of seconds '
                           "since 1970-01-01 UTC, such as the time of the last commit "
                           "(git log -1 --format=%ct)")
    return int(value)
