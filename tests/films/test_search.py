"""Full-text search over title and description through Pagila's `fulltext` column."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection

from films import selectors
from films.models import Film

pytestmark = pytest.mark.django_db


def all_texts() -> dict[int, str]:
    return {f.pk: f"{f.title} {f.description}".lower() for f in Film.objects.all()}


def search_ids(get_films: Any, text: str) -> list[int]:
    page = get_films(f"search={text}&limit=100")
    assert page["total"] == len(page["films"]), "the test expects one page"
    return [film["film_id"] for film in page["films"]]


def test_a_word_finds_every_film_with_it_in_title_or_description(get_films: Any) -> None:
    found = search_ids(get_films, "dinosaur")
    assert found == [1, 131, 231]
    expected = [pk for pk, text in all_texts().items() if re.search(r"\bdinosaurs?\b", text)]
    assert found == expected


def test_search_is_stemmed_and_case_insensitive(get_films: Any) -> None:
    assert search_ids(get_films, "DINOSAURS") == [1, 131, 231]


def test_phrase_and_exclusion_follow_web_search_syntax(get_films: Any) -> None:
    page = get_films('search="mad scientist" -teacher&limit=100')
    texts = all_texts()
    expected = {pk for pk, t in texts.items() if "mad scientist" in t and "teacher" not in t}
    assert page["total"] == len(expected) == 95
    seen: set[int] = set()
    for skip in range(0, 100, 50):
        seen |= {
            f["film_id"]
            for f in get_films(f'search="mad scientist" -teacher&skip={skip}&limit=50')["films"]
        }
    assert seen == expected


def test_or_matches_either_word(get_films: Any) -> None:
    page = get_films("search=drama or documentary&limit=1")
    words = re.compile(r"\b(drama|documentary)\b")
    assert page["total"] == sum(bool(words.search(t)) for t in all_texts().values()) == 207


def test_search_without_a_match_is_empty(get_films: Any) -> None:
    assert get_films("search=spaceship")["total"] == 0
    # Only stop words: PostgreSQL ignores the query, which then matches nothing.
    assert get_films("search=the")["total"] == 0


def test_search_uses_the_fulltext_column_and_its_gist_index() -> None:
    films = selectors.films_matching(Film.objects.only("pk"), "dinosaur")
    sql, params = films.query.sql_with_params()
    assert "websearch_to_tsquery" in sql
    with connection.cursor() as cursor:
        # Pagila is small enough for a sequential scan; forbid it to show the index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "film_fulltext_idx" in plan
