"""Pagila API's settings, one module per concern, every value read from the environment.

DJANGO_SETTINGS_MODULE is this package; `test` adds what only the test suite wants. Importing
these modules reads variables and nothing else: no server, connection or logger starts here.
"""

from pagila_site.config.settings.api import *  # noqa: F403
from pagila_site.config.settings.assistant import *  # noqa: F403
from pagila_site.config.settings.core import *  # noqa: F403
from pagila_site.config.settings.cors import *  # noqa: F403
from pagila_site.config.settings.database import *  # noqa: F403
from pagila_site.config.settings.lockout import *  # noqa: F403
from pagila_site.config.settings.logs import *  # noqa: F403
from pagila_site.config.settings.security import *  # noqa: F403
