"""The assistant's own tables: conversations and their turns (managed, unlike Pagila's)."""

from __future__ import annotations

from django.db import models


class Conversation(models.Model):
    """A thread of questions and answers, reachable only with its id and by its creator.

    The id is shown to its creator once (in the `start` event) and stored only as its SHA-256
    (`id_hash`), so the table never holds an id anyone could continue with. `owner_hash` is the
    SHA-256 of the creator's session key, or empty when the creator had no session (an API
    client: the id alone is then its credential). `updated_at` moves with each turn; expiry
    counts from it.
    """

    id_hash = models.CharField(max_length=64, unique=True)
    owner_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"conversation {self.pk}"


class Turn(models.Model):
    """One question, the answer given to it, and the films the answer came from."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    question = models.TextField()
    answer = models.TextField()
    # [{"film_id", "title", "rental_rate", "rating"}, ...] as the `sources` event sent them.
    sources = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"turn {self.pk} of conversation {self.conversation_id}"
