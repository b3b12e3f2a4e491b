"""`manage.py assistant_expire`: delete conversations idle for longer than AI_CONVERSATION_HOURS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assistant.conversations import conversations_expire


class Command(BaseCommand):
    help = "Delete the assistant's conversations (and turns) idle past AI_CONVERSATION_HOURS."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = conversations_expire()
        self.stdout.write(f"{deleted} expired conversation(s) deleted.")
