"""Where an index lives on disk, and how a new one replaces the live one atomically.

Vocabulary:
- index root: the folder given by `--index` / `DEPESCHE_INDEX` / `./index`.
- generation: one complete Whoosh index in `ROOT/gen-<timestamp>-<pid>/`, with a `build.json` beside its files.
- current: the symlink `ROOT/current` naming the live generation. Readers resolve it once per searcher;
  a rebuild writes a new generation and then swaps the symlink with one `rename`, so a reader sees either the
  old index or the new one, never a half-built one.
- writer lock: `ROOT/.lock`, held with `flock` by the one run that writes. The kernel drops it when that run
  dies, even by `kill -9`, and the next run deletes the generations the dead one left behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index

from ..errors import IndexBusy, IndexMissing
from .files import ThreadSafeStorage
from .schema import build_schema

CURRENT = "current"
LOCK = ".lock"
BUILD_INFO = "build.json"
GENERATION_PREFIX = "gen-"

class HeldLocks:
    """The file descriptors of the writer locks this process holds (the process's one `HELD_LOCKS`)."""

    def __init__(self):
        self._descriptors: set[int] = set()
        self._lock = threading.Lock()

    def add(self, descriptor: int) -> None:
        with self._lock:
            self._descriptors.add(descriptor)

    def discard(self, descriptor: int) -> None:
        with self._lock:
            self._descriptors.discard(descriptor)

    def drop_inherited(self) -> None:
        """In a forked child (an indexing worker), first thing: close the parent's lock descriptors. A child that
        kept them would keep the lock alive after its parent was killed, and the next run would wrongly find
        the index busy. The child has one thread: the lock, copied in whatever state, is made anew."""
        self._lock = threading.Lock()
        for descriptor in self._descriptors:
            try:
                os.close(descriptor)
            except OSError:
                pass
        self._descriptors.clear()


HELD_LOCKS = HeldLocks()


def current_generation(root: Path) -> Path:
    """The live generation folder; IndexMissing if there is none."""
    link = root / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        raise IndexMissing(f"no index at {root} (build one with: depesche index SOURCE --index {root})") from None
    generation = root / target
    if not whoosh_index.exists_in(str(generation)):
        raise IndexMissing(f"the index at {root} is incomplete; rebuild it with: depesche index SOURCE")
    return generation


def exists(root: Path) -> bool:
    try:
        current_generation(root)
    except IndexMissing:
        return False
    return True


def open_generation(generation: Path):
    try:
        # files read with per-thread positions (see `files`): one searcher serves every request thread
        return whoosh_index.FileIndex(ThreadSafeStorage(str(generation)))  # the default index name, as create_in
    except (AttributeError, ImportError, ModuleNotFoundError, EOFError) as error:
        # the schema names analysis classes by import path: an index from another version cannot load them
        raise IndexMissing(
            f"the index at {generation.parent} was built by another version of Depesche ({error}); "
            "rebuild it with: depesche index SOURCE"
        ) from None


def read_build_info(generation: Path) -> dict:
    try:
        return json.loads((generation / BUILD_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_build_info(generation: Path, info: dict) -> None:
    (generation / BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")


@contextmanager
def writer_lock(root: Path):
    """Hold the index's writer lock, or raise IndexBusy at once if another run holds it."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise IndexBusy(
                f"another 'depesche index' run is writing {root}{f' (pid {holder})' if holder else ''}; "
                "wait for it to finish and try again"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        HELD_LOCKS.add(handle.fileno())
        try:
            yield
        finally:
            HELD_LOCKS.discard(handle.fileno())
            handle.seek(0)
            handle.truncate()


def new_generation(root: Path):
    """Create an empty generation folder with a fresh index in it (the caller holds the lock)."""
    name = f"{GENERATION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    generation = root / name
    generation.mkdir(parents=True)
    return generation, whoosh_index.create_in(str(generation), build_schema())


def switch_to(root: Path, generation: Path) -> None:
    """Make `generation` the live index in one atomic rename."""
    temporary = root / f".{CURRENT}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(generation.name, temporary)
    os.replace(temporary, root / CURRENT)


def remove_stale_generations(root: Path, keep: tuple[Path, ...] = ()) -> list[str]:
    """Delete generation folders that are not live and not kept (the caller holds the lock)."""
    try:
        live = current_generation(root).name
    except IndexMissing:
        live = None
    kept = {path.name for path in keep} | {live}
    removed = []
    for path in root.glob(f"{GENERATION_PREFIX}*"):
        if path.is_dir() and path.name not in kept:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    for leftover in root.glob(f".{CURRENT}.*"):
        leftover.unlink(missing_ok=True)
    return removed
