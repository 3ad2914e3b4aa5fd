// Comment on any selected passage of an answer, not only the highlighted ones. Without this
// script the "Comment on this passage" links beside each highlight still work.
(function () {
  "use strict";

  function offsetIn(container, node, offset) {
    // The offset in the answer's raw text of (node, offset): each run carries data-start.
    var el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    var run = el && el.closest("[data-start]");
    if (!run || !container.contains(run)) return null;
    if (node.nodeType !== Node.TEXT_NODE) offset = offset ? run.textContent.length : 0;
    return parseInt(run.dataset.start, 10) + offset;
  }

  function fill(answer, start, end, quote) {
    var form = document.getElementById("comment-form");
    if (!form) return;
    document.getElementById("comment-answer").value = answer;
    document.getElementById("comment-start").value = start;
    document.getElementById("comment-end").value = end;
    document.getElementById("comment-quote").value = quote;
    document.getElementById("passage-quote").textContent = quote;
    document.getElementById("passage-preview").hidden = false;
  }

  document.addEventListener("mouseup", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    var range = selection.getRangeAt(0);
    var container = range.commonAncestorContainer;
    container = container.nodeType === Node.TEXT_NODE ? container.parentElement : container;
    var text = container && container.closest(".answer-text[data-answer]");
    if (!text) return;
    var start = offsetIn(text, range.startContainer, range.startOffset);
    var end = offsetIn(text, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    var raw = Array.prototype.map.call(text.querySelectorAll("[data-start]"), function (run) {
      return run.textContent;
    }).join("");
    fill(text.dataset.answer, start, end, raw.slice(start, end));
  });

  document.addEventListener("click", function (event) {
    var clear = event.target.closest("#passage-clear");
    if (!clear) return;
    event.preventDefault();
    ["comment-start", "comment-end", "comment-quote"].forEach(function (id) {
      document.getElementById(id).value = "";
    });
    document.getElementById("passage-preview").hidden = true;
  });
})();
