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
# When the rate-limit counter cannot be read (its cache is down): true serves the AI endpoints
# without the limit (each such request logged), false refuses them with 503 rate_limit_unavailable.
AI_RATE_LIMIT_FAIL_OPEN = env.bool("AI_RATE_LIMIT_FAIL_OPEN", default=False)
# The cache holding the rate-limit counters, shared by all workers and instances: a database
# table (created by a migration) unless CACHE_URL names another, e.g. redis://127.0.0.1:6379/0.
CACHES = {"default": env.cache_url("CACHE_URL", default="dbcache://pagila_cache")}
# django-environ leaves `?key_prefix=` (and the other top-level options) lower case for Django's
# RedisCache, where Django reads only KEY_PREFIX, TIMEOUT, ...: name them as Django does.
CACHES["default"] = {name.upper(): value for name, value in CACHES["default"].items()}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Seconds to wait for Redis to connect and to answer, so an outage fails fast instead of
    # holding requests; `?socket_timeout=...` in CACHE_URL overrides.
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 1.0,
        "socket_timeout": 1.0,
        **CACHES["default"].get("OPTIONS", {}),
    }
# Hours a conversation may rest between turns before it expires (then it is a 404 and
# `manage.py assistant_expire` deletes it with its turns).
AI_CONVERSATION_HOURS = env.int("AI_CONVERSATION_HOURS", default=24)
# Most characters of earlier turns (questions and answers) sent to the model with a new question;
# the newest turns are kept, older ones dropped whole. About 4 characters make a token.
AI_HISTORY_CHARS = env.int("AI_HISTORY_CHARS", default=6000)
# Modules a server process imports before it serves (`load_views_and_freeze_heap`). The views
# import Semantic Kernel and the openai SDK (about 1.6 CPU-seconds) only on first use, so that
# management commands skip them; a server loads them up front, once in gunicorn's master.
SERVER_PRELOAD = ["assistant.services", "assistant.staff"]
