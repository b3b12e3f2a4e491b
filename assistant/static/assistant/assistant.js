// The assistant page: asks the SSE endpoint with EventSource and shows the answer as it streams.
// Follow-up questions continue the conversation whose id the first answer's `start` event gave,
// kept once that answer is complete (a new conversation is stored with it); earlier
// turns stay on screen above the current one until "New conversation".
// The answer is Markdown, re-rendered as it grows through markdown.js (sanitized DOM nodes, never
// an HTML string on the page); every other piece of model output is text. Every stream is closed
// on "complete", "error" or a connection failure, so EventSource never reconnects and re-asks.
"use strict";

(() => {
  const page = document.getElementById("assistant");
  const form = document.getElementById("ask-form");
  const question = document.getElementById("question");
  const stopButton = document.getElementById("stop-button");
  const status = document.getElementById("status");
  const formError = document.getElementById("form-error");
  const asked = document.getElementById("asked");
  const answer = document.getElementById("answer");
  const thread = document.getElementById("thread");
  const sources = document.getElementById("sources");
  const newConversation = document.getElementById("new-conversation");
  const askUrl = form.dataset.askUrl;
  const maxLength = Number(form.dataset.maxLength);

  const STATUS = {
    idle: "",
    thinking: "Thinking…",
    streaming: "Answering…",
    complete: "Answer complete.",
    stopped: "Stopped.",
    error: "No complete answer.",
  };
  const NO_ANSWER = "The assistant could not answer right now. Please try again.";
  const CUT_SHORT = "The connection was lost before the answer was complete.";

  let source = null;
  let conversation = "";
  let written = ""; // the current answer's Markdown so far

  function setState(state) {
    page.dataset.state = state;
    status.textContent = STATUS[state];
    const open = state === "thinking" || state === "streaming";
    if (!open && document.activeElement === stopButton) {
      question.focus();
    }
    stopButton.disabled = !open;
  }

  function showError(text, badQuestion = false) {
    formError.textContent = text;
    formError.hidden = !text;
    if (badQuestion) {
      question.setAttribute("aria-invalid", "true");
    } else {
      question.removeAttribute("aria-invalid");
    }
  }

  function close(state) {
    if (source !== null) {
      source.close();
      source = null;
    }
    setState(state);
  }

  function parse(data) {
    try {
      const value = JSON.parse(data);
      return value !== null && typeof value === "object" ? value : {};
    } catch {
      return {};
    }
  }

  // The server strips what Python calls whitespace, then counts code points: do the same.
  const EDGE_SPACE = /^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/g;

  function validate(text) {
    const length = [...text].length;
    if (length === 0) {
      return "Type a question first.";
    }
    if (length > maxLength) {
      return `Questions are limited to ${maxLength} characters (this one has ${length}).`;
    }
    return "";
  }

  // Small cards of the films an answer came from; every field becomes text, never HTML.
  function showSources(films) {
    const cards = films
      .filter((film) => film !== null && typeof film === "object")
      .map((film) => {
        const card = document.createElement("li");
        card.className = "film-card";
        const title = document.createElement("strong");
        title.textContent = String(film.title ?? "");
        const facts = document.createElement("span");
        facts.textContent = `Rated ${film.rating ?? "?"} · $${film.rental_rate ?? "?"}`;
        card.append(title, facts);
        return card;
      });
    sources.replaceChildren(...cards);
    sources.hidden = cards.length === 0;
  }

  // The finished turn moves up into the thread, so the next answer starts empty below it.
  function keepTurn() {
    if (asked.hidden) {
      return;
    }
    const turn = document.createElement("li");
    turn.className = "turn";
    const shownQuestion = asked.cloneNode(true);
    shownQuestion.removeAttribute("id");
    const shownAnswer = document.createElement("div");
    shownAnswer.className = "answer";
    shownAnswer.append(...answer.childNodes);
    turn.append(shownQuestion, shownAnswer);
    if (!sources.hidden) {
      const shownSources = sources.cloneNode(true);
      shownSources.removeAttribute("id");
      turn.append(shownSources);
    }
    thread.append(turn);
  }

  function clearCurrent() {
    written = "";
    answer.replaceChildren();
    showSources([]);
    asked.textContent = "";
    asked.hidden = true;
  }

  function ask(text) {
    close("thinking");
    showError("");
    if (conversation) {
      keepTurn();
    } else {
      thread.replaceChildren();
    }
    clearCurrent();
    asked.textContent = `You asked: ${text}`;
    asked.hidden = false;

    let url = `${askUrl}?question=${encodeURIComponent(text)}`;
    if (conversation) {
      url += `&conversation=${encodeURIComponent(conversation)}`;
    }
    const stream = new EventSource(url);
    let heard = false;
    let started = "";
    source = stream;

    // A new conversation is stored with its first complete answer: its id is kept from then on.
    stream.addEventListener("start", (event) => {
      heard = true;
      const id = parse(event.data).conversation;
      if (typeof id === "string" && id !== "") {
        started = id;
      }
    });
    stream.addEventListener("sources", (event) => {
      const { films } = parse(event.data);
      showSources(Array.isArray(films) ? films : []);
    });
    stream.addEventListener("message", (event) => {
      heard = true;
      const chunk = parse(event.data).content;
      if (typeof chunk === "string" && chunk !== "") {
        written += chunk;
        window.answerMarkdown.render(answer, written);
        if (page.dataset.state !== "streaming") {
          setState("streaming");
        }
      }
    });
    stream.addEventListener("complete", () => {
      if (started) {
        conversation = started;
      }
      close("complete");
    });
    // Both the server's `event: error` (it carries data) and a failed connection land here.
    stream.addEventListener("error", (event) => {
      if (source !== stream) {
        return;
      }
      close("error");
      if (typeof event.data === "string") {
        const { message } = parse(event.data);
        showError(typeof message === "string" && message ? message : NO_ANSWER);
      } else {
        showError(heard ? CUT_SHORT : NO_ANSWER);
      }
    });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = question.value.replace(EDGE_SPACE, "");
    const problem = validate(text);
    if (problem) {
      showError(problem, true);
      question.focus();
      return;
    }
    ask(text);
  });

  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  question.addEventListener("input", () => {
    if (question.hasAttribute("aria-invalid")) {
      showError("");
    }
  });

  stopButton.addEventListener("click", () => {
    close("stopped");
  });

  newConversation.addEventListener("click", () => {
    close("idle");
    conversation = "";
    thread.replaceChildren();
    clearCurrent();
    showError("");
    question.focus();
  });
})();
