"""The staff assistant's answers: the model with the store functions, or offline from them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from typing import Any

from assistant import prompts, store_plugin
from assistant.database import database_call
from assistant.kernel import get_kernel, staff_kernel
from assistant.models import Turn
from assistant.offline import OFFLINE_NOTICE
from assistant.services import model_answer
from assistant.store_plugin import StaffUser, StorePlugin

# The three kinds of question answered offline, as the issue names them.
OFFLINE_KINDS = (
    'Offline, the staff assistant answers three kinds of question: "Which copies at store 1 '
    'are overdue?", "What does MARY SMITH owe?" and "How many copies of ACADEMY DINOSAUR are in?".'
)
OVERDUE_AT_STORE = re.compile(r"\boverdue\b.*\bstore\s+(\d+)|\bstore\s+(\d+)\b.*\boverdue\b", re.I)
OWES = re.compile(r"\bdoes\s+(.+?)\s+owe\b", re.I)
COPIES = re.compile(r"\bcopies\b", re.I)
# Customers listed when a name finds several.
NAMESAKES = 5


def staff_answer_chunks(
    question: str,
    earlier: Sequence[Turn] = (),
    cited: dict[int, dict[str, Any]] | None = None,
    *,
    user: StaffUser,
) -> AsyncIterator[str]:
    """The staff assistant's answer, piece by piece: the model calls the catalogue's and the
    store's functions, the store's checked against `user`'s permissions. Offline, the notice,
    then the answer to one of the OFFLINE_KINDS of question (checked the same way), if it is one.
    """
    assistant = get_kernel()
    if assistant.offline:
        return _offline_chunks(question, StorePlugin(user))
    staff = staff_kernel(assistant, user)
    return model_answer(staff, prompts.STAFF_SYSTEM_PROMPT, question, earlier, cited)


async def _offline_chunks(question: str, store: StorePlugin) -> AsyncIterator[str]:
    yield OFFLINE_NOTICE + "\n"
    for line in await database_call(offline_answer)(question, store):
        yield line + "\n"


def offline_answer(question: str, store: StorePlugin) -> list[str]:
    """The lines answering an overdue, balance or stock question from the store functions."""
    if match := OVERDUE_AT_STORE.search(question):
        store_id = int(match.group(1) or match.group(2))
        overdue = store.checked_read(
            store_plugin.OVERDUE, store_plugin.overdue_rentals, store_id, store_plugin.MAX_ROWS
        )
        return _overdue_lines(overdue)
    if match := OWES.search(question):
        return _owed_lines(store, match.group(1).strip())
    if COPIES.search(question):
        stock = store.checked_read(store_plugin.STOCK, store_plugin.film_stock, question)
        return _stock_lines(stock)
    return [OFFLINE_KINDS]


def _refused(told: dict[str, Any]) -> list[str]:
    """The function's refusal or error as a sentence."""
    error = str(told["error"])
    return [f"{error[:1].upper()}{error[1:]}."]


def _overdue_lines(told: dict[str, Any]) -> list[str]:
    if "error" in told:
        return _refused(told)
    rows = told["rentals"]
    lines = [f"Store {told['store_id']}: {told['total']} copies overdue."]
    if rows:
        lines[0] += f" The most overdue {len(rows)}:"
    lines += [
        f"- {row['film']['title']} (copy {row['inventory_id']}), rented by {row['customer']} "
        f"on {row['rental_date']:%Y-%m-%d}: {row['days_overdue']} days overdue, "
        f"${row['amount_due']} due"
        for row in rows
    ]
    return lines


def _owed_lines(store: StorePlugin, name: str) -> list[str]:
    found = store.checked_read(
        store_plugin.FIND_CUSTOMER, store_plugin.find_customer, name, NAMESAKES
    )
    if "error" in found:
        return _refused(found)
    customers = found["customers"]
    if len(customers) != 1:
        names = "; ".join(_customer(c) for c in customers) or "none"
        return [f"{found['total']} customers match {name!r} ({names}): name one of them."]
    (customer,) = customers
    owed = store.checked_read(
        store_plugin.BALANCE, store_plugin.customer_balance, customer["customer_id"]
    )
    if "error" in owed:
        return _refused(owed)
    balance: Decimal = owed["balance"]
    owes = f"owes ${balance}" if balance >= 0 else f"owes nothing: ${-balance} in credit"
    return [
        f"{_customer(customer)} {owes} (rental fees ${owed['rental_fees']} + late fees "
        f"${owed['late_fees']} - payments ${owed['payments']})."
    ]


def _customer(row: dict[str, Any]) -> str:
    return f"{row['first_name']} {row['last_name']} (customer {row['customer_id']})"


def _stock_lines(told: dict[str, Any]) -> list[str]:
    if "error" in told:
        return _refused(told)
    stores = "; ".join(
        f"store {s['store_id']}: {s['in']} of {s['copies']} copies in" for s in told["stores"]
    )
    return [f"{told['title']}: {stores}."]
