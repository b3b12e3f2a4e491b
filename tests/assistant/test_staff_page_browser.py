"""The staff assistant in the back office, in Debian's Chromium: a manager logs in, opens it from
the admin index and watches the answer to "What does MARY SMITH owe?" stream in, while the fake
model is told what the store functions found for the manager's permissions.
"""

from __future__ import annotations

import json

import pytest

from devtools.fake_llm import FakeLLM, Script
from tests.ai_client import STAFF_TOOLS, offered_tools, results_by_call
from tests.assistant_page import RECORDER, log, wait_for_state
from tests.baker_recipes import PASSWORD, superuser
from tests.browser import launch_chromium
from tests.clients import STAFF_ASK_URL, STAFF_PAGE_URL
from tests.pagila_facts import ACTIVE_CUSTOMER

pytestmark = [pytest.mark.browser, pytest.mark.live, pytest.mark.django_db(transaction=True)]

ANSWER = ["MARY SMITH ", "owes **nothing**: ", "she has $4.00 ", "in credit."]


def test_a_manager_asks_the_staff_assistant_and_the_answer_streams_in(
    live_server_url: str, fake: FakeLLM
) -> None:
    from playwright.sync_api import sync_playwright

    # Before Playwright starts: its event loop in this thread rules out the ORM afterwards.
    manager = superuser.make(username="manager")
    find = Script.tool_call("store-find_customer", {"text": "MARY SMITH"})
    balance = Script.tool_call("store-customer_balance", {"customer_id": ACTIVE_CUSTOMER})
    fake.push(find, balance, Script.text(ANSWER, delay=0.2))
    failed: list[str] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(base_url=live_server_url)
            context.add_init_script(RECORDER)
            page = context.new_page()
            page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
            page.on("pageerror", lambda error: failed.append(str(error)))
            page.goto("/admin/login/?next=/admin/")
            page.fill("#id_username", manager.username)
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
            page.click("text=Staff assistant")
            page.wait_for_url(f"**{STAFF_PAGE_URL}")
            with page.expect_request(f"**{STAFF_ASK_URL}?question=*"):
                page.fill("#question", "What does MARY SMITH owe?")
                page.press("#question", "Enter")
            wait_for_state(page, "complete")
            answer = page.text_content("#answer")
            bold = page.locator("#answer strong").all_text_contents()
            recorded = log(page)
        finally:
            browser.close()

    assert failed == []
    assert recorded["violations"] == []  # the admin's CSP lets the page's scripts run
    assert answer == "".join(ANSWER).replace("**", "")
    assert bold == ["nothing"]
    states = [state for state, _ in recorded["steps"]]
    assert states.index("thinking") < states.index("streaming") < states.index("complete")
    assert len([text for state, text in recorded["steps"] if state == "streaming"]) >= 3
    assert recorded["states"] == [2]  # the stream was closed: no reconnection
    assert offered_tools(fake) == STAFF_TOOLS
    (found,) = [json.loads(result or "") for result in results_by_call(fake, find)]
    assert found["customers"][0]["customer_id"] == ACTIVE_CUSTOMER
    (owed,) = [json.loads(result or "") for result in results_by_call(fake, balance)]
    assert owed["balance"] == "-4.00"
