"""The one-machine cache (文件缓存): Django's FileBasedCache with counters that cost one small file write.

The throttles (core/throttle.py) count every anonymous ticket in this cache. Django's FileBasedCache makes
each count expensive and racy: `incr()` is `get()` then `set()`, and every `set()` lists the whole cache
directory (`_cull`) and writes a temporary file that is renamed into place. Between gunicorn worker
processes two counts at once can also lose one. Here:

- `incr()` rewrites the value in place while holding an exclusive lock on the key's file (flock, which
  holds between processes and between threads that each open the file), so counts are atomic across
  workers and never list the directory;
- `add()` links its temporary file into place, which fails if another process added the key first, so
  two first counts in the same window cannot both win;
- `get()` and `has_key()` read under a shared lock, so they never see a counter half rewritten;
- the directory is listed for culling only every `CULL_EVERY` writes of a process, not on every write;
- keys are not checked for memcached's limits: they only ever become md5 file names.

With SERVICEHALL_REDIS_URL set the cache is Redis and this class is not used (settings.py).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

CULL_EVERY = 50  # writes per process between two listings of the directory


class CountingFileCache(FileBasedCache):
    # FileBasedCache's private helpers, which django-stubs does not declare (annotations only: the
    # inherited methods are used as they are)
    _dir: str
    _key_to_file: Callable[..., str]
    _is_expired: Callable[[Any], bool]
    _createdir: Callable[[], None]
    _write_content: Callable[[Any, Any, Any], None]

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._writes = 0
        self._writes_lock = threading.Lock()

    def _cull(self) -> None:
        # Listing the directory is the costly part of a write; a few entries over MAX_ENTRIES between
        # two listings are harmless.
        with self._writes_lock:
            self._writes += 1
            due = self._writes % CULL_EVERY == 1
        if due:
            super()._cull()  # type: ignore[misc]  # private in Django, undeclared in django-stubs

    def validate_key(self, key: str) -> None:
        """Any key is fine here: a key becomes the md5 of itself as a file name. Django's check warns about
        keys memcached would refuse, character by character, and cost more than the read it guarded
        (every signed-in request reads its session from this cache)."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                locks.lock(f, locks.LOCK_SH)
                try:
                    if not self._is_expired(f):
                        return pickle.loads(zlib.decompress(f.read()))
                finally:
                    if not f.closed:
                        locks.unlock(f)
        except FileNotFoundError:
            pass
        return default

    def has_key(self, key: str, version: int | None = None) -> bool:
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "rb") as f:
                locks.lock(f, locks.LOCK_SH)
                try:
                    return not self._is_expired(f)
                finally:
                    if not f.closed:
                        locks.unlock(f)
        except FileNotFoundError:
            return False

    def add(
        self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        if self.has_key(key, version):  # also removes an expired file, so the link below can succeed
            return False
        self._createdir()
        fname = self._key_to_file(key, version)
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            try:
                os.link(tmp_path, fname)  # atomic: fails when the key's file exists
            except FileExistsError:
                return False
            return True
        finally:
            os.remove(tmp_path)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        fname = self._key_to_file(key, version)
        try:
            with open(fname, "r+b") as f:
                locks.lock(f, locks.LOCK_EX)
                try:
                    expiry = pickle.load(f)
                    if expiry is not None and expiry < time.time():
                        raise ValueError(f"Key '{key}' not found")
                    value = pickle.loads(zlib.decompress(f.read())) + delta
                    f.seek(0)
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                    f.truncate()
                    f.flush()
                finally:
                    locks.unlock(f)
        except (FileNotFoundError, EOFError):
            raise ValueError(f"Key '{key}' not found") from None
        return value  # type: ignore[no-any-return]  # the stored counter
