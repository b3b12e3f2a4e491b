"""The assistant page in Chromium: Markdown rendered as it streams, nothing injected runs."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from devtools.fake_llm import FakeLLM, Script
from tests.assistant_page import log, wait_for_state

pytestmark = [pytest.mark.browser, pytest.mark.live]

# A model answer that mixes real Markdown with three ways to run script; chunk boundaries fall
# inside the Markdown on purpose (`**bo` / `ld**`, half a table), as a real stream's do.
HOSTILE_ANSWER = [
    "Here is **bo",
    "ld** and a list:\n\n- ACADEMY DINOSAUR\n- ACE GOLD",
    "FINGER\n\n| Title | Rate |\n| --- | ---",
    ": |\n| ACADEMY DINOSAUR | 0.99 |\n\n",
    "<script>window.pwned=1</script>\n\n",
    '<img src=x onerror="window.pwned=2">\n\n',
    "[click](javascript:window.pwned=3) or [Pagila](https://github.com/devrimgunduz/pagila)",
]
# What the answer's Markdown is made of, and nothing else: no script, no img.
MARKDOWN_TAGS = {"p", "strong", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "a"}
# Every element in the answer and its attributes, as the browser built them.
ELEMENTS = """el => [...el.querySelectorAll("*")].map(
  (node) => [node.tagName.toLowerCase(), node.getAttributeNames()])"""


def test_markdown_is_rendered_and_nothing_injected_runs(page: Page, fake: FakeLLM) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    fake.push(Script.text(HOSTILE_ANSWER, delay=0.1))
    page.fill("#question", "Show me some films")
    page.press("#question", "Enter")
    wait_for_state(page, "complete")
    page.click("#answer a:text-is('click')")

    answer = page.locator("#answer")
    assert answer.locator("strong").all_text_contents() == ["bold"]
    assert answer.locator("ul > li").all_text_contents() == ["ACADEMY DINOSAUR", "ACE GOLDFINGER"]
    assert answer.locator("thead th").all_text_contents() == ["Title", "Rate"]
    assert answer.locator("tbody td").all_text_contents() == ["ACADEMY DINOSAUR", "0.99"]
    assert answer.locator("td").last.get_attribute("align") == "right"
    # The model's tags are shown as the text it wrote, not run and not silently dropped.
    text = answer.text_content() or ""
    assert "<script>window.pwned=1</script>" in text
    assert '<img src=x onerror="window.pwned=2">' in text
    assert page.evaluate("typeof window.pwned") == "undefined"
    elements = answer.evaluate(ELEMENTS)
    assert {tag for tag, _ in elements} == MARKDOWN_TAGS
    assert not [name for _, names in elements for name in names if name.startswith("on")]
    assert not [name for _, names in elements for name in names if name == "style"]
    click, pagila = answer.locator("a").all()
    assert click.text_content() == "click"
    assert click.get_attribute("href") is None  # DOMPurify dropped the javascript: address
    assert pagila.get_attribute("href") == "https://github.com/devrimgunduz/pagila"
    for link in (click, pagila):
        assert link.get_attribute("rel") == "noopener noreferrer"
    assert log(page)["violations"] == []
    assert [line for line in console if "Content Security Policy" in line] == []
    assert errors == []


def test_markdown_is_re_rendered_as_the_answer_streams(page: Page, fake: FakeLLM) -> None:
    chunks = ["Two films:\n\n- **ACADEMY", " DINOSAUR**\n- ACE", " GOLDFINGER"]
    fake.push(Script.text(chunks, delay=0.3))
    page.fill("#question", "Two films, please")
    page.press("#question", "Enter")
    wait_for_state(page, "complete")

    growing = [text for state, text in log(page)["steps"] if state == "streaming"]
    # What the reader saw: the list grows, and the half-written bold shows as stars until closed.
    assert growing == [
        "Two films:\n\n**ACADEMY\n",
        "Two films:\n\nACADEMY DINOSAUR\nACE\n",
        "Two films:\n\nACADEMY DINOSAUR\nACE GOLDFINGER\n",
    ]
    assert page.locator("#answer li strong").all_text_contents() == ["ACADEMY DINOSAUR"]
