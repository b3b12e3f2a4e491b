"""films.filters: the film list's parameters, validated per request on one shared form class."""

from __future__ import annotations

from django.http import QueryDict

from films.filters import FilmFilter
from films.models import Film


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
