"""films.filters: the list's parameters, declared once and checked without per-request copies."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import QueryDict
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

from films import selectors
from films.filters import FilmFilter, film_list_query
from films.models import Film
from pagila_site.api.pagination import SkipLimitParams

BAD_QUERIES = [
    "skip=-1",
    "skip=+5",
    "skip=5&skip=abc",
    "limit=101",
    "limit=ten",
    "ordering=film_id",
    "ordering=title,",
    "ordering=title&ordering=nope",
    "rating=X",
    "rating=g&rating=PG-14",
    "streaming_available=maybe",
    "search=%00",
    "search=" + "a" * 201,
    "category=" + "c" * 101,
    "skip=-1&limit=101&ordering=nope&rating=X",
    "skip=x&limit=y&category=%00&search=%00&rating=Z&streaming_available=q&ordering=q",
]
GOOD_QUERIES = [
    "",
    "colour=blue",
    "skip=&limit=&category=&search=&rating=&streaming_available=&ordering=",
    "skip=13&limit=37&ordering=-rental_rate,title",
    "category=%20comedy%20&rating=pg,PG-13&rating=G,,G",
    "search=drama&rating=G,PG&ordering=-length,title",
    "streaming_available=FALSE&ordering=release_year,-length",
    "category=Sci-Fi&search=boat&rating=R,NC-17&streaming_available=0&ordering=-title",
]


def bound_filter_errors(params: QueryDict) -> dict[str, Any]:
    """What a bound SkipLimitParams and FilmFilter report for `params`: the reference."""
    paging = SkipLimitParams(data=params)
    filterset = FilmFilter(params, queryset=Film.objects.all())
    paging.is_valid()
    filter_errors = {} if filterset.is_valid() else translate_validation(filterset.errors).detail
    return {**paging.errors, **filter_errors}


def test_the_form_class_is_built_once_and_each_request_validates_its_own_data() -> None:
    good = FilmFilter(QueryDict("rating=pg,G&ordering=-title"), queryset=Film.objects.all())
    bad = FilmFilter(QueryDict("rating=X&streaming_available=maybe"), queryset=Film.objects.all())
    assert good.get_form_class() is bad.get_form_class()
    assert bad.form is not good.form
    assert not bad.is_valid()
    assert set(bad.errors) == {"rating", "streaming_available"}
    assert good.is_valid()
    assert good.form.cleaned_data["rating"] == ["PG", "G"]
    assert good.form.cleaned_data["ordering"] == ["-title"]


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_parameters_get_the_errors_a_bound_filmfilter_and_skiplimitparams_give(
    query: str,
) -> None:
    params = QueryDict(query)
    expected = bound_filter_errors(params)
    assert expected
    with pytest.raises(ValidationError) as raised:
        film_list_query(params)
    detail = raised.value.detail
    assert detail == expected
    assert list(detail) == list(expected)  # paging first, then the filters in their order
    codes = {name: [error.code for error in errors] for name, errors in detail.items()}  # type: ignore[union-attr]
    assert codes == {name: [error.code for error in errors] for name, errors in expected.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("query", GOOD_QUERIES)
def test_good_parameters_select_the_films_a_bound_filmfilter_selects(query: str) -> None:
    params = QueryDict(query)
    assert bound_filter_errors(params) == {}
    listing = film_list_query(params)
    paging = SkipLimitParams(data=params)
    assert paging.is_valid()
    assert (listing.skip, listing.limit) == (
        paging.validated_data["skip"],
        paging.validated_data["limit"],
    )
    filterset = FilmFilter(params, queryset=selectors.films_by_id())
    films = selectors.films_filtered(selectors.films_by_id(), **listing.filters)
    assert list(films.values_list("pk", flat=True)) == list(
        filterset.qs.values_list("pk", flat=True)
    )


def test_empty_parameters_are_no_filters_and_values_come_cleaned() -> None:
    empty = "skip=&limit=&category=&search=&rating=&streaming_available=&ordering="
    assert film_list_query(QueryDict(empty)).filters == {}
    listing = film_list_query(QueryDict("category=%20Comedy%20&rating=pg,g&streaming_available=0"))
    assert listing.filters == {
        "category": "Comedy",
        "ratings": ["PG", "G"],
        "streaming_available": False,
    }
    assert (listing.skip, listing.limit) == (0, 10)
