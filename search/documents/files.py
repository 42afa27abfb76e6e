"""Finding the input files under the sources and reading their bytes, never stopping on one path.

Vocabulary:
- SourceFile: a release or record file (`.txt`, `.jsonl`) found under a source, with the folder it was found under
  (its `root`: ids are relative to it) and its stamp.
- stamp: "relative path|size:mtime_ns:ctime_ns|manifest stamp". Equal stamps, unchanged file: the same test as
  git's and rsync's (a rewrite that keeps the size and both nanosecond times is not seen). `stamp_path` reads the
  path back out of one.
- a path that cannot be a release is a `Skipped` with its reason, and the walk goes on: a symlink loop, a dangling
  link, a FIFO, socket or device, a name that is not valid UTF-8 (shown with escapes, `caf\\xe9.txt`), a folder
  that cannot be listed, a link to a folder (not followed: its files are indexed where they are), and a link that
  leaves the source folder (`/etc/passwd`) unless links are followed (`follow_symlinks`). A folder reached twice
  through links is walked once. A path named on the command line is taken as it is.

Files are opened without blocking and read only when they are regular files within the size limit, so a FIFO
swapped in after the listing, or a huge file, cannot hang or exhaust a run.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .items import Skipped
from .text import Decoded, decode_text

RELEASE_SUFFIXES = (".txt",)
RECORD_SUFFIXES = (".jsonl",)
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
YEAR_FOLDER = re.compile(r"^(19|20)[0-9][0-9]$")
FOLLOW_HINT = "not followed without --follow-symlinks"
KINDS = {stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


@dataclass(frozen=True)
class SourceFile:
    """One input file with the folder it was found under (ids are relative to that root), and its stamp."""

    path: str | os.PathLike  # the listing's string (no Path built per file of a large archive), or a Path
    root: Path
    stamp: str = ""
    relative_path: str = ""  # as the listing found it: `relative` without a Path.relative_to per file

    @property
    def relative(self) -> str:
        if self.relative_path:
            return self.relative_path
        path = Path(self.path)
        return path.relative_to(self.root).as_posix() if path != self.root else path.name

    @property
    def context_year(self) -> int | None:
        """The year of the nearest enclosing folder named like `2024/`, if any."""
        for part in reversed(self.relative.split("/")[:-1]):
            if YEAR_FOLDER.match(part):
                return int(part)
        return None

    @property
    def is_records(self) -> bool:
        return os.path.splitext(self.relative)[1].lower() in RECORD_SUFFIXES


def shown(name: str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 as escapes ("caf\\xe9.txt")."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    return error.strerror or str(error)


def manifest_stamp(folder: Path) -> str:
    """The size and change time of the folder's manifests: a changed manifest changes every stamp under it."""
    stamps = []
    for name in MANIFEST_NAMES:
        try:
            st = os.stat(folder / name)
        except OSError:
            continue
        stamps.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return ",".join(stamps)


def make_stamp(relative: str, st: os.stat_result, manifest: str) -> str:
    return f"{relative}|{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}|{manifest}"


def stamp_path(stamp: str) -> str:
    """The relative path a stamp was made for (see `make_stamp`)."""
    return stamp.split("|", 1)[0]


@dataclass
class _Walk:
    """One source folder's walk: its root, where links may lead, and the folders already walked."""

    root: Path
    follow_symlinks: bool
    real_root: str = ""
    manifest: str = ""
    walked: set[tuple[int, int]] = field(default_factory=set)

    def relative(self, path: str) -> str:
        return path[len(str(self.root)) + 1 :].replace(os.sep, "/")

    def inside(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real == self.real_root or real.startswith(self.real_root.rstrip(os.sep) + os.sep)


def list_files(sources: list[Path], follow_symlinks: bool = False) -> Iterator[SourceFile | Skipped]:
    """Every release and record file under the sources, in a stable order (sorted names, folders walked
    depth-first), and every path that looks like one but cannot be read, as a `Skipped`."""
    for source in sources:
        yield from _list_source(Path(source), follow_symlinks)


def _list_source(source: Path, follow_symlinks: bool) -> Iterator[SourceFile | Skipped]:
    try:
        st = os.stat(source)
    except OSError as error:
        yield Skipped(shown(str(source)), os_reason(error))
        return
    if stat.S_ISDIR(st.st_mode):
        walk = _Walk(source, follow_symlinks, os.path.realpath(source), manifest_stamp(source))
        walk.walked.add((st.st_dev, st.st_ino))
        yield from _walk(walk, str(source))
    elif stat.S_ISREG(st.st_mode):
        yield SourceFile(source, source.parent, make_stamp(source.name, st, manifest_stamp(source.parent)))
    else:
        yield Skipped(shown(source.name), _kind_reason(st.st_mode))


def _kind_reason(mode: int) -> str:
    return f"not a regular file ({KINDS.get(stat.S_IFMT(mode), 'a special file')})"


def _walk(walk: _Walk, folder: str) -> Iterator[SourceFile | Skipped]:
    """Depth-first in name order, with a stack of folders being listed (not recursion: any depth is walked)."""
    listing = [_entries(walk, folder)]
    while listing:
        entry = next(listing[-1], None)
        if entry is None:
            listing.pop()
        elif isinstance(entry, Skipped):
            yield entry
        else:
            found = _entry(walk, entry)
            if isinstance(found, str):
                listing.append(_entries(walk, found))
            elif found is not None:
                yield found


def _entries(walk: _Walk, folder: str) -> Iterator[os.DirEntry | Skipped]:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield Skipped(shown(walk.relative(folder) or "."), f"cannot list folder: {os_reason(error)}", keep_indexed=True)
        return
    yield from entries


def _entry(walk: _Walk, entry: os.DirEntry) -> SourceFile | Skipped | str | None:
    """The file, the skip, or the folder to walk (its path) an entry is; None for what is no input."""
    relative = walk.relative(entry.path)
    if not _may_be_input(entry):
        return None  # other files beside the releases (a README, a PDF, the manifests) are no releases
    try:
        st = entry.stat()  # follows a link: what the path is
    except OSError as error:
        return Skipped(shown(relative), _missing_reason(entry, error))
    is_dir = stat.S_ISDIR(st.st_mode)
    problem = _problem(walk, entry, is_dir)
    if problem:
        return Skipped(shown(relative), problem)
    if is_dir:
        return _folder(walk, entry.path, relative, st)
    if stat.S_ISREG(st.st_mode):
        return SourceFile(entry.path, walk.root, make_stamp(relative, st, walk.manifest), relative)
    return Skipped(shown(relative), _kind_reason(st.st_mode))


def _may_be_input(entry: os.DirEntry) -> bool:
    """A release or record file by its name, or a folder (without a system call for most entries)."""
    if entry.name in MANIFEST_NAMES:
        return False
    if os.path.splitext(entry.name)[1].lower() in RELEASE_SUFFIXES + RECORD_SUFFIXES:
        return True
    try:
        return entry.is_dir()
    except OSError:
        return False


def _missing_reason(entry: os.DirEntry, error: OSError) -> str:
    if error.errno == errno.ENOENT and entry.is_symlink():
        return f"dangling symbolic link (to {shown(os.readlink(entry.path))}, which does not exist)"
    return os_reason(error)


def _problem(walk: _Walk, entry: os.DirEntry, is_dir: bool) -> str | None:
    """Why this file or folder is not read, if it is not."""
    if shown(entry.name) != entry.name:
        what = "folder" if is_dir else "file"
        return f"{what} name is not valid UTF-8: rename it to index {'its files' if is_dir else 'it'}"
    if not entry.is_symlink() or walk.follow_symlinks:
        return None
    if not walk.inside(entry.path):
        return f"symbolic link out of the source folder (to {shown(os.path.realpath(entry.path))}): {FOLLOW_HINT}"
    if is_dir:
        return f"symbolic link to a folder: {FOLLOW_HINT} (its files inside the source folder are indexed where they are)"
    return None


def _folder(walk: _Walk, path: str, relative: str, st: os.stat_result) -> str | Skipped:
    key = (st.st_dev, st.st_ino)  # (folders reached through links only: without links, no folder comes twice)
    if key in walk.walked:
        return Skipped(shown(relative), "folder already walked (a link loop)")
    walk.walked.add(key)
    return path


def read_bytes(file: SourceFile, limit: int) -> bytes | Skipped:
    """The file's bytes, or why not: it cannot be opened or read, is no regular file (any more), or is over `limit`."""
    try:
        descriptor = os.open(file.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        return Skipped(file.relative, f"cannot read: {os_reason(error)}", keep_indexed=True)
    try:
        with os.fdopen(descriptor, "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode):
                return Skipped(file.relative, _kind_reason(st.st_mode))
            # as much as fstat says (a read of `limit` bytes would allocate that much for every small file),
            # then whatever it grew by since, up to the limit
            data = handle.read(st.st_size + 1) if st.st_size <= limit else b""
            if st.st_size < len(data) <= limit:
                data += handle.read(limit + 1 - len(data))
    except OSError as error:
        return Skipped(file.relative, f"cannot read: {os_reason(error)}", keep_indexed=True)
    size = max(st.st_size, len(data))
    if size > limit:
        reason = f"too large for a press release ({size / 2**20:.1f} MB, limit {limit // 2**20} MB)"
        return Skipped(file.relative, reason, keep_indexed=True)
    return data


def read_text(file: SourceFile, limit: int) -> Decoded | Skipped:
    """The file's text and how it was decoded (see `text.decode_text`), or why not."""
    data = read_bytes(file, limit)
    if isinstance(data, Skipped):
        return data
    decoded = decode_text(data)
    return decoded if decoded is not None else Skipped(file.relative, "binary file, not text", keep_indexed=True)
