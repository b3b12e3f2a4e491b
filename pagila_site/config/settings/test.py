"""The test suite's settings: the project's own, with a fast password hasher.

Django's default PBKDF2 hasher spends a million iterations on every password the tests set or
check (staff logins in the admin tests); MD5 keeps those tests about the admin, not the hash.
"""

from pagila_site.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
