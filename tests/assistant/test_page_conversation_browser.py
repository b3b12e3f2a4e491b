"""The assistant page in Chromium: the conversation's thread and the answer's film cards."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from playwright.sync_api import Page

from devtools.fake_llm import FakeLLM, Script
from tests.assistant_page import asks, wait_for_state

pytestmark = [pytest.mark.browser, pytest.mark.live]


def ask_on(page: Page, text: str) -> None:
    page.fill("#question", text)
    page.press("#question", "Enter")
    wait_for_state(page, "complete")


def test_a_follow_up_continues_the_conversation_and_keeps_the_thread(
    page: Page, fake: FakeLLM
) -> None:
    fake.push(Script.text("Try ACADEMY DINOSAUR."), Script.text("It is rated PG."))
    sent = asks(page)
    ask_on(page, "Suggest a documentary")
    ask_on(page, "What is it rated?")

    first, second = (parse_qs(urlsplit(request.url).query) for request in sent)
    assert "conversation" not in first
    (conversation_id,) = second["conversation"]
    assert len(conversation_id) == 32
    assert page.locator("#thread .turn").all_text_contents() == [
        "You asked: Suggest a documentaryTry ACADEMY DINOSAUR."
    ]
    assert page.text_content("#answer") == "It is rated PG."
    roles = [m["role"] for m in fake.chat_requests[-1]["messages"]]
    assert roles == ["system", "user", "assistant", "user"]


def test_new_conversation_clears_the_thread_and_starts_afresh(page: Page, fake: FakeLLM) -> None:
    sent = asks(page)
    ask_on(page, "Suggest a documentary")
    ask_on(page, "And a comedy?")
    page.click("#new-conversation")

    assert page.locator("#thread .turn").count() == 0
    assert page.text_content("#answer") == ""
    assert page.is_hidden("#asked")
    ask_on(page, "Something else")
    assert "conversation" not in parse_qs(urlsplit(sent[-1].url).query)
    assert [m["role"] for m in fake.chat_requests[-1]["messages"]] == ["system", "user"]


def test_after_a_failed_first_answer_the_next_question_starts_a_new_conversation(
    page: Page, fake: FakeLLM
) -> None:
    fake.push(Script.error(500, "the fake model is down"), Script.text("Try ACADEMY DINOSAUR."))
    sent = asks(page)
    page.fill("#question", "Suggest a documentary")
    page.press("#question", "Enter")
    wait_for_state(page, "error")
    ask_on(page, "Suggest a documentary, please")

    assert [parse_qs(urlsplit(request.url).query).get("conversation") for request in sent] == [
        None,
        None,
    ]
    assert page.text_content("#answer") == "Try ACADEMY DINOSAUR."
    assert [m["role"] for m in fake.chat_requests[-1]["messages"]] == ["system", "user"]


def first_comedy_cards(django_db_blocker: Any) -> list[str]:
    """The first three comedies as their cards read, from SQL on a thread of its own (Playwright's
    loop runs in the test's thread, where Django refuses database calls)."""

    def read() -> list[str]:
        django_db_blocker.unblock()
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT f.title, f.rating, f.rental_rate FROM film f JOIN film_category fc "
                    "USING (film_id) JOIN category c USING (category_id) WHERE c.name = 'Comedy' "
                    "ORDER BY f.film_id LIMIT 3"
                )
                return [f"{title}Rated {rating} · ${rate}" for title, rating, rate in cursor]
        finally:
            connection.close()
            django_db_blocker.restore()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(read).result()


def test_the_films_an_answer_came_from_are_shown_as_cards(
    page: Page, fake: FakeLLM, django_db_blocker: Any
) -> None:
    fake.push(
        Script.tool_call("films-search_films", {"category": "Comedy", "limit": 3}),
        Script.text("Here are three comedies."),
    )
    ask_on(page, "Name three comedies")

    expected = first_comedy_cards(django_db_blocker)
    assert len(expected) == 3
    assert page.is_visible("#sources")
    assert page.locator("#sources .film-card").all_text_contents() == expected
