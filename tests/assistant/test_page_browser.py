"""The assistant page in Debian's Chromium, against a real server and the fake LLM on loopback."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.db import connection
from playwright.sync_api import Browser, Page, Route

from devtools.fake_llm import FakeLLM, Script
from tests.assistant_page import RECORDER, asks, log, wait_for_state
from tests.live import model_env, running_server

pytestmark = [pytest.mark.browser, pytest.mark.live]

# Seconds the fake model waits before each chunk: long enough to see every step of the answer.
CHUNK_DELAY = 0.3
ANSWER = ["ACADEMY DINOSAUR ", "is an epic drama ", "of a feminist ", "and a mad scientist."]
GENERIC_ERROR = "The assistant could not answer right now. Please try again."
CUT_SHORT = "The connection was lost before the answer was complete."


def prefixes(chunks: list[str]) -> list[str]:
    return ["".join(chunks[: i + 1]) for i in range(len(chunks))]


def test_the_answer_grows_chunk_by_chunk_then_completes(page: Page, fake: FakeLLM) -> None:
    fake.push(Script.text(ANSWER, delay=CHUNK_DELAY))
    sent = asks(page)
    page.fill("#question", "  Tell me about ACADEMY DINOSAUR  ")
    page.press("#question", "Enter")
    wait_for_state(page, "complete")

    assert page.text_content("#answer") == "".join(ANSWER)
    assert page.text_content("#status") == "Answer complete."
    assert page.text_content("#asked") == "You asked: Tell me about ACADEMY DINOSAUR"
    assert page.is_hidden("#form-error")
    steps = log(page)["steps"]
    states = [state for state, _ in steps]
    assert states.index("thinking") < states.index("streaming") < states.index("complete")
    assert [text for state, text in steps if state == "thinking"] == [""]
    growing = [text for state, text in steps if state == "streaming"]
    assert growing == prefixes(ANSWER)  # every chunk shown on its own: 3 intermediate states
    assert len(sent) == 1
    query = parse_qs(urlsplit(sent[0].url).query)
    assert query == {"question": ["Tell me about ACADEMY DINOSAUR"]}
    assert "Tell me about ACADEMY DINOSAUR" in json.dumps(fake.chat_requests[-1]["messages"])


def test_every_stream_is_closed_so_the_browser_never_asks_again(page: Page, fake: FakeLLM) -> None:
    fake.push(Script.text(["One ", "answer."], delay=0.05), Script.error(400, "bad request"))
    page.fill("#question", "first question")
    page.click("#ask-button")
    wait_for_state(page, "complete")
    page.fill("#question", "second question")
    page.click("#ask-button")
    wait_for_state(page, "error")

    assert log(page)["states"] == [2, 2]  # EventSource.CLOSED: no automatic reconnection


def test_the_page_works_under_its_content_security_policy(page: Page, fake: FakeLLM) -> None:
    fake.push(Script.text(ANSWER, delay=0.05))
    page.fill("#question", "Which films star PENELOPE GUINESS?")
    page.press("#question", "Enter")
    wait_for_state(page, "complete")

    response = page.request.get("/assistant/")
    assert "connect-src 'self'" in response.headers["content-security-policy"]
    assert log(page)["violations"] == []
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(247, 248, 250)"


def test_html_the_model_writes_is_shown_as_text(page: Page, fake: FakeLLM) -> None:
    markup = ["<img src=x onerror=\"document.title='pwned'\">", "<b>bold</b> <script>x()</script>"]
    fake.push(Script.text(markup, delay=0.05))
    page.fill("#question", "Say something in HTML")
    page.press("#question", "Enter")
    wait_for_state(page, "complete")

    assert page.text_content("#answer") == "".join(markup)
    tags = page.eval_on_selector(
        "#answer", "el => [...el.querySelectorAll('*')].map(e => e.tagName)"
    )
    assert tags == ["P"]  # one Markdown paragraph of text
    assert page.title() == "Pagila assistant"


def test_stop_closes_the_stream_and_the_answer_stops_growing(page: Page, fake: FakeLLM) -> None:
    fake.push(Script.text([f"part {n} " for n in range(20)], delay=CHUNK_DELAY))
    page.fill("#question", "A long answer, please")
    page.press("#question", "Enter")
    wait_for_state(page, "streaming")  # the first piece is shown
    page.keyboard.press("Tab")  # the Ask button
    page.keyboard.press("Tab")  # the Stop button, enabled while the answer streams
    assert page.evaluate("document.activeElement.id") == "stop-button"
    page.keyboard.press("Enter")
    wait_for_state(page, "stopped")
    shown = page.text_content("#answer") or ""

    assert fake.wait_for(lambda: fake.cancelled_streams == 1, timeout=10)
    assert page.text_content("#answer") == shown
    assert shown.startswith("part 0 ")
    assert len(shown) < len("".join(f"part {n} " for n in range(20)))
    assert page.text_content("#status") == "Stopped."
    assert page.is_disabled("#stop-button")
    assert page.evaluate("document.activeElement.id") == "question"
    assert log(page)["states"] == [2]


def test_a_model_failure_shows_the_servers_error_message(page: Page, fake: FakeLLM) -> None:
    fake.push(Script.error(500, "the fake model is down"))
    page.fill("#question", "Which films are in stock?")
    page.press("#question", "Enter")
    wait_for_state(page, "error")

    assert page.is_visible("#form-error")
    assert page.text_content("#form-error") == "The language model server reported an error."
    assert page.text_content("#answer") == ""
    assert log(page)["states"] == [2]


def test_a_question_the_server_rejects_shows_a_generic_error(page: Page, fake: FakeLLM) -> None:
    # The page never sends a blank question; rewrite its request to one so the real
    # endpoint answers its real 400 before any stream starts.
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if "/ai/ask" in r.url else None)

    def blank_question(route: Route) -> None:
        route.continue_(url=route.request.url.split("?")[0] + "?question=" + quote("   "))

    page.route("**/api/v1/ai/ask?*", blank_question)
    page.fill("#question", "Which films are in stock?")
    page.press("#question", "Enter")
    wait_for_state(page, "error")

    assert statuses == [400]
    assert page.text_content("#form-error") == GENERIC_ERROR
    assert page.text_content("#status") == "No complete answer."
    assert log(page)["states"] == [2]
    assert fake.chat_requests == []


def test_a_server_that_goes_away_mid_answer_keeps_the_text_and_says_so(
    django_db_setup: None, browser: Browser, fake: FakeLLM
) -> None:
    fake.push(Script.text([f"part {n} " for n in range(60)], delay=CHUNK_DELAY))
    context = browser.new_context()
    context.add_init_script(RECORDER)
    page = context.new_page()
    name = connection.settings_dict["NAME"]
    # Stopped mid-answer, the server cuts the stream off after a second's grace.
    with running_server(
        database_name=name, workers=1, env=model_env(fake), graceful_timeout=1
    ) as url:
        page.goto(f"{url}/assistant/")
        page.fill("#question", "A long answer, please")
        page.press("#question", "Enter")
        wait_for_state(page, "streaming")
    # Leaving the block stopped the server in the middle of the answer.
    wait_for_state(page, "error")

    assert page.text_content("#form-error") == CUT_SHORT
    assert (page.text_content("#answer") or "").startswith("part 0 ")
    assert log(page)["states"] == [2]  # closed: it does not reconnect to ask again
    context.close()


# What Python strips counts as blank: the server would reject it too.
@pytest.mark.parametrize("question", ["", "   \n\t  ", "\x1c\x85\u3000"])
def test_an_empty_question_is_refused_without_asking(page: Page, question: str) -> None:
    sent = asks(page)
    page.fill("#question", question)
    page.click("#ask-button")

    assert page.text_content("#form-error") == "Type a question first."
    assert page.get_attribute("#question", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "question"
    assert sent == []
    assert log(page)["states"] == []


def test_an_over_long_question_is_refused_without_asking(page: Page) -> None:
    sent = asks(page)
    page.fill("#question", "x" * 2001)
    assert len(page.input_value("#question")) == 2000  # the box itself stops at the limit
    page.eval_on_selector("#question", "el => { el.value = 'x'.repeat(2001); }")
    page.press("#question", "Enter")

    error = page.text_content("#form-error")
    assert error == "Questions are limited to 2000 characters (this one has 2001)."
    assert sent == []


def test_shift_enter_adds_a_line_instead_of_asking(page: Page) -> None:
    sent = asks(page)
    page.fill("#question", "first line")
    page.press("#question", "Shift+Enter")

    assert page.input_value("#question") == "first line\n"
    assert sent == []
    assert page.is_disabled("#stop-button")
