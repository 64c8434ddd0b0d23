"""A shared cache that may fail: pages get slower, never broken.

With several hosts the cache is Redis. When Redis is unreachable every read is a
miss and every write is dropped, so pages render uncached and forms keep working;
after a failure the cache is left alone for a few seconds, so that requests do
not each wait for a connection timeout. `/healthz` says when it is down.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# How long a process leaves the cache alone after it failed.
PAUSE_AFTER_FAILURE = 5.0
# What a read of a cache that is down gives back, by method.
FAILED_ANSWERS = {
    "get": lambda args, kwargs: kwargs.get(
        "default", args[1] if len(args) > 1 else None
    ),
    "add": lambda args, kwargs: False,
    "get_many": lambda args, kwargs: {},
    "has_key": lambda args, kwargs: False,
    "touch": lambda args, kwargs: False,
    "delete": lambda args, kwargs: False,
    "set_many": lambda args, kwargs: list(args[0]) if args else [],
}


class CacheUnavailable(ValueError):
    """The cache did not answer. A ValueError, as `incr` of a missing key raises,
    so that callers such as django-ratelimit treat it as an empty count."""


def _fail_soft(name):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return self._failed(name, args, kwargs)
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            self._down_until = time.monotonic() + PAUSE_AFTER_FAILURE
            logger.warning(
                "Cache unavailable (%s): serving without it", type(error).__name__
            )
            return self._failed(name, args, kwargs)

    return wrapper


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # An unreachable server answers within half a second, not a minute.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0

    def _failed(self, name, args, kwargs):
        if name in ("incr", "decr"):
            raise CacheUnavailable("The cache is unavailable")
        answer = FAILED_ANSWERS.get(name)
        return answer(args, kwargs) if answer else None

    def is_available(self) -> bool:
        """Whether the cache answers now (for /healthz), past any pause."""
        try:
            client = self._cache.get_client(write=False)
            return bool(client.ping())
        except (RedisError, OSError):
            return False


# Every call that reaches Redis fails soft.
for _name in (
    "get",
    "set",
    "add",
    "delete",
    "touch",
    "incr",
    "decr",
    "has_key",
    "get_many",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FailSoftRedisCache, _name, _fail_soft(_name))
