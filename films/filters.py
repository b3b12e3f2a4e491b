"""The film list's query parameters: declared with django-filter, applied by films.selectors."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ErrorDetail, ValidationError

from films import selectors
from films.models import Film, Rating
from films.selectors import FilmFilters
from pagila_site.api.pagination import SkipLimitParams


def text_filter(*, method: str, max_length: int, help_text: str) -> django_filters.CharFilter:
    """A text parameter; its schema says no NUL, since Django refuses NUL in form input."""
    schema = {
        "type": "string",
        "maxLength": max_length,
        "pattern": r"^[^\u0000]*$",
        "description": help_text,
    }
    text = django_filters.CharFilter(method=method, max_length=max_length, help_text=help_text)
    return extend_schema_field(schema)(text)


class StrictBooleanField(forms.NullBooleanField):
    """`true`/`false` (or `1`/`0`, any case); anything else is a field error, not "no filter"."""

    widget = forms.TextInput
    truth = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value in (None, ""):
            return None
        try:
            return self.truth[str(value).strip().lower()]
        except KeyError:
            raise DjangoValidationError("Must be true or false.", code="invalid") from None

    def validate(self, value: Any) -> None:
        """Nothing to check beyond to_python."""


class RatingsField(django_filters.fields.MultipleChoiceField):
    """Ratings given as repeated parameters or comma-separated, in any case: `pg,PG-13`."""

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [part.strip().upper() for v in values for part in str(v).split(",") if part.strip()]


class RatingFilter(django_filters.MultipleChoiceFilter):
    field_class = RatingsField


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class NoEmptyItemsCSVField(django_filters.fields.BaseCSVField):
    """A comma-separated value whose items are all given: `title,` or `,` is a field error.

    The whole value may still be empty (`ordering=` is no ordering, as for every parameter).
    """

    def clean(self, value: Any) -> Any:
        if value and any(item == "" for item in value):
            raise DjangoValidationError("Remove the empty item between commas.", code="empty_item")
        return super().clean(value)


class FilmOrderingFilter(django_filters.OrderingFilter):
    """django-filter's ordering parameter, sorted by the selector (which adds the film_id tie)."""

    base_field_class = NoEmptyItemsCSVField

    def filter(self, qs: QuerySet[Film], value: Sequence[str] | None) -> QuerySet[Film]:
        fields = [self.get_ordering_value(param) for param in value or ()]
        return selectors.films_ordered(qs, fields) if fields else qs


class FilmFilter(django_filters.FilterSet):
    """Every filter of `GET /api/v1/films`; an invalid value is a 400 naming the parameter."""

    category = text_filter(
        method="filter_category",
        max_length=100,
        help_text="Category name, exact but case-insensitive (`comedy` finds Comedy's 58 films). "
        "An unknown category matches no film.",
    )
    search = text_filter(
        method="filter_search",
        max_length=200,
        help_text='Full-text search over title and description, web-search syntax: `"mad '
        'scientist"` is a phrase, `drama or comedy` either word, `-teacher` excludes a word.',
    )
    rating = RatingFilter(
        choices=Rating.choices,
        method="filter_rating",
        help_text="MPAA rating; repeat the parameter or separate with commas for several "
        "(`rating=G&rating=PG` or `rating=G,PG`).",
    )
    streaming_available = StrictBooleanFilter(
        method="filter_streaming_available",
        help_text="`true`: only films available for streaming; `false`: only those that are not.",
    )
    ordering = FilmOrderingFilter(
        fields=selectors.ORDERING_FIELDS,
        help_text="Sort by title, rental_rate, length or release_year; a leading `-` sorts "
        "descending, commas give several keys (`-rental_rate,title`). Ties and the default: "
        "film_id.",
    )

    class Meta:
        model = Film
        fields: list[str] = []

    def get_form_class(self) -> type[forms.Form]:
        """django-filter's form class for these filters, built once instead of per request.

        Its fields depend only on the filters' declarations; each form still copies them.
        """
        form_class: type[forms.Form] | None = type(self).__dict__.get("_form_class")
        if form_class is None:
            form_class = super().get_form_class()
            type(self)._form_class = form_class
        return form_class

    def filter_category(self, films: QuerySet[Film], name: str, value: str) -> QuerySet[Film]:
        return selectors.films_in_category(films, value)

    def filter_search(self, films: QuerySet[Film], name: str, value: str) -> QuerySet[Film]:
        return selectors.films_matching(films, value)

    def filter_rating(self, films: QuerySet[Film], name: str, value: list[str]) -> QuerySet[Film]:
        return selectors.films_rated(films, value)

    def filter_streaming_available(
        self, films: QuerySet[Film], name: str, value: bool
    ) -> QuerySet[Film]:
        return selectors.films_streaming(films, value)


@dataclass(frozen=True)
class FilmListQuery:
    """A valid `GET /api/v1/films` query: its paging and its filters."""

    skip: int
    limit: int
    filters: FilmFilters


@functools.cache
def _filter_fields() -> dict[str, forms.Field]:
    """The fields of the form a FilmFilter validates with (one form class per process)."""
    form_class = FilmFilter(queryset=Film.objects.none()).get_form_class()
    return dict(form_class.base_fields)


# Validates paging as every SkipLimitParams does; one instance serves every request.
_PAGING = SkipLimitParams()
# No file is ever part of a query string.
_NO_FILES: MultiValueDict[str, Any] = MultiValueDict()


def film_list_query(params: QueryDict) -> FilmListQuery:
    """The list's parameters checked as SkipLimitParams and a bound FilmFilter check them.

    Each bad parameter gets the same message in one ValidationError (paging first, then the
    filters in FilmFilter's order), without a FilterSet, form or serializer per request: each
    deep-copies its fields, which was a third of the CPU of an uncached page. The fields are
    built once and keep no state while they clean: each value is read by the field's widget
    and cleaned by the field, as a bound form does.
    """
    errors: dict[str, list[ErrorDetail]] = {}
    try:
        paging = _PAGING.to_internal_value(params)
    except ValidationError as error:
        errors.update(error.detail)  # type: ignore[arg-type]
    values = {}
    for name, field in _filter_fields().items():
        try:
            values[name] = field.clean(field.widget.value_from_datadict(params, _NO_FILES, name))
        except DjangoValidationError as error:
            errors[name] = [
                ErrorDetail(each.message % (each.params or ()), code=each.code)
                for each in error.error_list
            ]
    if errors:
        raise ValidationError(errors)
    return FilmListQuery(skip=paging["skip"], limit=paging["limit"], filters=_filters(values))


def _filters(values: dict[str, Any]) -> FilmFilters:
    """The cleaned values that filter (FilmFilter skips the empty ones), by selector argument."""
    filters: FilmFilters = {}
    if values["category"]:
        filters["category"] = values["category"]
    if values["search"]:
        filters["search"] = values["search"]
    if values["rating"]:
        filters["ratings"] = values["rating"]
    if values["streaming_available"] is not None:
        filters["streaming_available"] = values["streaming_available"]
    if values["ordering"]:
        ordering = FilmFilter.base_filters["ordering"]
        filters["ordering"] = [ordering.get_ordering_value(param) for param in values["ordering"]]
    return filters
