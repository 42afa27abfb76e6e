"""Caches a process keeps, as objects: each bounded, each with its one lock, since a server's threads share them.

`LruCache(size)` holds at most `size` values by key and drops the least recently used first. A value is made
outside the lock (`get_or_make`): two threads may both make one, and the first stored wins, which is harmless
because a cached value depends on its key alone. Keys are values (a word, a segment's folder and id), never
`id()` of an object, which Python reuses once the object is gone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
_MISSING = object()


class LruCache(Generic[V]):
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default=None):
        with self._lock:
            value = self._items.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> V:
        """Store `value` unless another thread stored one first; the value kept is returned."""
        with self._lock:
            kept = self._items.setdefault(key, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            return kept

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        value = self.get(key, _MISSING)
        return self.put(key, make()) if value is _MISSING else value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
