"""Database work from the assistant's async code, its connection handed back to the pool at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from asgiref.sync import sync_to_async
from django.db import connection

Params = ParamSpec("Params")
Result = TypeVar("Result")


def database_call(function: Callable[Params, Result]) -> Callable[Params, Awaitable[Result]]:
    """`function` run on the request's sync thread; its connection goes back to the pool after.

    An async view's sync calls all run on its request's thread with that thread's connection,
    which Django hands back to the pool only when the response ends. A stream would hold one
    for its whole answer, so a worker's pool (DB_POOL_MAX_SIZE) would cap the streams it can
    serve at once. Inside a transaction (the test suite's) the connection stays.
    """

    @wraps(function)
    def run(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        try:
            return function(*args, **kwargs)
        finally:
            if not connection.in_atomic_block:
                connection.close()

    return sync_to_async(run)
