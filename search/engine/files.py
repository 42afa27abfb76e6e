"""How an index's files are read: one open searcher shared by many request threads, without copies.

Vocabulary:
- PreadFile: a read-only file whose read position is per thread; every read is one `os.pread`, so threads that
  share a searcher never move each other's position (Whoosh's plain files seek, then read).
- ThreadSafeStorage: Whoosh's FileStorage that opens files for reading as PreadFiles. Writing is unchanged.

Why: Whoosh reads a compound segment by copying each part into memory (over 1 GB at 100,000 releases), so the
writers keep segments as separate files (see `writer`); and separate files opened the plain way are not safe to
share between threads. An open PreadFile also keeps reading a file a newer rebuild has deleted.
"""

from __future__ import annotations

import os
import threading

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from . import whoosh_internals


class PreadFile:
    def __init__(self, path: str):
        self.name = path
        self._fd = os.open(path, os.O_RDONLY)
        self._size = os.fstat(self._fd).st_size
        self._local = threading.local()
        self.closed = False

    def _position(self) -> int:
        return getattr(self._local, "position", 0)

    def read(self, size: int | None = -1) -> bytes:
        position = self._position()
        if size is None or size < 0:
            size = max(0, self._size - position)
        data = os.pread(self._fd, size, position)
        self._local.position = position + len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        position, chunks = self._position(), []
        while True:
            chunk = os.pread(self._fd, 256, position)
            if not chunk:
                break
            end = chunk.find(b"\n")
            if end >= 0:
                chunks.append(chunk[: end + 1])
                position += end + 1
                break
            chunks.append(chunk)
            position += len(chunk)
        line = b"".join(chunks)
        if size is not None and size >= 0 and len(line) > size:
            position -= len(line) - size
            line = line[:size]
        self._local.position = position
        return line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._position(), 2: self._size}[whence]
        self._local.position = base + offset
        return self._local.position

    def tell(self) -> int:
        return self._position()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self._fd)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class ThreadSafeStorage(FileStorage):
    def open_file(self, name, **kwargs):
        return StructFile(PreadFile(whoosh_internals.storage_path(self, name)), name=name, **kwargs)
