"""The back office's login: brute-force lockout per user and per address (django-axes)."""

from __future__ import annotations

from datetime import timedelta

from pagila_site.config.settings.env import env

# Axes checks every login before Django's own backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins after which logging in is refused: counted per username (from any address) and,
# separately, per client address (for any username), in the database all instances share.
AXES_FAILURE_LIMIT = env.int("ADMIN_LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# How long a lockout lasts, counted from the failure that caused it (further tries while locked
# do not extend it). Staff lift one sooner by deleting its row under Axes > Access attempts.
AXES_COOLOFF_TIME = timedelta(minutes=env.int("ADMIN_LOCKOUT_MINUTES", default=15))
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful login clears that user's failures.
AXES_RESET_ON_SUCCESS = True
# The address as the AI rate limit sees it: REMOTE_ADDR, or what NUM_PROXIES proxies forwarded.
AXES_CLIENT_IP_CALLABLE = "pagila_site.serving.client_address.client_address"
# The locked-out page: the admin's look, the cool-off, and how staff lift a lockout (429).
AXES_LOCKOUT_CALLABLE = "pagila_site.pagila.admin_lockout.locked_out_page"
# No start-up banner in every manage.py command's output; lockouts are logged as they happen.
AXES_VERBOSE = False
