"""The one-machine file cache: throttle counters stay exact between worker processes (INT-2, Q-1)."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from django.core.cache.backends.filebased import FileBasedCache

from servicehall.core import filecache
from servicehall.core.filecache import CountingFileCache


def _cache(tmp_path: Path) -> CountingFileCache:
    return CountingFileCache(str(tmp_path / "cache"), {})


def _count(directory: str, times: int) -> None:
    cache = CountingFileCache(directory, {})
    for _ in range(times):
        cache.incr("throttle-key")


def test_int_2__counter_from_four_processes__no_count_lost(tmp_path):
    cache = _cache(tmp_path)
    assert cache.add("throttle-key", 0, 60)
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_count, args=(cache._dir, 200)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0] * 4
    assert cache.get("throttle-key") == 800


def test_int_2__add_is_first_writer_wins_and_incr_keeps_the_expiry(tmp_path):
    cache = _cache(tmp_path)
    assert cache.add("k", 1, 60) is True
    assert cache.add("k", 1, 60) is False
    assert cache.incr("k") == 2
    assert cache.incr("k", 5) == 7
    assert cache.get("k") == 7
    assert cache.has_key("k")
    # Same file format as Django's FileBasedCache: either class reads the other's entries.
    assert FileBasedCache(cache._dir, {}).get("k") == 7


def test_int_2__expired_counter__incr_refuses_and_add_starts_a_new_window(tmp_path):
    cache = _cache(tmp_path)
    cache.add("k", 5, 1)
    time.sleep(1.1)
    try:
        cache.incr("k")
    except ValueError:
        pass
    else:
        raise AssertionError("an expired counter must not be counted on")
    assert cache.get("k") is None
    assert cache.add("k", 1, 60) is True
    assert cache.get("k") == 1


def test_int_2__missing_counter__incr_raises_like_django(tmp_path):
    cache = _cache(tmp_path)
    try:
        cache.incr("nothing")
    except ValueError:
        return
    raise AssertionError("incr of a missing key raises ValueError")


def test_directory_listed_once_per_cull_every_writes(tmp_path, monkeypatch):
    cache = _cache(tmp_path)
    listings = []
    original = FileBasedCache._list_cache_files

    def counted(self):
        listings.append(1)
        return original(self)

    monkeypatch.setattr(FileBasedCache, "_list_cache_files", counted)
    for n in range(2 * filecache.CULL_EVERY):
        cache.set(f"k{n}", n)
    assert len(listings) == 2
    assert cache.get("k7") == 7


def test_any_key_is_stored_without_memcached_warnings(tmp_path):
    """A key becomes an md5 file name, so keys memcached would refuse (spaces, 250+ characters) are fine
    and cost no per-character check."""
    import warnings

    cache = _cache(tmp_path)
    key = "会话 django.contrib.sessions " * 20
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's base check warns (CacheKeyWarning) for this key
        cache.set(key, {"a": 1})
        assert cache.get(key) == {"a": 1}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        FileBasedCache(str(tmp_path / "plain"), {}).set(key, 1)
    assert caught  # the stock backend does warn: the override is what keeps it quiet
