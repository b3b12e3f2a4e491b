"""Driving the assistant page in Chromium: a recorder of its states, its requests, its waits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

# Runs before the page's own script: records every state/answer change, every stream the page
# opens and every Content-Security-Policy violation, so the assertions need no timing.
RECORDER = """
window.__log = {steps: [], sources: [], violations: []};
document.addEventListener("securitypolicyviolation", (event) => {
  window.__log.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
const NativeEventSource = window.EventSource;
window.EventSource = class extends NativeEventSource {
  constructor(...args) {
    super(...args);
    window.__log.sources.push(this);
  }
};
new MutationObserver(() => {
  const main = document.getElementById("assistant");
  const answer = document.getElementById("answer");
  if (!main || !answer) return;
  const step = [main.dataset.state, answer.textContent];
  const last = window.__log.steps.at(-1);
  if (!last || last[0] !== step[0] || last[1] !== step[1]) window.__log.steps.push(step);
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def asks(page: Page) -> list[Request]:
    """Collect the requests the page sends to the ask endpoint from now on."""
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if "/api/v1/ai/ask" in r.url else None)
    return sent


def log(page: Page) -> dict[str, Any]:
    return page.evaluate(
        "({steps: __log.steps, violations: __log.violations,"
        " states: __log.sources.map((s) => s.readyState)})"
    )


def wait_for_state(page: Page, state: str) -> None:
    page.wait_for_selector(f"#assistant[data-state={state}]", state="attached")
