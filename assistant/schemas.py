"""The shapes of the assistant's requests and answers: DRF serializers and the model's schema."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import extend_schema_field
from pydantic import BaseModel, ConfigDict
from rest_framework import serializers

from pagila_site.api.parsers import StrictBodySerializer
from pagila_site.pagila.fields import PG_INT_MAX

# The longest question accepted; longer ones get a 400 before any model is asked.
QUESTION_MAX_LENGTH = 2000
# A conversation id: 32 URL-safe characters (secrets.token_urlsafe(24)).
CONVERSATION_ID_PATTERN = r"^[A-Za-z0-9_-]{32}$"


class FilmSummary(BaseModel):
    """The summary's JSON, also the schema the model must answer in (`response_format`)."""

    model_config = ConfigDict(extra="forbid")

    title: str
    rating: str
    recommended: bool


# Whitespace spelt out, since Python's `\s` and the schema regex engines' `\s` differ (\x1c-\x1f,
# \ufeff); the same text is the server's test and the schema's pattern.
WHITESPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# What a question is: no NUL (DRF refuses it) and at least one character that is not whitespace.
QUESTION_PATTERN = rf"^[^\x00]*[^\x00{WHITESPACE}][^\x00]*$"


@extend_schema_field(
    {
        "type": "string",
        "minLength": 1,
        "maxLength": QUESTION_MAX_LENGTH,
        "pattern": QUESTION_PATTERN,
    }
)
class QuestionField(serializers.CharField):
    """A question as a JSON string, checked as it came (no trimming) against QUESTION_PATTERN.

    A number or a list is refused rather than turned into text, and the length counts every
    character sent, so the server accepts exactly what the schema describes.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=QUESTION_MAX_LENGTH, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        text = str(super().to_internal_value(data))
        if not re.search(rf"[^{WHITESPACE}]", text):
            self.fail("blank")
        return text


class QuestionSerializer(serializers.Serializer):
    """A customer's question: not blank, at most QUESTION_MAX_LENGTH characters."""

    question = QuestionField(
        help_text=f"The question, 1 to {QUESTION_MAX_LENGTH} characters (not only spaces).",
    )


class AskSerializer(QuestionSerializer):
    """The ask stream's query: the question, and the conversation it continues (if any)."""

    conversation = serializers.RegexField(
        CONVERSATION_ID_PATTERN,
        required=False,
        help_text="The id a previous `start` event gave, to continue that conversation (the "
        "model is shown its earlier turns) once its first answer is complete: a new conversation "
        "is stored with its first answer. Only its creator may continue it: the same session "
        "cookie when it was started with one. Unknown (a first answer that failed or was left "
        "unfinished included), expired or another client's: 404. Without it (or empty) a new "
        "conversation starts.",
    )


class HandoffRequestSerializer(StrictBodySerializer):
    """The body of POST /ai/handoff: the question and nothing else."""

    question = QuestionField(
        help_text=f"The question, 1 to {QUESTION_MAX_LENGTH} characters (not only spaces).",
    )


class SummaryRequestSerializer(StrictBodySerializer):
    """The body of POST /ai/summary: the film's id and nothing else."""

    film_id = serializers.IntegerField(
        min_value=1, max_value=PG_INT_MAX, help_text="The film's id (1 to 1000 in Pagila)."
    )


class FilmSummarySerializer(serializers.Serializer):
    title = serializers.CharField(help_text="The film's title, as the database has it.")
    rating = serializers.CharField(help_text="The MPAA rating: G, PG, PG-13, R or NC-17.")
    recommended = serializers.BooleanField(
        help_text="True when the rating is R or NC-17 and the rental rate is below 3.00."
    )


class HandoffAnswerSerializer(serializers.Serializer):
    agent = serializers.ChoiceField(
        choices=["SearchAgent", "LLMAgent"],
        help_text="SearchAgent: answered from PostgreSQL; LLMAgent: answered by the model.",
    )
    answer = serializers.CharField()
