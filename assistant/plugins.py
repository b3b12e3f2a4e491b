"""The catalogue as Semantic Kernel functions: read-only, validated, capped, over selectors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from semantic_kernel.functions import kernel_function

from assistant.database import database_call
from assistant.schemas import QUESTION_MAX_LENGTH
from assistant.sources import cite
from films import selectors
from films.models import Film, Rating
from pagila_site.api.errors import NotFound
from rentals.selectors import film_with_stock

# The plugin's name: the model sees its functions as `films-search_films` and so on.
PLUGIN_NAME = "films"
# The most films one search returns to the model, and the default.
MAX_RESULTS = 10
DEFAULT_RESULTS = 5
# The longest search text and category name accepted (longer ones are refused, not cut).
MAX_TEXT_LENGTH = 200
MAX_CATEGORY_LENGTH = 50
# The most actor names one film's details list.
MAX_ACTORS = 10


def to_json(value: Any) -> str:
    """What a function hands the model: compact JSON (decimals as strings, e.g. "0.99")."""
    return json.dumps(value, default=str, separators=(",", ":"))


def clamped(limit: int, most: int) -> int:
    """The number of rows a function lists: `limit`, brought within 1 to `most`."""
    return max(1, min(int(limit), most))


def _search(text: str, category: str, rating: str, limit: int) -> dict[str, Any]:
    films = selectors.film_list(
        category=category or None, search=text or None, ratings=[rating] if rating else None
    )
    return {"total": films.count(), "films": selectors.film_list_rows(films[:limit])}


def _stores(film: Film) -> list[dict[str, int]]:
    return [
        {"store_id": s.store_id, "copies": s.copies, "in_stock": s.in_stock}
        for s in film.stock  # type: ignore[attr-defined]
    ]


def _film_row(film_id: int) -> dict[str, Any]:
    """The film as the film list shows it (the row functions cite)."""
    (row,) = selectors.film_list_rows(selectors.film_rows().filter(pk=film_id))
    return row


def film_facts(film_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Everything the details function tells about one film, and its row; NotFound if unknown."""
    film = film_with_stock(film_id=film_id)
    actors = list(film.actors.all())
    row = _film_row(film_id)
    return row | {
        "special_features": film.special_features or [],
        "actors": [str(actor) for actor in actors[:MAX_ACTORS]],
        "actor_count": len(actors),
        "stores": _stores(film),
    }, row


def _film_stock(film_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    film = film_with_stock(film_id=film_id)
    stock = {"film_id": film.film_id, "title": film.title, "stores": _stores(film)}
    return stock, _film_row(film_id)


def _films_by_actor(name: str, limit: int) -> dict[str, Any]:
    actor = selectors.actors_named_in(name).first()
    if actor is None:
        return {"error": f"no actor called {name!r} in the catalogue"}
    films = selectors.films_with_actor(selectors.film_rows(), actor.actor_id)
    rows = selectors.film_list_rows(films[:limit])
    return {"actor": str(actor), "total": films.count(), "films": rows}


def _availability(film_id: int, store_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    film = film_with_stock(film_id=film_id)
    store = next((s for s in _stores(film) if s["store_id"] == store_id), None)
    copies, in_stock = (store["copies"], store["in_stock"]) if store else (0, 0)
    told = {"film_id": film.film_id, "title": film.title, "store_id": store_id}
    return told | {"copies": copies, "in_stock": in_stock}, _film_row(film_id)


def _film_named_in(question: str) -> dict[str, Any] | None:
    rows = selectors.film_list_rows(selectors.films_named_in(question)[:1])
    return rows[0] if rows else None


def _rating(value: str) -> str | None:
    """The Rating value `value` names (any case), or None."""
    return next((r.value for r in Rating if r.value.lower() == value.strip().lower()), None)


def _error(message: str) -> str:
    return to_json({"error": message})


async def _about_film(
    read: Callable[[int], tuple[dict[str, Any], dict[str, Any]]], film_id: int
) -> str:
    """What `read(film_id)` tells as JSON (its film cited), or the error an unknown film gives."""
    try:
        told, row = await database_call(read)(int(film_id))
    except NotFound as exc:
        return _error(exc.detail)
    cite([row])
    return to_json(told)


class CataloguePlugin:
    """Read-only catalogue functions for the model (auto-invoked by Semantic Kernel).

    Each validates its arguments and answers JSON; bad arguments or an unknown film answer
    `{"error": "..."}` so the model can correct itself. The database work runs in Django's
    thread via database_call, so the event loop never blocks.
    """

    @kernel_function(
        name="search_films",
        description="Search the Pagila DVD store catalogue. Filters combine; give at least one. "
        "Returns the number of matching films and up to `limit` of them as the catalogue lists "
        "them (title, description, year, language, length in minutes, rental duration in days, "
        "rental rate and replacement cost in dollars, rating, streaming, categories).",
    )
    async def search_films(
        self,
        text: Annotated[str, "Words to find in titles and descriptions, e.g. 'mad scientist'"] = "",
        category: Annotated[str, "A category name, e.g. Comedy, Action, Documentary"] = "",
        rating: Annotated[str, "An MPAA rating: G, PG, PG-13, R or NC-17"] = "",
        limit: Annotated[int, "How many films to list, 1 to 10"] = DEFAULT_RESULTS,
    ) -> str:
        if len(text) > MAX_TEXT_LENGTH or len(category) > MAX_CATEGORY_LENGTH:
            return _error(
                f"text is limited to {MAX_TEXT_LENGTH} and category to "
                f"{MAX_CATEGORY_LENGTH} characters"
            )
        normal_rating = _rating(rating) if rating.strip() else ""
        if normal_rating is None:
            return _error("rating must be one of G, PG, PG-13, R, NC-17")
        if not (text.strip() or category.strip() or normal_rating):
            return _error("give text, category or rating")
        limit = clamped(limit, MAX_RESULTS)
        found = await database_call(_search)(text.strip(), category.strip(), normal_rating, limit)
        cite(found["films"])
        return to_json(found)

    @kernel_function(
        name="film_details",
        description="Everything about one film by its film_id: what the search lists (length in "
        "minutes, rental duration in days, prices in dollars), features, actors, and copies per "
        "store.",
    )
    async def film_details(self, film_id: Annotated[int, "The film's id, 1 to 1000"]) -> str:
        return await _about_film(film_facts, film_id)

    @kernel_function(
        name="copies_in_stock",
        description="How many copies of one film each store owns and how many are on the "
        "shelf now (not rented out).",
    )
    async def copies_in_stock(self, film_id: Annotated[int, "The film's id, 1 to 1000"]) -> str:
        return await _about_film(_film_stock, film_id)

    @kernel_function(
        name="films_by_actor",
        description="The films an actor plays in, by the actor's full name (e.g. PENELOPE "
        "GUINESS): the number of films and up to `limit` of them.",
    )
    async def films_by_actor(
        self,
        name: Annotated[str, "The actor's first and last name"],
        limit: Annotated[int, "How many films to list, 1 to 10"] = DEFAULT_RESULTS,
    ) -> str:
        if not name.strip() or len(name) > MAX_CATEGORY_LENGTH:
            return _error(f"give the actor's name, at most {MAX_CATEGORY_LENGTH} characters")
        limit = clamped(limit, MAX_RESULTS)
        found = await database_call(_films_by_actor)(name, limit)
        cite(found.get("films", []))
        return to_json(found)

    @kernel_function(
        name="availability_at_store",
        description="Whether one film can be rented at one store now: the copies that store "
        "owns and how many are on its shelf (Pagila has stores 1 and 2).",
    )
    async def availability_at_store(
        self,
        film_id: Annotated[int, "The film's id, 1 to 1000"],
        store_id: Annotated[int, "The store's id, 1 or 2"],
    ) -> str:
        return await _about_film(lambda pk: _availability(pk, int(store_id)), film_id)

    @kernel_function(
        name="film_named_in",
        description="The catalogue film whose title a question names, or null when it names none.",
    )
    async def film_named_in(
        self, question: Annotated[str, "The question, as the customer asked it"]
    ) -> str:
        if len(question) > QUESTION_MAX_LENGTH:
            return _error(f"question is limited to {QUESTION_MAX_LENGTH} characters")
        return to_json(await database_call(_film_named_in)(question))
