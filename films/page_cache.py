"""In-process caches of the film list, exact because each entry belongs to one catalogue version."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")
# What selectors.catalogue_version() returns: (writing transaction id, statement counter).
Version = tuple[int, int]


class VersionedCache(Generic[Value]):
    """A least-recently-used map whose entries all belong to one catalogue version.

    `get(key, version)` answers only for the version the entries were stored under; the first
    call with another version empties the cache and adopts it, so nothing computed from an older
    (or newer) catalogue is ever served for this one. Bounded by the summed `size` of its entries.
    Safe to share between the threads of one worker process.
    """

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._entries: OrderedDict[Hashable, tuple[Value, int]] = OrderedDict()
        self._size = 0
        self._version: Version | None = None
        self._lock = threading.Lock()

    def get(self, key: Hashable, version: Version) -> Value | None:
        with self._lock:
            if version != self._version:
                self._reset(version)
                return None
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, version: Version, value: Value, size: int = 1) -> None:
        if size > self.max_size:
            return
        with self._lock:
            if version != self._version:
                self._reset(version)
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (value, size)
            self._size += size
            while self._size > self.max_size:
                _, (_, evicted) = self._entries.popitem(last=False)
                self._size -= evicted

    def __contains__(self, key: Hashable) -> bool:
        """Whether `key` has an entry, of whatever version (a hint: it may go at any time)."""
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._reset(None)

    def _reset(self, version: Version | None) -> None:
        self._entries.clear()
        self._size = 0
        self._version = version
