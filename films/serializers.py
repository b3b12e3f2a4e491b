"""How films are rendered: a lean row for the list, the full record for one film."""

from __future__ import annotations

from rest_framework import serializers

from films.models import Actor, Film, Language
from films.rows import LIST_ROW_FIELDS


class FilmSerializer(serializers.ModelSerializer[Film]):
    """One film of the list: the schema of films.rows.list_row (which builds the list's JSON).

    Renders films of selectors.film_rows (`category_names` and `language` come with them).
    """

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
        fields = list(LIST_ROW_FIELDS)
        read_only_fields = fields


def render_film_page(films_json: str, *, total: int, skip: int, limit: int) -> bytes:
    """The list's JSON body around its films' rows as selectors.film_page_json joined them."""
    return f'{{"films":[{films_json}],"total":{total},"skip":{skip},"limit":{limit}}}'.encode()


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
            *LIST_ROW_FIELDS,
            "original_language",
            "special_features",
            "last_update",
            "actors",
            "stores",
        ]
        read_only_fields = fields
