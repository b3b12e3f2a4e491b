"""How films are rendered: a lean row for the list, the full record for one film."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

import orjson
from rest_framework import serializers

from films.models import Actor, Film, Language
from films.selectors import LIST_COLUMNS

# What a list row shows: the columns the page query reads (the language by its name), plus
# film_id and the categories annotated by that same query.
LIST_FIELDS = [
    "film_id",
    *(column.removesuffix("__name") for column in LIST_COLUMNS),
    "categories",
]


class FilmSerializer(serializers.ModelSerializer[Film]):
    """One film of the list. Reads `category_names` and `language` from the page query itself."""

    # Pagila's language.name is character(20): str(language) drops the padding.
    language: serializers.StringRelatedField[Language] = serializers.StringRelatedField(
        help_text="Language name, e.g. English."
    )
    categories = serializers.ListField(
        child=serializers.CharField(),
        source="category_names",
        read_only=True,
        help_text="Category names, alphabetical.",
    )

    class Meta:
        model = Film
        fields = LIST_FIELDS
        read_only_fields = LIST_FIELDS


def _decimal_as_string(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def render_film_page(
    rows: Iterable[Sequence[object]], *, total: int, skip: int, limit: int
) -> bytes:
    """The list's JSON body from selectors.film_page rows, without a serializer per row.

    Byte for byte what FilmSerializer and DRF's JSONRenderer make of the same films
    (tests/films/test_rendering.py checks every Pagila film), at a fraction of the cost.
    """
    films = [dict(zip(LIST_FIELDS, row, strict=True)) for row in rows]
    for film in films:
        film["language"] = str(film["language"]).strip()  # Pagila's character(20) padding
    page = {"films": films, "total": total, "skip": skip, "limit": limit}
    return orjson.dumps(page, default=_decimal_as_string)


class ActorSerializer(serializers.ModelSerializer[Actor]):
    class Meta:
        model = Actor
        fields = ["actor_id", "first_name", "last_name"]
        read_only_fields = fields


class StoreStockSerializer(serializers.Serializer):
    """A store's copies of the film (`copies`) and how many are not rented out (`in_stock`)."""

    store_id = serializers.IntegerField(read_only=True)
    copies = serializers.IntegerField(read_only=True, min_value=0)
    in_stock = serializers.IntegerField(read_only=True, min_value=0)


class FilmDetailSerializer(FilmSerializer):
    """One film with everything the list leaves out: actors, features, stock per store."""

    original_language: serializers.StringRelatedField[Language] = serializers.StringRelatedField(
        allow_null=True, help_text="Original language name, when the film is dubbed."
    )
    actors = ActorSerializer(many=True, read_only=True, help_text="Cast, by last name.")
    stores = StoreStockSerializer(
        many=True,
        read_only=True,
        source="stock",
        help_text="Every store, with its copies of the film and how many are in stock now.",
    )

    class Meta(FilmSerializer.Meta):
        fields = [
            *LIST_FIELDS,
            "original_language",
            "special_features",
            "last_update",
            "actors",
            "stores",
        ]
        read_only_fields = fields
