"""The film list's row, defined once: for the schema, for PostgreSQL's JSON, for the assistant."""

from __future__ import annotations

from django.db.models import TextField
from django.db.models.expressions import RawSQL

# A list row's fields in their order, each as the SQL that reads it for the `film` row.
LIST_ROW = {
    "film_id": "film.film_id",
    "title": "film.title",
    "description": "film.description",
    "release_year": "film.release_year",
    # Pagila's language.name is character(20): trimmed, as str(language) does.
    "language": "(SELECT btrim(l.name) FROM language l WHERE l.language_id = film.language_id)",
    "length": "film.length",
    "rental_duration": "film.rental_duration",
    # Decimals as strings with their column's scale ("4.99"), as DRF's DecimalField does.
    "rental_rate": "film.rental_rate::text",
    "replacement_cost": "film.replacement_cost::text",
    "rating": "film.rating",
    "streaming_available": "film.streaming_available",
    "categories": "ARRAY(SELECT c.name FROM film_category fc JOIN category c USING (category_id) "
    "WHERE fc.film_id = film.film_id ORDER BY c.name)",
}
# The list row's field names in order: FilmSerializer's fields, the keys of the row's JSON.
LIST_ROW_FIELDS = tuple(LIST_ROW)

# The row as compact JSON text with its keys in LIST_ROW's order: `row_to_json` of a sub-select
# keeps names and order (`json_build_object` puts spaces around its colons, and Django's
# JSONObject builds jsonb, which reorders keys).
_COLUMNS = ", ".join(f'{sql} AS "{name}"' for name, sql in LIST_ROW.items())
LIST_ROW_JSON_SQL = f"(SELECT row_to_json(r)::text FROM (SELECT {_COLUMNS}) r)"  # noqa: S608 - constants


def list_row() -> RawSQL:
    """A film's list row as JSON text, as `GET /api/v1/films` shows it; for a query of Film.

    Fixed SQL, so Django has nothing to resolve: a tenth of what the same row as ORM
    expressions costs to compile on every uncached page.
    """
    return RawSQL(LIST_ROW_JSON_SQL, (), output_field=TextField())  # noqa: S611 - no input
