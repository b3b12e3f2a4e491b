"""Offline mode (no OPENAI_API_KEY, no OPENAI_BASE_URL): every endpoint answers from Pagila and
says that no language model is configured."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from assistant.offline import OFFLINE_NOTICE
from tests.ai_client import START, ask, post
from tests.clients import HANDOFF_URL, SUMMARY_URL

pytestmark = pytest.mark.django_db

NO_MODEL = "No language model is configured"


def text_of(events: list[tuple[str, dict[str, Any]]]) -> str:
    return "".join(data["content"] for name, data in events if name == "message")


def test_ask_answers_with_the_film_the_question_names(offline: None) -> None:
    streamed = ask("What is the rental rate for ACADEMY DINOSAUR?")
    events = streamed.events
    assert events[0] == START
    assert events[-1] == ("complete", {"status": "completed"})
    assert text_of(events) == (
        f"{OFFLINE_NOTICE}\n1 film matches your question:\n"
        "- ACADEMY DINOSAUR (2006, Documentary, rated PG): $0.99 to rent\n"
    )
    assert streamed.response["X-Assistant-Offline"] == OFFLINE_NOTICE


def websearch_titles(text: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title FROM film WHERE fulltext @@ websearch_to_tsquery('english', %s) "
            "ORDER BY film_id",
            [text],
        )
        return [row[0] for row in cursor.fetchall()]


def test_ask_answers_with_full_text_search_results(offline: None) -> None:
    titles = websearch_titles("mad scientist boat")
    text = text_of(ask("mad scientist boat").events)
    lines = text.splitlines()
    assert lines[0] == OFFLINE_NOTICE
    assert lines[1] == f"{len(titles)} films match your question; the first 5:"
    assert [line.split(" (")[0] for line in lines[2:]] == [f"- {t}" for t in titles[:5]]


def test_ask_falls_back_to_any_of_the_words(offline: None) -> None:
    question = "Which films feature a crocodile and a sumo wrestler?"
    assert websearch_titles(question) == []
    either = websearch_titles("Which or feature or a or crocodile or and or a or sumo or wrestler")
    text = text_of(ask(question).events)
    assert f"{len(either)} films match your question; the first 5:" in text


@pytest.mark.parametrize("question", ["xyzzy plugh", "Films?", "?!"])
def test_ask_says_when_nothing_matches(offline: None, question: str) -> None:
    text = text_of(ask(question).events)
    assert text == f"{OFFLINE_NOTICE}\nNo film in the catalogue matches your question.\n"


def test_catalogue_words_are_left_out_of_the_search(offline: None) -> None:
    titles = websearch_titles("mad scientist")
    text = text_of(ask("Any films about a mad scientist?").events)
    assert f"{len(titles)} films match your question; the first 5:" in text


def test_ask_validates_offline_too(offline: None) -> None:
    assert ask("   ").response.status_code == 400


def test_summary_is_computed_from_the_database(offline: None) -> None:
    streamed = post(SUMMARY_URL, {"film_id": 17})
    assert streamed.response.status_code == 200
    assert streamed.json() == {"title": "ALONE TRIP", "rating": "R", "recommended": True}
    assert streamed.response["X-Assistant-Offline"] == OFFLINE_NOTICE
    assert post(SUMMARY_URL, {"film_id": 1001}).response.status_code == 404


def test_handoff_search_agent_answers_and_says_no_model(offline: None) -> None:
    body = post(HANDOFF_URL, {"question": "What is the rental rate for the film ACADEMY DINOSAUR?"})
    assert body.json()["agent"] == "SearchAgent"
    assert "$0.99" in body.json()["answer"] and NO_MODEL in body.json()["answer"]


def test_handoff_llm_agent_says_no_model(offline: None) -> None:
    body = post(HANDOFF_URL, {"question": "Who won the FIFA World Cup in 2022?"}).json()
    assert body["agent"] == "LLMAgent" and body["answer"].startswith(NO_MODEL)
