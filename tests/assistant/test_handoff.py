"""POST /api/v1/ai/handoff: SearchAgent answers film questions from PostgreSQL, LLMAgent others."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.prompts import LLM_AGENT_INSTRUCTIONS
from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import FAKE_MODEL, post
from tests.clients import HANDOFF_URL

pytestmark = pytest.mark.django_db

FILM_QUESTION = "What is the rental rate for the film ACADEMY DINOSAUR?"
OTHER_QUESTION = "Who won the FIFA World Cup in 2022?"


def test_film_question_goes_to_search_agent_and_is_answered_from_postgres(model: FakeLLM) -> None:
    streamed = post(HANDOFF_URL, {"question": FILM_QUESTION})
    assert streamed.response.status_code == 200
    assert streamed.json() == {
        "agent": "SearchAgent",
        "answer": "ACADEMY DINOSAUR (Documentary) rents for $0.99.",
    }
    assert model.requests == []  # the database answered; no model call, no cost


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("how much is academy dinosaur", "ACADEMY DINOSAUR (Documentary) rents for $0.99."),
        ("Is 'Alone Trip' any good?", "ALONE TRIP (Music) rents for $0.99."),
        ("Tell me about ZORRO ARK.", "ZORRO ARK (Comedy) rents for $4.99."),
    ],
)
def test_any_question_naming_a_film_in_any_case(model: FakeLLM, question: str, answer: str) -> None:
    assert post(HANDOFF_URL, {"question": question}).json() == {
        "agent": "SearchAgent",
        "answer": answer,
    }


def test_other_questions_go_to_llm_agent(model: FakeLLM) -> None:
    model.push(Script.text("Argentina won the 2022 FIFA World Cup."))
    streamed = post(HANDOFF_URL, {"question": OTHER_QUESTION})
    assert streamed.response.status_code == 200
    assert streamed.json() == {
        "agent": "LLMAgent",
        "answer": "Argentina won the 2022 FIFA World Cup.",
    }
    (sent,) = model.chat_requests
    assert sent["model"] == FAKE_MODEL and sent["max_tokens"] == 800
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert sent["messages"][0]["content"] == LLM_AGENT_INSTRUCTIONS
    assert sent["messages"][1]["content"] == OTHER_QUESTION
    assert "tools" not in sent


def test_words_of_titles_alone_do_not_name_a_film(model: FakeLLM) -> None:
    # "ACADEMY" and "DINOSAUR" are each part of titles, but no whole title is named.
    model.push(Script.text("Dinosaurs lived long ago."))
    body = post(HANDOFF_URL, {"question": "Did the academy study dinosaurs?"}).json()
    assert body["agent"] == "LLMAgent"


@pytest.mark.parametrize(
    "body",
    [{}, {"question": ""}, {"question": "  "}, {"question": "x" * 2001}, {"question": None}],
    ids=["missing", "empty", "blank", "too-long", "null"],
)
def test_bad_question_is_a_400_problem(model: FakeLLM, body: dict[str, Any]) -> None:
    streamed = post(HANDOFF_URL, body)
    assert streamed.response.status_code == 400
    assert streamed.json()["code"] == "invalid" and "question" in streamed.json()["errors"]
    assert model.requests == []


@pytest.mark.parametrize(
    ("script", "status", "code"),
    [
        (Script.error(500), 502, "upstream_error"),
        (Script.error(429), 503, "upstream_rate_limited"),
        (Script.hang(), 504, "upstream_timeout"),
    ],
)
def test_llm_agent_failure_is_a_5xx_problem(
    model: FakeLLM, settings: Any, script: Script, status: int, code: str
) -> None:
    settings.AI_TIMEOUT = 0.5
    model.push(script)
    streamed = post(HANDOFF_URL, {"question": OTHER_QUESTION})
    assert streamed.response.status_code == status
    assert streamed.json()["code"] == code
    assert model.wait_for(lambda: model.open_connections == 0)
