"""Write outputs so that a failure never leaves a half-written file where a good one was."""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)


STALE_SECONDS = 15 * 60  # a temporary file this old is a killed build's, not a running one's
# Temporary names carry the writer's process id: ``.<name>.<pid>.<random>.part`` beside the
# outputs, ``quizgen-anki-<pid>-<random>`` in the temporary folder. One whose process is gone is
# a killed build's, and the next run removes it whatever its age.
_PART = re.compile(r"\.(\d+)\.[^.]+\.part$")
_TEMP_DIR = re.compile(r"quizgen-anki-(\d+)-")
# The latest build time quizgen writes (zip member times end in 2107; a changed Anki note gets
# its previous time plus one): 2099-12-31 23:59:59 UTC.
MAX_TIME = 4_102_444_799
REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
           errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied",
           errno.EPERM: "permission denied", errno.ENOTDIR: "a part of the path is a file",
           errno.EISDIR: "it is a folder", errno.EEXIST: "a file of that name is in the way"}


def reason(exc: OSError) -> str:
    """Why a file could not be written, in words."""
    return REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def check_folder(out: Path) -> None:
    """Refuse, before any work, an ``--out`` that is a file or a folder quizgen cannot write
    into (read-only, or not the user's); a missing one is made when the outputs are written."""
    from quizgen.errors import QuizgenError

    if os.path.lexists(out) and not out.is_dir():
        what = "a file" if out.is_file() else "not a folder"
        raise QuizgenError(f"--out {out}: is {what}; give a folder to write into")
    folder = out
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        why = ("the file system is read-only" if _read_only(folder) else "permission denied")
        raise QuizgenError(f"--out {out}: cannot write into {folder}: {why}; nothing was "
                           "written")
    if not folder.is_dir():
        raise QuizgenError(f"--out {out}: a part of the path ({folder}) is a file, not a folder")


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


def ready_folder(out: Path) -> None:
    """Make the output folder (and say, as an error, why it cannot be one); remove the
    temporary files that killed builds left in it."""
    from quizgen.errors import QuizgenError

    if os.path.lexists(out) and not out.is_dir():
        raise QuizgenError(f"--out {out}: is a file, not a folder; give a folder to write into")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QuizgenError(f"--out {out}: cannot make the folder: {reason(exc)}") from None
    now = time.time()
    for leftover in out.glob(".*.part"):
        try:
            if leftover.is_file() and not leftover.is_symlink() and (
                    _gone(_PART.search(leftover.name))
                    or now - leftover.stat().st_mtime > STALE_SECONDS):
                leftover.unlink()
        except OSError as exc:
            log.debug("cannot remove %s: %s", leftover, exc)


def _gone(match: re.Match[str] | None) -> bool:
    """Whether the process whose id ``match`` holds has ended (on this machine)."""
    if match is None:
        return False
    pid = int(match[1])
    if pid == os.getpid() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):  # another user's process, or not a process id
        return False
    return False


def temp_prefix() -> str:
    """The prefix of quizgen's temporary folders: it names this process (``_gone``)."""
    return f"quizgen-anki-{os.getpid()}-"


def remove_stale_temp_dirs() -> None:
    """Remove the temporary folders of killed quizgen runs (their process is gone) that are
    the user's own, from the temporary folder."""
    root = Path(tempfile.gettempdir())
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        try:
            if not (entry.name.startswith("quizgen-anki-")
                    and entry.is_dir(follow_symlinks=False)
                    and (uid is None or entry.stat(follow_symlinks=False).st_uid == uid)
                    and _gone(_TEMP_DIR.match(entry.name))):
                continue
            shutil.rmtree(entry.path)
        except OSError as exc:
            log.debug("cannot remove %s: %s", entry.path, exc)


def write_all_or_none(files: Iterable[tuple[Path, bytes]]) -> None:
    """Write every file or none: each to a temporary file first; only when all are written
    (and synced) are they renamed into place. A failure (a full disk, a read-only folder)
    removes the temporary files and is an error naming the file and the cause. ``files`` may
    make each file's bytes as it is asked for: only one is then held at a time."""
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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part",
                               dir=path.parent)
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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part",
                               dir=path.parent)
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
    if not (value.isascii() and value.isdigit()):
        raise QuizgenError(f'SOURCE_DATE_EPOCH="{value}": expected a whole number of seconds '
                           "since 1970-01-01 UTC, such as the time of the last commit "
                           "(git log -1 --format=%ct)")
    digits = value.lstrip("0") or "0"
    if len(digits) > len(str(MAX_TIME)) or int(digits) > MAX_TIME:
        raise QuizgenError(f'SOURCE_DATE_EPOCH="{value}": later than the end of 2099 '
                           f"({MAX_TIME}), the latest build time quizgen writes; give the time "
                           "of the last commit (git log -1 --format=%ct)")
    return int(digits)
