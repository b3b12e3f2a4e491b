"""GET /admin/assistant/ask: staff only, the store functions offered and run for the staff user's
permissions, the three questions the issue names end to end against the fake model, offline
answers, conversations apart from the public assistant's, the rate limit, and the admin page.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import AsyncClient, Client

from assistant.models import Conversation
from assistant.offline import OFFLINE_NOTICE
from assistant.prompts import STAFF_SYSTEM_PROMPT
from assistant.staff import OFFLINE_KINDS
from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import (
    STAFF_TOOLS,
    START,
    Streamed,
    ask,
    offered_tools,
    results_by_call,
    staff_ask,
)
from tests.baker_recipes import superuser
from tests.clients import STAFF_ASK_URL, STAFF_PAGE_URL, assert_problem
from tests.pagila_facts import ACADEMY_DINOSAUR, ACTIVE_CUSTOMER

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_conversations")]

COMPLETE = ("complete", {"status": "completed"})
MARY_SMITH_EMAIL = "MARY.SMITH@sakilacustomer.org"


def logged_in(user: User) -> AsyncClient:
    """A client holding `user`'s back-office session."""
    client = AsyncClient()
    client.force_login(user)
    return client


def text_of(streamed: Streamed) -> str:
    return "".join(data["content"] for name, data in streamed.events if name == "message")


def told(fake: FakeLLM, script: Script) -> list[dict[str, Any]]:
    """What each scripted call returned to the model, parsed."""
    return [json.loads(result or "null") for result in results_by_call(fake, script)]


@pytest.fixture
def manager() -> User:
    return superuser.make(username="manager")


def test_anonymous_callers_get_a_403_problem_and_reach_no_model(model: FakeLLM) -> None:
    streamed = staff_ask("What does MARY SMITH owe?")
    assert_problem(streamed.response, 403, "not_authenticated")
    assert streamed.json()["detail"] == "Log in to the back office first."
    assert model.chat_requests == []


def test_users_who_are_not_staff_get_a_403_problem(model: FakeLLM, customer_user: User) -> None:
    streamed = staff_ask("What does MARY SMITH owe?", logged_in(customer_user))
    assert_problem(streamed.response, 403, "permission_denied")
    assert model.chat_requests == []


def test_a_deactivated_staff_users_session_no_longer_counts(model: FakeLLM, manager: User) -> None:
    client = logged_in(manager)
    User.objects.filter(pk=manager.pk).update(is_active=False)
    assert_problem(staff_ask("Hello", client).response, 403, "not_authenticated")
    assert model.chat_requests == []


def test_a_bad_question_from_staff_is_a_400(model: FakeLLM, manager: User) -> None:
    assert_problem(staff_ask(" ", logged_in(manager)).response, 400, "invalid")


def test_staff_are_offered_the_store_functions_with_the_staff_prompt(
    model: FakeLLM, manager: User
) -> None:
    model.push(Script.text(["Hello, ", "manager."]))
    streamed = staff_ask("Hello", logged_in(manager))
    assert streamed.response["Content-Type"] == "text/event-stream"
    assert streamed.events == [
        START,
        ("message", {"content": "Hello, "}),
        ("message", {"content": "manager."}),
        COMPLETE,
    ]
    assert offered_tools(model) == STAFF_TOOLS
    assert model.chat_requests[0]["messages"][0] == {
        "role": "system",
        "content": STAFF_SYSTEM_PROMPT,
    }


def test_what_does_mary_smith_owe(model: FakeLLM, manager: User) -> None:
    find = Script.tool_call("store-find_customer", {"text": "MARY SMITH"})
    balance = Script.tool_call("store-customer_balance", {"customer_id": ACTIVE_CUSTOMER})
    model.push(find, balance, Script.text("MARY SMITH owes nothing: she has $4.00 in credit."))
    streamed = staff_ask("What does MARY SMITH owe?", logged_in(manager))

    assert streamed.events[-1] == COMPLETE
    assert text_of(streamed) == "MARY SMITH owes nothing: she has $4.00 in credit."
    (found,) = told(model, find)
    assert found["customers"][0]["email"] == MARY_SMITH_EMAIL
    (owed,) = told(model, balance)
    assert (owed["customer_id"], owed["balance"]) == (ACTIVE_CUSTOMER, "-4.00")


def test_which_copies_at_store_1_are_overdue(model: FakeLLM, manager: User) -> None:
    overdue = Script.tool_call("store-overdue_rentals", {"store_id": 1})
    model.push(overdue, Script.text("92 copies at store 1 are overdue."))
    streamed = staff_ask("Which copies at store 1 are overdue?", logged_in(manager))

    assert streamed.events[-1] == COMPLETE
    (result,) = told(model, overdue)
    assert (result["store_id"], result["total"], len(result["rentals"])) == (1, 92, 10)
    assert {rental["store_id"] for rental in result["rentals"]} == {1}


def test_how_many_copies_of_academy_dinosaur_are_in(model: FakeLLM, manager: User) -> None:
    stock = Script.tool_call("store-film_stock", {"title": "ACADEMY DINOSAUR"})
    model.push(stock, Script.text("4 at store 1, 3 at store 2."))
    streamed = staff_ask("How many copies of ACADEMY DINOSAUR are in?", logged_in(manager))

    assert streamed.events[-1] == COMPLETE
    (result,) = told(model, stock)
    assert result["film_id"] == ACADEMY_DINOSAUR
    assert [(s["store_id"], s["in"], s["copies"]) for s in result["stores"]] == [
        (1, 4, 4),
        (2, 3, 4),
    ]


def test_staff_without_permissions_get_a_refusal_and_no_customer_data(
    model: FakeLLM, clerk: User
) -> None:
    find = Script.tool_call("store-find_customer", {"text": "MARY SMITH"})
    balance = Script.tool_call("store-customer_balance", {"customer_id": ACTIVE_CUSTOMER})
    model.push(find, balance, Script.text("You lack the permission to view customers."))
    streamed = staff_ask("What does MARY SMITH owe?", logged_in(clerk))

    assert streamed.events[-1] == COMPLETE
    assert [result for result in told(model, find) + told(model, balance)] == [
        {
            "error": "not allowed: clerk lacks the permission rentals.view_customer, so this "
            "cannot be looked up; an administrator can grant it in the back office"
        },
        {
            "error": "not allowed: clerk lacks the permission rentals.view_customer and "
            "rentals.view_payment, so this cannot be looked up; an administrator can grant it "
            "in the back office"
        },
    ]
    everything = json.dumps(model.chat_requests) + b"".join(streamed.parts).decode()
    for fact in (MARY_SMITH_EMAIL, "118.68", "-4.00"):
        assert fact not in everything


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (
            "What does MARY SMITH owe?",
            "MARY SMITH (customer 1) owes nothing: $4.00 in credit (rental fees $93.68 + late "
            "fees $21.00 - payments $118.68).\n",
        ),
        (
            "How many copies of ACADEMY DINOSAUR are in?",
            "ACADEMY DINOSAUR: store 1: 4 of 4 copies in; store 2: 3 of 4 copies in.\n",
        ),
        ("Who are you?", OFFLINE_KINDS + "\n"),
    ],
)
def test_offline_the_named_questions_are_answered_from_the_store_functions(
    offline: None, manager: User, question: str, answer: str
) -> None:
    streamed = staff_ask(question, logged_in(manager))
    assert streamed.response["X-Assistant-Offline"]
    assert streamed.events == [
        START,
        ("message", {"content": OFFLINE_NOTICE + "\n"}),
        ("message", {"content": answer}),
        COMPLETE,
    ]


def test_offline_overdue_copies_at_store_1(offline: None, manager: User) -> None:
    text = text_of(staff_ask("Which copies at store 1 are overdue?", logged_in(manager)))
    lines = text.splitlines()
    assert lines[1] == "Store 1: 92 copies overdue. The most overdue 10:"
    assert len(lines) == 12 and all(line.startswith("- ") for line in lines[2:])
    assert "SUIT WALLS (copy 3947), rented by ROLAND SOUTH on 2022-02-14" in lines[2]


def test_offline_the_permissions_hold_too(offline: None, clerk: User) -> None:
    text = text_of(staff_ask("What does MARY SMITH owe?", logged_in(clerk)))
    assert text == (
        f"{OFFLINE_NOTICE}\nNot allowed: clerk lacks the permission rentals.view_customer, so "
        "this cannot be looked up; an administrator can grant it in the back office.\n"
    )


def test_staff_conversations_continue_only_on_the_staff_endpoint(
    model: FakeLLM, manager: User
) -> None:
    client = logged_in(manager)
    model.push(Script.text("MARY SMITH owes nothing."), Script.text("Her email is on file."))
    first = staff_ask("What does MARY SMITH owe?", client)
    follow_up = staff_ask("And her email?", client, conversation=first.conversation)
    assert follow_up.events[-1] == COMPLETE
    messages = model.chat_requests[-1]["messages"]
    assert [m["content"] for m in messages[1:]] == [
        "What does MARY SMITH owe?",
        "MARY SMITH owes nothing.",
        "And her email?",
    ]
    # The same browser session on the public assistant: the staff conversation is not there.
    assert_problem(ask("Go on", client, conversation=first.conversation).response, 404, "not_found")
    (conversation,) = Conversation.objects.all()
    assert conversation.turns.count() == 2


def test_the_ai_rate_limit_counts_staff_asks_too(
    model: FakeLLM, manager: User, settings: Any
) -> None:
    settings.AI_RATE_LIMIT = "2/day"
    cache.clear()
    client = logged_in(manager)
    assert ask("Hello").response.status_code == 200
    assert staff_ask("Hello", client).response.status_code == 200
    assert_problem(staff_ask("Hello", client).response, 429, "throttled")
    assert len(model.chat_requests) == 2


def test_the_staff_page_is_for_staff_and_linked_from_the_admin_index(
    client: Client, customer_user: User, manager: User
) -> None:
    assert client.get(STAFF_PAGE_URL)["Location"] == f"/admin/login/?next={STAFF_PAGE_URL}"
    client.force_login(customer_user)
    assert client.get(STAFF_PAGE_URL).status_code == 302
    client.force_login(manager)
    assert f'href="{STAFF_PAGE_URL}"' in client.get("/admin/").content.decode()
    response = client.get(STAFF_PAGE_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-ask-url="{STAFF_ASK_URL}"' in html
    assert 'placeholder="Which copies at store 1 are overdue?"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in html and " style=" not in html


def test_the_staff_endpoint_is_not_in_the_api_schema_and_moves_no_operation_id() -> None:
    response = async_to_sync(AsyncClient().get)(
        "/api/schema/", headers={"Accept": "application/json"}
    )
    paths = response.json()["paths"]
    assert STAFF_ASK_URL not in paths
    assert paths["/api/v1/films"]["get"]["operationId"] == "v1_films_list"
    assert paths["/api/v1/rentals/{rental_id}/return"]["post"]["operationId"] == (
        "v1_rentals_return_create"
    )
