"""The shapes of the assistant's requests and answers: DRF serializers and the model's schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from rest_framework import serializers

from films.selectors import MAX_FILM_ID

# The longest question accepted; longer ones get a 400 before any model is asked.
QUESTION_MAX_LENGTH = 2000


class FilmSummary(BaseModel):
    """The summary's JSON, also the schema the model must answer in (`response_format`)."""

    model_config = ConfigDict(extra="forbid")

    title: str
    rating: str
    recommended: bool


class QuestionSerializer(serializers.Serializer):
    """A customer's question: not blank, at most QUESTION_MAX_LENGTH characters."""

    question = serializers.CharField(
        max_length=QUESTION_MAX_LENGTH,
        help_text=f"The question, 1 to {QUESTION_MAX_LENGTH} characters (not only spaces).",
    )


class SummaryRequestSerializer(serializers.Serializer):
    film_id = serializers.IntegerField(
        min_value=1, max_value=MAX_FILM_ID, help_text="The film's id (1 to 1000 in Pagila)."
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
