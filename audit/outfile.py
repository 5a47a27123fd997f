"""Where the command line writes a file: only a new path or a regular file is replaced, and no run leaves litter.

- :func:`check_target` refuses a symbolic link, a folder, a device (such as
  ``/dev/null``), a FIFO or a socket before anything is written, and a path
  whose folder does not exist; the message is one line.
- :func:`private_temp` gives one run a folder of its own next to the target,
  ``.NAME.<random>.tmp/``, and points Python's temporary files there (the
  workbook writer's row files go there too). A lock on ``.lock`` inside it
  says the run is alive; the folder is removed when the run ends. It sets
  the process-wide ``tempfile.tempdir``, so it is for the command line only,
  never for the app's server.
- :func:`remove_stale` removes what killed runs left next to the target: the
  private folders whose lock nobody holds, and ``.NAME.*.tmp`` files of the
  atomic write when no run on that target is alive.

The file itself is written with :func:`audit.workbook.write_atomically`
(temporary file in the same folder, fsync, rename).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, stale folders are left alone
    fcntl = None  # type: ignore[assignment]

_LOCK = ".lock"


class OutputRefused(ValueError):
    """The output path cannot be used; the message is one line for a person."""


def check_target(path: str | os.PathLike[str]) -> Path:
    """The path to write, or :class:`OutputRefused` when it is not a new path or a regular file."""
    text = os.fspath(path)
    if not text.strip():
        raise OutputRefused("give a file name to write, like plan.xlsx")
    target = Path(text)
    folder = target.parent
    if not folder.is_dir():
        reason = "is not a folder" if folder.exists() else "does not exist"
        raise OutputRefused(f"cannot write {target}: {folder} {reason}")
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as err:
        raise OutputRefused(f"cannot write {target}: {err.strerror or err}") from None
    if stat.S_ISLNK(mode):
        raise OutputRefused(f"{target} is a symbolic link; it is left as it is. Give the path of a new or regular file")
    if stat.S_ISDIR(mode):
        raise OutputRefused(f"{target} is a folder; give a file name like {target / 'plan.xlsx'}")
    if not stat.S_ISREG(mode):
        raise OutputRefused(f"{target} is not a regular file (a device, pipe or socket); it is left as it is")
    return target


def _prefix(target: Path) -> str:
    return f".{target.name}."


def _try_lock(lock_path: Path) -> int | None:
    """An exclusive lock on ``lock_path`` (its descriptor), or ``None`` when a live run holds it."""
    if fcntl is None:  # pragma: no cover
        return None
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def remove_stale(target: Path) -> int:
    """Remove temporary files and folders that killed runs left next to ``target``; returns how many."""
    folder = target.parent
    prefix = _prefix(target)
    removed, alive = 0, False
    leftovers: list[Path] = []
    for entry in folder.iterdir() if folder.is_dir() else ():
        if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
            continue
        mode = os.lstat(entry).st_mode
        if stat.S_ISDIR(mode):
            fd = _try_lock(entry / _LOCK)
            if fd is None:
                alive = True
                continue
            shutil.rmtree(entry, ignore_errors=True)
            os.close(fd)
            removed += 1
        elif stat.S_ISREG(mode):
            leftovers.append(entry)
    if not alive:
        for entry in leftovers:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed += 1
    return removed


@contextlib.contextmanager
def private_temp(target: Path) -> Iterator[Path]:
    """A locked folder of this run's own next to ``target``; Python's temporary files go there meanwhile."""
    folder = Path(tempfile.mkdtemp(prefix=_prefix(target), suffix=".tmp", dir=target.parent))
    fd = _try_lock(folder / _LOCK)
    before = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = before
        shutil.rmtree(folder, ignore_errors=True)
        if fd is not None:
            os.close(fd)
