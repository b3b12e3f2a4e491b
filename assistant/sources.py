"""The films an answer came from: gathered as kernel functions return them, sent as `sources`."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable
from typing import Any

# The films cited so far by the answer being written, by film_id (None: nobody is collecting).
_CITED: contextvars.ContextVar[dict[int, dict[str, Any]] | None] = contextvars.ContextVar(
    "assistant_cited_films", default=None
)
# The fields of a film that the `sources` event carries.
SOURCE_FIELDS = ("film_id", "title", "rental_rate", "rating")


def collecting(cited: dict[int, dict[str, Any]]) -> contextvars.Context:
    """A context in which the kernel functions run cite their films into `cited`."""
    context = contextvars.copy_context()
    context.run(_CITED.set, cited)
    return context


def add(cited: dict[int, dict[str, Any]], rows: Iterable[dict[str, Any]]) -> None:
    """Add films (dicts holding at least SOURCE_FIELDS) to `cited`, first citation kept."""
    for row in rows:
        cited.setdefault(row["film_id"], {name: row[name] for name in SOURCE_FIELDS})


def cite(rows: Iterable[dict[str, Any]]) -> None:
    """Note films as sources of the answer being written, if anyone is collecting them."""
    cited = _CITED.get()
    if cited is not None:
        add(cited, rows)


def as_json(cited: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The cited films in citation order, rental rates as strings ("0.99") like the API's."""
    return [source | {"rental_rate": str(source["rental_rate"])} for source in cited.values()]
