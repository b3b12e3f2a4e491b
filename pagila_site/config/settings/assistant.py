"""The assistant: the language model (OpenAI or any OpenAI-compatible server) and its limits."""

from __future__ import annotations

from pagila_site.config.settings.env import env

OPENAI_API_KEY = env("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env("OPENAI_BASE_URL", default="")
OPENAI_MODEL = env("OPENAI_MODEL", default="gpt-4o-mini")
# Seconds to wait for the model to connect and for each part of its answer before giving up.
AI_TIMEOUT = env.float("AI_TIMEOUT", default=30.0)
# Most tokens the model may write in one answer.
AI_MAX_TOKENS = env.int("AI_MAX_TOKENS", default=800)
# Retries of a failed model request (with the openai SDK's backoff); 0 reports failures at once.
AI_MAX_RETRIES = env.int("AI_MAX_RETRIES", default=0)
# Requests per client to the AI endpoints, in DRF rate syntax ("30/min", "500/hour"); "off": none.
AI_RATE_LIMIT = env("AI_RATE_LIMIT", default="30/min")
# The cache holding the rate-limit counters, shared by all workers: a database table (created by
# a migration) unless CACHE_URL names another, e.g. redis://127.0.0.1:6379/0 (needs `redis`).
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://pagila_cache")}
