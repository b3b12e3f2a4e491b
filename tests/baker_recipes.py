"""model-bakery recipes for the rows tests add to Pagila: users, subscriptions, open rentals.

Pagila's tables are unmanaged, with database defaults and triggers: baker leaves `last_update`
to its `db_default` (the database's now()), and every recipe names a real Pagila row for each
required foreign key, so baker never invents a customer, a store or a film.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.utils import timezone
from model_bakery.recipe import Recipe

from rentals.models import Rental, StreamingSubscription
from tests.pagila_facts import ACTIVE_CUSTOMER, STAFF

# The password of every user these recipes make (hashed with the test settings' fast hasher).
PASSWORD = "pagila-test-pass"

# A user who may log in to the site but not to the back office.
user = Recipe(User, password=lambda: make_password(PASSWORD))
# Staff who may log in to the back office, with no permissions until a test grants some.
staff_user = user.extend(is_staff=True)
# Staff who may see and do everything in the back office.
superuser = staff_user.extend(is_superuser=True)

# A streaming plan of MARY SMITH's, open-ended, starting 2026-01-01.
subscription = Recipe(
    StreamingSubscription,
    customer_id=ACTIVE_CUSTOMER,
    plan_name="Basic",
    start_date=datetime.date(2026, 1, 1),
)

# A rental still out, taken now through staff member 1; give it an `inventory`.
open_rental = Recipe(Rental, rental_date=timezone.now, customer_id=ACTIVE_CUSTOMER, staff_id=STAFF)
