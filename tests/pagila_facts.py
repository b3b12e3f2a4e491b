"""Facts of the real Pagila v3.1.0 data that tests assert on or pick their rows by."""

from __future__ import annotations

# Whole-table counts of the loaded dataset.
FILMS = 1000
CATEGORIES = 16
COMEDY_FILMS = 58
COMEDY_CATEGORY = 5
CUSTOMERS = 599
INACTIVE_CUSTOMERS = 15  # `active = 0`
INVENTORY_COPIES = 4581
RENTALS = 16044
OPEN_RENTALS = 183  # `return_date IS NULL`: copies still out
PAYMENTS = 16049

# Rows the rentals tests rent, return and refuse.
ACADEMY_DINOSAUR = 1  # film 1: four copies in each store, one of store 2's still out
IN_STOCK_COPY = 1  # ACADEMY DINOSAUR, store 1
OUT_COPY = 2047  # HYDE DOCTOR, out on OPEN_RENTAL (customer 155)
OPEN_RENTAL = 11496
ACTIVE_CUSTOMER = 1  # MARY SMITH: 32 rentals
INACTIVE_CUSTOMER = 16
STAFF = 1  # Mike Hillyer, store 1
TAMMY_SANDERS = 75  # 41 rentals, three of them open: the most of any customer

# The newest open rental: copy 6 (ACADEMY DINOSAUR, store 2), out with customer 554 since
# 2022-08-20; first in the back office's newest-first list of open rentals.
NEWEST_OPEN_RENTAL = 14098
NEWEST_OPEN_RENTAL_COPY = 6

# Pagila's SHA-1 hash of both staff members' password: it must never reach a page.
STAFF_PASSWORD_HASH = "8cb2237d0679ca88db6464eac60da96345513964"
