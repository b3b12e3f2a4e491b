"""The film list's cache is exact: a write to what a list row shows is seen by the next request."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from films import selectors
from films.models import Category, Film, FilmCategory, Language
from films.page_cache import VersionedCache

pytestmark = pytest.mark.django_db


def first_film(get_films: Any, query: str = "") -> dict[str, Any]:
    return get_films(query)["films"][0]


def test_a_film_edit_shows_at_once(get_films: Any) -> None:
    assert first_film(get_films)["title"] == "ACADEMY DINOSAUR"
    Film.objects.filter(pk=1).update(title="ACADEMY DINOSAUR REDUX", rental_rate="1.99")
    film = first_film(get_films)
    assert (film["title"], film["rental_rate"]) == ("ACADEMY DINOSAUR REDUX", "1.99")


def test_a_new_film_category_changes_the_total_and_the_row(get_films: Any) -> None:
    assert get_films("category=Comedy")["total"] == 58
    comedy = Category.objects.get(name="Comedy")
    FilmCategory.objects.create(film_id=1, category=comedy)
    assert get_films("category=Comedy")["total"] == 59
    assert first_film(get_films)["categories"] == ["Comedy", "Documentary"]


def test_renaming_a_category_or_a_language_shows_at_once(get_films: Any) -> None:
    assert first_film(get_films)["categories"] == ["Documentary"]
    Category.objects.filter(name="Documentary").update(name="Documentaries")
    assert first_film(get_films)["categories"] == ["Documentaries"]
    assert get_films("category=Documentaries")["total"] == 68
    assert get_films("category=Documentary")["total"] == 0
    Language.objects.filter(pk=1).update(name="British English")
    assert first_film(get_films)["language"] == "British English"


def test_a_rolled_back_edit_is_never_served(get_films: Any) -> None:
    before = selectors.catalogue_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Film.objects.filter(pk=1).update(title="NEVER COMMITTED")
        assert first_film(get_films)["title"] == "NEVER COMMITTED"  # same transaction sees it
        raise RuntimeError("roll back")
    assert selectors.catalogue_version() == before
    assert first_film(get_films)["title"] == "ACADEMY DINOSAUR"
    # A later edit in the same transaction gets a version of its own, not the rolled-back one.
    Film.objects.filter(pk=1).update(title="SECOND EDIT")
    assert first_film(get_films)["title"] == "SECOND EDIT"


def test_every_write_statement_gets_a_new_version() -> None:
    seen = {selectors.catalogue_version()}
    for statement in [
        "UPDATE film SET length = length WHERE film_id = 1",
        "UPDATE film_category SET category_id = category_id WHERE film_id = 1",
        "UPDATE category SET name = name WHERE category_id = 1",
        "UPDATE language SET name = name WHERE language_id = 1",
        "DELETE FROM film_category WHERE film_id = 0",  # no row: still a new version
    ]:
        with connection.cursor() as cursor:
            cursor.execute(statement)
        seen.add(selectors.catalogue_version())
    assert len(seen) == 6


def test_rentals_do_not_touch_the_catalogue_version() -> None:
    before = selectors.catalogue_version()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE rental SET return_date = return_date WHERE rental_id = 1")
        cursor.execute("UPDATE film_actor SET actor_id = actor_id WHERE film_id = 1")
    assert selectors.catalogue_version() == before


def test_etag_answers_304_until_the_catalogue_changes(client: Client) -> None:
    first = client.get("/api/v1/films?limit=3")
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    again = client.get("/api/v1/films?limit=3", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    weak = client.get("/api/v1/films?limit=3", headers={"If-None-Match": f'"x", W/{etag}'})
    assert (weak.status_code, weak["ETag"]) == (304, etag)
    star = client.get("/api/v1/films?limit=3", headers={"If-None-Match": "*"})
    assert (star.status_code, star["ETag"], star.content) == (304, etag, b"")
    other = client.get("/api/v1/films?limit=3", headers={"If-None-Match": '"something-else"'})
    assert (other.status_code, other.content) == (200, first.content)

    Film.objects.filter(pk=2).update(title="ACE GOLDFINGER II")
    changed = client.get("/api/v1/films?limit=3", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["films"][1]["title"] == "ACE GOLDFINGER II"


def test_if_match_with_another_etag_is_a_412_problem(client: Client) -> None:
    etag = client.get("/api/v1/films?limit=3")["ETag"]
    for matching in [etag, "*", f'"x", {etag}']:
        response = client.get("/api/v1/films?limit=3", headers={"If-Match": matching})
        assert (response.status_code, response["ETag"]) == (200, etag)
    stale = client.get("/api/v1/films?limit=3", headers={"If-Match": '"an-older-page"'})
    assert stale.status_code == 412
    assert stale["Content-Type"] == "application/problem+json"
    assert stale.json()["code"] == "precondition_failed"
    # Django's conditional GET: the list has no Last-Modified, so If-Unmodified-Since fails.
    since = {"If-Unmodified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"}
    assert client.get("/api/v1/films?limit=3", headers=since).status_code == 412


def test_the_same_films_under_another_query_string_share_the_etag(client: Client) -> None:
    plain = client.get("/api/v1/films?category=Comedy")
    spelled = client.get("/api/v1/films?category=comedy&skip=0&limit=10")
    assert plain.content == spelled.content
    assert plain["ETag"] == spelled["ETag"]


def test_versioned_cache_forgets_everything_on_a_new_version() -> None:
    cache: VersionedCache[str] = VersionedCache(max_size=10)
    cache.put("a", (1, 1), "page a", size=4)
    assert cache.get("a", (1, 1)) == "page a"
    assert cache.get("a", (1, 2)) is None
    assert len(cache) == 0
    assert cache.get("a", (1, 1)) is None, "an older version does not come back either"


def test_versioned_cache_evicts_the_least_recently_used_beyond_its_size() -> None:
    cache: VersionedCache[str] = VersionedCache(max_size=10)
    for key in "abc":
        cache.put(key, (1, 1), key, size=4)  # c pushes the total to 12: a goes
    assert [cache.get(key, (1, 1)) for key in "abc"] == [None, "b", "c"]
    cache.put("d", (1, 1), "d", size=4)  # b was used before c: b goes
    assert [cache.get(key, (1, 1)) for key in "bcd"] == [None, "c", "d"]
    cache.put("huge", (1, 1), "huge", size=11)
    assert "huge" not in cache
