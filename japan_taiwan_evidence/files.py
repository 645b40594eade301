"""Writing files safely (core): atomic writes, a notebook's outputs published together, one build at a time.

Every file the collection writes goes through :func:`write_bytes` / :func:`write_text`: the content goes
to a temporary file in the same folder, is flushed to disk, then renamed over the target, so a reader
(or a crash) sees the old file or the new one, never half of one.

A notebook's figures are *staged*: while a :func:`staging` block is open, :func:`write_bytes` writes
into a private folder instead, and only when the block ends without error are the staged files renamed
into place, one by one, each atomically. A notebook that fails or is interrupted leaves its previous
figures, index entries and notebook exactly as they were.

:func:`build_lock` keeps two builds (``make figures`` twice, or JupyterLab running a notebook while a
build runs it) from writing at once: the second waits a bounded time, then stops with a clear message.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

__all__ = ["write_bytes", "write_text", "staging", "build_lock", "BuildLocked"]

# The open staging area of this process, if any: {final path: staged temporary path}.
_STAGED: dict[Path, Path] | None = None
_STAGE_DIR: Path | None = None


def _atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(path, data: bytes) -> Path:
    """Write `data` to `path` atomically (or into the open staging area, published when it closes)."""
    path = Path(path).resolve()
    if _STAGED is not None and _STAGE_DIR is not None:
        staged = _STAGE_DIR / f"{len(_STAGED):04d}_{path.name}"
        staged.write_bytes(data)
        _STAGED[path] = staged
        return path
    _atomic(path, data)
    return path


def write_text(path, text: str) -> Path:
    """Write UTF-8 text with '\\n' line ends, atomically."""
    return write_bytes(path, text.encode("utf-8"))


def read_current(path) -> bytes | None:
    """The bytes a path will hold once the open staging area is published (for read-modify-write files
    such as figures/index.csv); None if it does not exist."""
    path = Path(path).resolve()
    if _STAGED is not None and path in _STAGED:
        return _STAGED[path].read_bytes()
    return path.read_bytes() if path.exists() else None


@contextlib.contextmanager
def staging():
    """Stage every write in this block; publish all of them only if the block ends without error.

    Nested use joins the outer block. On an error (or KeyboardInterrupt) nothing is published and the
    staged files are removed.
    """
    global _STAGED, _STAGE_DIR
    if _STAGED is not None:
        yield
        return
    _STAGE_DIR = Path(tempfile.mkdtemp(prefix="jte-stage-"))
    _STAGED = {}
    try:
        yield
        staged, _STAGED = _STAGED, None
        for final, tmp in staged.items():
            _atomic(final, tmp.read_bytes())
    finally:
        _STAGED = None
        shutil.rmtree(_STAGE_DIR, ignore_errors=True)
        _STAGE_DIR = None


def is_staging() -> bool:
    return _STAGED is not None


class BuildLocked(RuntimeError):
    """Another build holds the lock on this folder's outputs."""


@contextlib.contextmanager
def build_lock(lock_path, wait_s: float = 0.0, what: str = "a build"):
    """Hold an exclusive lock on `lock_path` (a file under build/) for the block.

    Waits up to `wait_s` seconds for another holder, then raises BuildLocked naming the lock file.
    The lock is an OS file lock: it is released when the holding process ends, even if killed.
    Re-entrant within one process (a notebook run by the build does not wait for its own build).
    """
    lock_path = Path(lock_path)
    if os.environ.get("JTE_BUILD_LOCK_HELD") == str(lock_path.resolve()):
        yield
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(lock_path, "a+")
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLocked(
                        f"{what} is already writing the collection's outputs (lock {lock_path.name} "
                        f"in {lock_path.parent.name}/); wait for it to finish, then run again") from None
                time.sleep(0.2)
        os.environ["JTE_BUILD_LOCK_HELD"] = str(lock_path.resolve())
        try:
            yield
        finally:
            os.environ.pop("JTE_BUILD_LOCK_HELD", None)
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
    finally:
        fh.close()
