"""Offline mode: no language model configured, so answers come from the database alone.

Kept apart from the kernel so that the views can say so without importing Semantic Kernel.
"""

from __future__ import annotations

from django.conf import settings

# What every offline answer says (in its text, or in the X-Assistant-Offline header).
NO_MODEL = "No language model is configured (set OPENAI_API_KEY or OPENAI_BASE_URL)"
OFFLINE_NOTICE = f"{NO_MODEL}, so this answer comes from the Pagila database alone."


def is_offline() -> bool:
    """True when neither an API key nor a base URL is set: answers come from the database."""
    return not (settings.OPENAI_API_KEY or settings.OPENAI_BASE_URL)
