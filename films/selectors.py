"""Reads of the catalogue: the film list with its filters, and one film."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import (
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Concat, Length, Upper

from films.models import Actor, Category, Film, FilmCategory
from films.rows import LIST_ROW_JSON_SQL, list_row
from films.statements import Slot, Statement
from pagila_site.api.errors import NotFound
from pagila_site.pagila.fields import is_pg_int_id

# The columns a client may sort the list by (each also descending with a leading "-").
ORDERING_FIELDS = ("title", "rental_rate", "length", "release_year")
# Pagila's `film_fulltext_trigger` builds `fulltext` with this text-search configuration.
FULLTEXT_CONFIG = "english"
# The list row of the film whose id is `page.pk`, as JSON text (films.rows).
LIST_ROW_OF_PK = f"SELECT {LIST_ROW_JSON_SQL} FROM film WHERE film.film_id = page.pk"  # noqa: S608


def _category_names() -> ArraySubquery:
    """The film's category names, alphabetical, as one array column of the film's own row."""
    names = Category.objects.filter(films=OuterRef("pk")).order_by("name").values("name")
    return ArraySubquery(names)


def films_by_id() -> QuerySet[Film]:
    """Every film by film_id, nothing joined or annotated: the list's filters narrow it."""
    return Film.objects.order_by("film_id")


def film_rows() -> QuerySet[Film]:
    """Every film with its language and `category_names` in one query, ordered by film_id."""
    return (
        Film.objects.defer("fulltext")
        .select_related("language")
        .annotate(category_names=_category_names())
        .order_by("film_id")
    )


@dataclass(frozen=True)
class FilmPageJson:
    """A page of the film list as PostgreSQL built it, and the catalogue version it shows."""

    version: tuple[int, int]
    total: int
    # The page's rows (films.rows.list_row) joined by commas: "" for a page past the end.
    films_json: str


def film_page_json(*, skip: int, limit: int, **filters: Unpack[FilmFilters]) -> FilmPageJson:
    """The catalogue version, the total of films_filtered(...) and its page's JSON: one query.

    The statement is compiled once per shape of filters (which are given, how many ratings,
    the streaming flag and the ordering: Django writes those into the SQL); each page then
    only fills in its values, so no Python builds a query or touches a row.
    """
    category, search = filters.get("category"), filters.get("search") or None
    ratings = tuple(dict.fromkeys(filters.get("ratings") or ()))  # `IN` ignores repeats
    streaming_available = filters.get("streaming_available")
    ordering = tuple(filters.get("ordering") or ())
    statement = _page_statement(
        category=category is not None,
        search=search is not None,
        ratings=len(ratings),
        streaming_available=streaming_available,
        ordering=ordering,
    )
    values = {"category": category, "search": search, "limit": limit, "skip": skip}
    values.update((f"rating{index}", rating) for index, rating in enumerate(ratings))
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.bind(values))
        xact, seq, total, films_json = cursor.fetchone()
    return FilmPageJson(version=(xact, seq), total=total, films_json=films_json)


# A shape's statement, kept for the most recent shapes (ratings and orderings make a few hundred).
@functools.lru_cache(maxsize=512)
def _page_statement(
    *,
    category: bool,
    search: bool,
    ratings: int,
    streaming_available: bool | None,
    ordering: tuple[str, ...],
) -> Statement:
    """The page query of one shape of filters, with slots where each request's values go.

    Two parts of Django's own SQL: the matching films for the total, and their ids in order
    for the page, whose rows (films.rows.list_row) PostgreSQL builds only for the page.
    """
    category_slot = Slot("category") if category else None
    search_slot = Slot("search") if search else None
    rating_slots = [Slot(f"rating{index}") for index in range(ratings)]
    films = films_filtered(
        films_by_id(),
        category=category_slot,
        search=search_slot,
        ratings=rating_slots,
        streaming_available=streaming_available,
        ordering=ordering,
    )
    matching, matching_params = films.order_by().values("pk").query.sql_with_params()
    page, page_params = films.values("pk").query.sql_with_params()
    # Both parts are Django's own SQL with their values as parameters; limit and skip too.
    sql = (
        "SELECT v.xact, v.seq, "  # noqa: S608
        f"(SELECT count(*) FROM ({matching}) matching), "
        f"(SELECT coalesce(string_agg(({LIST_ROW_OF_PK}), ','), '') "
        f"FROM ({page} LIMIT %s OFFSET %s) page) "
        "FROM films_catalogue_version v"
    )
    params = (*matching_params, *page_params, Slot("limit"), Slot("skip"))
    slots = [slot for slot in (category_slot, search_slot, *rating_slots) if slot is not None]
    return Statement.of(sql, params, slots=slots)


def film_list_rows(films: QuerySet[Film]) -> list[dict[str, Any]]:
    """`films` as the film list shows them (films.rows.list_row), parsed: the assistant's rows."""
    return [json.loads(row) for row in films.values_list(list_row(), flat=True)]


def catalogue_version() -> tuple[int, int]:
    """The catalogue's current version: it changes with every write to what a list row shows.

    Statement-level triggers on film, film_category, category and language (migration
    films/0003) set it to (writing transaction id, statement counter), visible when the write
    commits; one primary-key read of a one-row table.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT xact, seq FROM films_catalogue_version")
        xact, seq = cursor.fetchone()
    return xact, seq


def films_in_category(films: QuerySet[Film], name: str) -> QuerySet[Film]:
    """Films filed under the category called `name` (case-insensitive, exact)."""
    in_category = FilmCategory.objects.filter(film=OuterRef("pk"), category__name__iexact=name)
    return films.filter(Exists(in_category))


def films_matching(films: QuerySet[Film], text: str) -> QuerySet[Film]:
    """Films whose title or description match `text` in web-search syntax.

    `"mad scientist"` is a phrase, `drama or comedy` either word, `-teacher` excludes a word.
    Runs `fulltext @@ websearch_to_tsquery(...)`, which Pagila's GiST index on `fulltext` serves.
    """
    query = SearchQuery(text, search_type="websearch", config=FULLTEXT_CONFIG)
    return films.filter(fulltext=query)


def films_named_in(text: str) -> QuerySet[Film]:
    """Films whose whole title appears in `text` as words (any case), longest title first.

    "What is the rental rate for the film academy dinosaur?" names ACADEMY DINOSAUR. The
    assistant's handoff uses it to tell catalogue questions from others.
    """
    words = " ".join(re.findall(r"[^\W_]+", text.upper()))
    padded_title = Concat(Value(" "), Upper("title"), Value(" "), output_field=TextField())
    return (
        film_rows()
        .alias(padded_text=Value(f" {words} ", output_field=TextField()))
        .filter(padded_text__contains=padded_title)
        .order_by(Length("title").desc(), "film_id")
    )


def films_rated(films: QuerySet[Film], ratings: Iterable[str]) -> QuerySet[Film]:
    """Films with any of the MPAA `ratings` (e.g. ["PG", "PG-13"])."""
    return films.filter(rating__in=list(ratings))


def films_streaming(films: QuerySet[Film], available: bool) -> QuerySet[Film]:
    """Films that are (True) or are not (False) available for streaming."""
    return films.filter(streaming_available=available)


def films_ordered(films: QuerySet[Film], fields: Sequence[str]) -> QuerySet[Film]:
    """Films sorted by `fields` (from ORDERING_FIELDS, "-" for descending), ties by film_id.

    The film_id tie-break makes paging stable: every film is on exactly one page.
    """
    allowed = {*ORDERING_FIELDS, *(f"-{name}" for name in ORDERING_FIELDS)}
    unknown = [field for field in fields if field not in allowed]
    if unknown:
        raise ValueError(f"cannot order films by {unknown}")
    return films.order_by(*fields, "film_id")


class FilmFilters(TypedDict, total=False):
    """The film list's filters as keyword arguments; one absent (or None, or empty) is no filter."""

    category: str | None
    search: str | None
    ratings: Iterable[str] | None
    streaming_available: bool | None
    ordering: Sequence[str]


def films_filtered(films: QuerySet[Film], **filters: Unpack[FilmFilters]) -> QuerySet[Film]:
    """`films` narrowed by every filter given, then sorted: the list's filters, composed once.

    The API's page (film_page_json) and film_list (the assistant) both narrow through here.
    """
    if (category := filters.get("category")) is not None:
        films = films_in_category(films, category)
    if search := filters.get("search"):
        films = films_matching(films, search)
    if ratings := filters.get("ratings"):
        films = films_rated(films, ratings)
    if (streaming_available := filters.get("streaming_available")) is not None:
        films = films_streaming(films, streaming_available)
    ordering = filters.get("ordering")
    return films_ordered(films, ordering) if ordering else films


def film_list(**filters: Unpack[FilmFilters]) -> QuerySet[Film]:
    """The film list narrowed by every filter given; the API's filters call the same functions."""
    return films_filtered(film_rows(), **filters)


def film_detail(film_id: int) -> Film:
    """One film with language, categories and actors: two queries whatever the film.

    Raises NotFound when no film has this id.
    """
    actors = Prefetch("actors", queryset=Actor.objects.order_by("last_name", "first_name"))
    film = (
        Film.objects.defer("fulltext")
        .select_related("language", "original_language")
        .annotate(category_names=_category_names())
        .prefetch_related(actors)
        .filter(pk=film_id)
        .first()
        if is_pg_int_id(film_id)
        else None
    )
    if film is None:
        raise NotFound("No film has this id.")
    return film


def actors_named_in(text: str) -> QuerySet[Actor]:
    """Actors whose full name ("PENELOPE GUINESS") appears in `text` as words, any case."""
    words = " ".join(re.findall(r"[^\W_]+", text.upper()))
    padded_name = Concat(
        Value(" "),
        Upper("first_name"),
        Value(" "),
        Upper("last_name"),
        Value(" "),
        output_field=TextField(),
    )
    return (
        Actor.objects.alias(padded_text=Value(f" {words} ", output_field=TextField()))
        .filter(padded_text__contains=padded_name)
        .order_by("actor_id")
    )


def films_with_actor(films: QuerySet[Film], actor_id: int) -> QuerySet[Film]:
    """Films in whose cast the actor `actor_id` is."""
    return films.filter(actors=actor_id)
