"""GET /assistant/: the chat page's HTML, its security headers and its local static files."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import resolve

from assistant.pages import CONTENT_SECURITY_POLICY
from assistant.schemas import QUESTION_MAX_LENGTH
from assistant.views import AskView

# The page gives its visitor a session (stored in the database) for the conversations.
pytestmark = pytest.mark.django_db


class PageParts(HTMLParser):
    """Collects the tags, attributes and inline code of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_code: list[str] = []
        self._inside: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._inside = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._inside = None

    def handle_data(self, data: str) -> None:
        if self._inside and data.strip():
            self.inline_code.append(data)

    def first(self, tag: str, **attrs: str) -> dict[str, str | None]:
        return next(
            found
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        )


@pytest.fixture
def page(client: Client) -> PageParts:
    response = client.get("/assistant/")
    assert response.status_code == 200
    parts = PageParts()
    parts.feed(response.content.decode())
    return parts


def test_the_page_is_html_served_under_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/assistant/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    policy = response["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_the_page_has_no_inline_script_style_or_event_handler(page: PageParts) -> None:
    assert page.inline_code == []
    assert all(tag != "style" for tag, _ in page.tags)
    for tag, attrs in page.tags:
        assert "style" not in attrs, tag
        assert not [name for name in attrs if name.startswith("on")], tag
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts == [
        {"src": f"/static/assistant/{path}", "defer": None}
        for path in ("vendor/marked.umd.js", "vendor/purify.min.js", "markdown.js", "assistant.js")
    ]


def test_the_form_names_the_endpoint_and_the_length_limit(page: PageParts) -> None:
    form = page.first("form", id="ask-form")
    assert form["data-ask-url"] == "/api/v1/ai/ask"
    assert resolve("/api/v1/ai/ask").func.view_class is AskView  # type: ignore[attr-defined]
    assert form["data-max-length"] == str(QUESTION_MAX_LENGTH) == "2000"
    question = page.first("textarea", id="question")
    assert question["maxlength"] == "2000"
    assert page.first("label")["for"] == "question"


def test_the_answer_is_a_live_region_and_errors_are_alerts(page: PageParts) -> None:
    assert page.first("div", id="answer")["aria-live"] == "polite"
    assert page.first("p", id="status")["role"] == "status"
    assert page.first("p", id="form-error")["role"] == "alert"
    assert page.first("button", id="stop-button")["type"] == "button"


@pytest.mark.parametrize(
    ("path", "content_type", "marker"),
    [
        ("/static/assistant/assistant.js", "text/javascript", b"new EventSource("),
        ("/static/assistant/markdown.js", "text/javascript", b"purifier.sanitize("),
        ("/static/assistant/vendor/marked.umd.js", "text/javascript", b"marked v18.3.0"),
        ("/static/assistant/vendor/purify.min.js", "text/javascript", b"DOMPurify 3.5.0"),
        ("/static/assistant/assistant.css", "text/css", b".answer"),
        ("/static/assistant/favicon.svg", "image/svg+xml", b"<svg"),
    ],
)
def test_the_static_files_are_served_locally(
    client: Client, path: str, content_type: str, marker: bytes
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert marker in b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["assistant/assistant.js", "assistant/markdown.js"])
def test_the_scripts_never_write_html(name: str) -> None:
    from django.contrib.staticfiles import finders

    script = finders.find(name)
    assert script is not None
    with open(script, encoding="utf-8") as handle:
        source = handle.read()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in source


def test_posting_to_the_page_is_not_allowed(client: Client) -> None:
    assert client.post("/assistant/").status_code == 405
