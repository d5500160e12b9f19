"""Results cached by a hash of the canonical request (sorted keys, validated values)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

__all__ = ["ResultCache", "request_key"]


def request_key(kind: str, request: Any) -> str:
    """SHA-256 of the canonical JSON of ``(kind, request)``: same request, same key."""
    text = json.dumps([kind, request], sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResultCache:
    """A thread-safe LRU map from request key to the serialised JSON answer (bytes)."""

    def __init__(self, entries: int) -> None:
        self._entries = max(0, int(entries))
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: str, value: bytes) -> None:
        if self._entries == 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._entries:
                self._data.popitem(last=False)

    def get_or_compute(self, key: str, compute: Callable[[], bytes]) -> tuple[bytes, bool]:
        """(answer, True if it came from the cache)."""
        hit = self.get(key)
        if hit is not None:
            return hit, True
        value = compute()
        self.put(key, value)
        return value, False

    def __len__(self) -> int:
        return len(self._data)
