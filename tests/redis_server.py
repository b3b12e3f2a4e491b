"""Redis for the tests: the machine's server (TEST_REDIS_URL) under a key prefix per use, or a
private redis-server of a test's own that it can stop (an outage)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis

from tests.live import free_port

# The Redis database the tests use; each test's keys carry a prefix of its own (KEY_PREFIX).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
# Seconds to wait for a private redis-server to answer PING.
STARTUP_TIMEOUT = 10.0


def new_key_prefix() -> str:
    return f"pagila-test-{uuid.uuid4().hex[:12]}"


def redis_cache(url: str, key_prefix: str) -> dict[str, object]:
    """A CACHES entry for Django's RedisCache at `url`, as CACHE_URL would configure it."""
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
    }


def keys_under(key_prefix: str, url: str = REDIS_URL) -> dict[str, int]:
    """The keys stored under `key_prefix`, each with its time to live in seconds (-1: none)."""
    client = redis.Redis.from_url(url)
    return {key.decode(): int(client.ttl(key)) for key in client.scan_iter(f"{key_prefix}:*")}


def delete_keys_under(key_prefix: str, url: str = REDIS_URL) -> None:
    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(f"{key_prefix}:*"))
    if keys:
        client.delete(*keys)


@contextmanager
def private_redis() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A redis-server of this test's own on a free loopback port, keeping nothing on disk.

    Yields its URL and its process (terminate it to take Redis away); stopped on exit.
    """
    port = free_port()
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.05)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=10)
