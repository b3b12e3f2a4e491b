"""The assistant's answers: streamed catalogue answers, film summaries and the agent handoff."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import structlog
from openai.types.shared_params import ResponseFormatJSONSchema
from pydantic import ValidationError
from semantic_kernel.agents import ChatCompletionAgent
from semantic_kernel.connectors.ai import FunctionChoiceBehavior
from semantic_kernel.contents import ChatHistory
from semantic_kernel.functions import KernelArguments

from assistant import prompts, sources
from assistant.database import database_call
from assistant.errors import upstream_error_for
from assistant.kernel import AssistantKernel, chat_settings, get_kernel
from assistant.models import Turn
from assistant.offline import NO_MODEL, OFFLINE_NOTICE
from assistant.plugins import PLUGIN_NAME, to_json
from assistant.schemas import FilmSummary
from assistant.streaming import model_text
from assistant.understanding import understand
from films import selectors
from films.models import Rating
from pagila_site.api.errors import NotFound

logger = structlog.get_logger("pagila.assistant")

# The store's rule: recommended when rated above PG-13 and renting for less than this.
RECOMMENDED_RATINGS = frozenset({Rating.R.value, Rating.NC_17.value})
RECOMMENDED_BELOW = Decimal("3.00")
# How many films an offline answer lists.
OFFLINE_RESULTS = 5
# Words that every catalogue question may use but no film description does: left out of searches.
CATALOGUE_WORDS = frozenset({"film", "films", "movie", "movies", "dvd", "dvds"})
# Rounds of function calls the model may make for one question before it must answer.
MAX_TOOL_ROUNDS = 4
# The summary's `response_format`: FilmSummary's JSON schema in OpenAI's documented strict
# shape, built once (SK would rebuild it from the model class on every request). Strict mode
# needs every property required and no other allowed: FilmSummary has no defaults, no extras.
SUMMARY_RESPONSE_FORMAT: ResponseFormatJSONSchema = {
    "type": "json_schema",
    "json_schema": {
        "name": FilmSummary.__name__,
        "schema": FilmSummary.model_json_schema(),
        "strict": True,
    },
}

Agent = Literal["SearchAgent", "LLMAgent"]


def is_recommended(rating: str | None, rental_rate: Decimal) -> bool:
    """The store's rule: rated R or NC-17 and renting for less than 3.00."""
    return rating in RECOMMENDED_RATINGS and rental_rate < RECOMMENDED_BELOW


def _upstream_failure(exc: Exception, **context: Any) -> Exception:
    """The exception to raise for a failed model call: an UpstreamError when it is one."""
    upstream = upstream_error_for(exc)
    if upstream is None:
        return exc
    logger.warning("model request failed", code=upstream.code, error=repr(exc), **context)
    return upstream


# --- Ask: a streamed answer -----------------------------------------------------------------


def _film_line(row: dict[str, Any]) -> str:
    categories = ", ".join(row["categories"]) or "uncategorised"
    return (
        f"- {row['title']} ({row['release_year']}, {categories}, rated {row['rating']}): "
        f"${row['rental_rate']} to rent\n"
    )


def _header(total: int, shown: int, understood: str = "") -> str:
    """The line above the listed films: what was understood (if anything) and how many match."""
    first = f"; the first {shown}" if shown < total else ""
    if understood:
        noun = "film" if total == 1 else "films"
        return f"{understood}: {total} {noun}{first}" + (":" if total else ".")
    if total == 0:
        return "No film in the catalogue matches your question."
    if total == 1:
        return "1 film matches your question:"
    return f"{total} films match your question{first}:"


def _offline_matches(question: str) -> tuple[str, list[dict[str, Any]]]:
    """The line saying what was found (and understood), and the first OFFLINE_RESULTS films.

    Filters the question states (category, rating, price, length, actor) select through the
    film list's selectors; otherwise the films it names, else a full-text search of all its
    words, else of any of them.
    """
    understood = understand(question)
    if understood:
        films = understood.films()
    else:
        films = selectors.films_named_in(question)
        words = [w for w in re.findall(r"[^\W_]+", question) if w.lower() not in CATALOGUE_WORDS]
        if words and not films.exists():
            films = selectors.film_list(search=" ".join(words))
            if not films.exists():
                films = selectors.film_list(search=" or ".join(words))
    rows = selectors.film_list_rows(films[:OFFLINE_RESULTS])
    total = films.count() if len(rows) == OFFLINE_RESULTS else len(rows)
    return _header(total, len(rows), understood.describe() if understood else ""), rows


def answer_chunks(
    question: str,
    earlier: Sequence[Turn] = (),
    cited: dict[int, dict[str, Any]] | None = None,
) -> AsyncIterator[str]:
    """The answer to a question, piece by piece as the model writes it (offline: from search).

    The model is shown the `earlier` turns first. The films the answer came from (those the
    kernel functions returned, or offline the films listed) are added to `cited`. Call it from
    async code; it hands back the model's own iterator, with no layer between.
    """
    assistant = get_kernel()
    if assistant.offline:
        return _offline_answer(question, cited)
    return model_answer(assistant, prompts.ASK_SYSTEM_PROMPT, question, earlier, cited)


async def _offline_answer(
    question: str, cited: dict[int, dict[str, Any]] | None
) -> AsyncIterator[str]:
    header, rows = await database_call(_offline_matches)(question)
    if cited is not None:
        sources.add(cited, rows)
    yield OFFLINE_NOTICE + "\n"
    yield header + "\n"
    for row in rows:
        yield _film_line(row)


async def model_answer(
    assistant: AssistantKernel,
    system_prompt: str,
    question: str,
    earlier: Sequence[Turn],
    cited: dict[int, dict[str, Any]] | None,
) -> AsyncIterator[str]:
    """The model's answer as it writes it, calling the functions of `assistant`'s kernel.

    The model is offered every function of the kernel but the handoff's router, and shown
    the `earlier` turns before the question; the films the functions return go to `cited`.
    """
    history = ChatHistory(system_message=system_prompt)
    for turn in earlier:
        history.add_user_message(turn.question)
        history.add_assistant_message(turn.answer)
    history.add_user_message(question)
    behaviour = FunctionChoiceBehavior.Auto(
        # model_text runs the calls: Semantic Kernel's loop would keep every chunk meanwhile.
        auto_invoke=False,
        filters={"excluded_functions": [f"{PLUGIN_NAME}-film_named_in"]},
    )
    settings = chat_settings(function_choice_behavior=behaviour)
    context = sources.collecting(cited) if cited is not None else None
    async for text in model_text(
        assistant, history, settings, context, tool_rounds=MAX_TOOL_ROUNDS
    ):
        yield text


# --- Summary: strict JSON, checked against the database ---------------------------------------


def _summary_facts(film_id: int) -> tuple[FilmSummary, dict[str, Any]]:
    """The true summary of a film and the facts the model is shown (NotFound if unknown)."""
    film = selectors.film_rows().filter(pk=film_id).first()
    if film is None:
        raise NotFound(f"No film has id {film_id}.")
    truth = FilmSummary(
        title=film.title,
        rating=film.rating or "",
        recommended=is_recommended(film.rating, film.rental_rate),
    )
    facts = {
        "title": film.title,
        "rating": film.rating,
        "rental_rate": film.rental_rate,
        "categories": list(film.category_names),  # type: ignore[attr-defined]
        "description": film.description,
    }
    return truth, facts


def check_summary(film_id: int, truth: FilmSummary, reply: str) -> FilmSummary:
    """The database's summary, after logging where the model's JSON `reply` disagrees with it."""
    try:
        claimed = FilmSummary.model_validate_json(reply)
    except ValidationError as exc:
        logger.warning(
            "model summary is not valid JSON for the schema; the database's values win",
            film_id=film_id,
            reply=reply[:500],
            errors=exc.errors(include_url=False, include_input=False),
        )
        return truth
    wrong = {
        field: {"model": getattr(claimed, field), "database": getattr(truth, field)}
        for field in FilmSummary.model_fields
        if getattr(claimed, field) != getattr(truth, field)
    }
    if wrong:
        logger.warning("model summary disagrees; the database wins", film_id=film_id, **wrong)
    return truth


async def film_summary(film_id: int) -> tuple[FilmSummary, bool]:
    """The film's {title, rating, recommended} and whether a model was asked (False: offline).

    The model is asked for the JSON with the schema as `response_format`, but the answer is
    always the database's: title and rating as stored, recommended by the store's rule.
    Raises NotFound for an unknown film and an UpstreamError when the model server fails.
    """
    truth, facts = await database_call(_summary_facts)(film_id)
    assistant = get_kernel()
    if assistant.chat is None:
        return truth, False
    history = ChatHistory(system_message=prompts.SUMMARY_SYSTEM_PROMPT)
    history.add_user_message(to_json(facts))
    settings = chat_settings(response_format=SUMMARY_RESPONSE_FORMAT)
    try:
        reply = await assistant.chat.get_chat_message_content(history, settings)
    except Exception as exc:
        raise _upstream_failure(exc, film_id=film_id) from exc
    return check_summary(film_id, truth, str(reply or "")), True


# --- Handoff: SearchAgent (PostgreSQL) or LLMAgent (the model) ---------------------------------


@dataclass(frozen=True)
class HandoffAnswer:
    agent: Agent
    answer: str


def search_agent_answer(film: dict[str, Any]) -> str:
    categories = " and ".join(film["categories"]) or "uncategorised"
    return f"{film['title']} ({categories}) rents for ${film['rental_rate']}."


async def handoff(question: str) -> HandoffAnswer:
    """SearchAgent answers when the question names a catalogue film, LLMAgent otherwise.

    The route is the plugin's `film_named_in` kernel function, not the model's choice (see the
    README for why not SK's HandoffOrchestration). Raises an UpstreamError when LLMAgent's
    model server fails.
    """
    assistant = get_kernel()
    named = await assistant.kernel.invoke(
        plugin_name=PLUGIN_NAME, function_name="film_named_in", question=question
    )
    film = json.loads(str(named.value)) if named is not None else None
    if film:
        answer = search_agent_answer(film)
        if assistant.offline:
            answer = f"{answer} {OFFLINE_NOTICE}"
        return HandoffAnswer("SearchAgent", answer)
    if assistant.chat is None:
        return HandoffAnswer(
            "LLMAgent",
            f"{NO_MODEL}, so only questions that name a film in the catalogue can be answered.",
        )
    agent = ChatCompletionAgent(
        name="LLMAgent",
        instructions=prompts.LLM_AGENT_INSTRUCTIONS,
        service=assistant.chat,
        arguments=KernelArguments(settings=chat_settings()),
    )
    try:
        reply = await agent.get_response(messages=question)
    except Exception as exc:
        raise _upstream_failure(exc, agent="LLMAgent") from exc
    return HandoffAnswer("LLMAgent", str(reply.message.content))
