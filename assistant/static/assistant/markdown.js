// The answer's Markdown as DOM: marked (vendor/marked.umd.js) writes HTML, DOMPurify
// (vendor/purify.min.js) keeps only the elements Markdown needs and returns DOM nodes, so no
// string of HTML is ever assigned to the page. Raw HTML the model writes is shown as its text.
"use strict";

window.answerMarkdown = (() => {
  const { Marked } = window.marked;
  const purifier = window.DOMPurify;

  const escapeHtml = (text) =>
    String(text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");

  const markdown = new Marked({
    gfm: true,
    breaks: true,
    renderer: {
      // The model's own tags (<script>, <img onerror>, …) become visible text, not markup.
      html(token) {
        const text = escapeHtml(token.text);
        return token.block ? `<p>${text}</p>` : text;
      },
      // Images would load from anywhere (and break the CSP's img-src): offer them as links.
      image(token) {
        return `<a href="${escapeHtml(token.href)}">${escapeHtml(token.text || token.href)}</a>`;
      },
    },
  });

  // What marked writes for text, lists, tables and code; no style (the CSP forbids inline
  // style), no images, no forms. Links keep only http(s) and mailto addresses.
  const ALLOWED = {
    ALLOWED_TAGS: [
      "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "hr", "a",
      "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
      "table", "thead", "tbody", "tr", "th", "td",
    ],
    ALLOWED_ATTR: ["href", "title", "align", "start"],
    // DOMPurify holds every attribute not listed "URI-safe" to the address pattern below.
    ADD_URI_SAFE_ATTR: ["align", "start"],
    ALLOWED_URI_REGEXP: /^(?:https?|mailto):/i,
    RETURN_DOM_FRAGMENT: true,
  };

  purifier.addHook("afterSanitizeAttributes", (node) => {
    if (node.tagName === "A") {
      node.setAttribute("target", "_blank");
      node.setAttribute("rel", "noopener noreferrer");
    }
  });

  // Replaces the target's content with the Markdown `text`, sanitized.
  function render(target, text) {
    const html = markdown.parse(text).trim();
    target.replaceChildren(purifier.sanitize(html, ALLOWED));
  }

  return { render };
})();
