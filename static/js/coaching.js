// Comment on any passage of an answer, not only the highlighted ones: select it with the mouse,
// or with the keyboard inside the answer text (arrow keys move by sentence, Shift+arrow selects
// more, Enter comments). Without this script the "Comment on this passage" links beside each
// highlight still work.
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

  function runs(text) {
    return Array.prototype.slice.call(text.querySelectorAll("[data-start]"));
  }

  function rawText(text) {
    return runs(text).map(function (run) { return run.textContent; }).join("");
  }

  function fill(answer, start, end, quote) {
    var form = document.getElementById("comment-form");
    if (!form) return false;
    document.getElementById("comment-answer").value = answer;
    document.getElementById("comment-start").value = start;
    document.getElementById("comment-end").value = end;
    document.getElementById("comment-quote").value = quote;
    document.getElementById("passage-quote").textContent = quote;
    document.getElementById("passage-preview").hidden = false;
    return true;
  }

  function fromSelection() {
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
    fill(text.dataset.answer, start, end, rawText(text).slice(start, end));
  }

  document.addEventListener("mouseup", fromSelection);

  // ---- The keyboard: a passage of whole sentences ----------------------------------------------

  function sentences(raw) {
    // [start, end) of each sentence, without the spaces around it.
    var out = [], pattern = /[^.!?\n]+(?:[.!?]+["'”’)]*|$)/gm, match;
    while ((match = pattern.exec(raw))) {
      var lead = match[0].length - match[0].replace(/^\s+/, "").length;
      var body = match[0].trim();
      if (body) out.push([match.index + lead, match.index + lead + body.length]);
      if (!match[0].length) pattern.lastIndex++;
    }
    return out;
  }

  function point(text, offset, isEnd) {
    // The DOM position of a raw-text offset: the run that holds it and the offset inside it.
    var all = runs(text);
    for (var i = 0; i < all.length; i++) {
      var start = parseInt(all[i].dataset.start, 10), length = all[i].textContent.length;
      if (offset < start + length || (isEnd && offset === start + length)) {
        return [all[i].firstChild || all[i], offset - start];
      }
    }
    var last = all[all.length - 1];
    return [last.firstChild || last, last.textContent.length];
  }

  var picks = new WeakMap(); // answer text -> {list, anchor, focus}

  function show(text, state) {
    var first = Math.min(state.anchor, state.focus), last = Math.max(state.anchor, state.focus);
    var start = state.list[first][0], end = state.list[last][1];
    var a = point(text, start, false), b = point(text, end, true);
    window.getSelection().setBaseAndExtent(a[0], a[1], b[0], b[1]);
    var quote = rawText(text).slice(start, end);
    var count = last - first + 1;
    var status = document.getElementById(text.getAttribute("data-status"));
    if (status) {
      status.textContent = "Selected " + count + (count === 1 ? " sentence: " : " sentences: ") +
        quote + ". Press Enter to comment on it.";
    }
    return [start, end, quote];
  }

  document.addEventListener("keydown", function (event) {
    var text = event.target.closest && event.target.closest(".answer-text[data-answer]");
    if (!text || event.target !== text || event.altKey || event.ctrlKey || event.metaKey) return;
    var state = picks.get(text);
    if (!state) {
      state = { list: sentences(rawText(text)), anchor: -1, focus: -1 };
      picks.set(text, state);
    }
    if (!state.list.length) return;
    var forward = event.key === "ArrowRight" || event.key === "ArrowDown";
    var back = event.key === "ArrowLeft" || event.key === "ArrowUp";
    if (forward || back) {
      event.preventDefault();
      var last = state.list.length - 1;
      if (state.focus < 0) {
        state.anchor = state.focus = forward ? 0 : last;
      } else {
        state.focus = Math.max(0, Math.min(last, state.focus + (forward ? 1 : -1)));
        if (!event.shiftKey) state.anchor = state.focus;
      }
      show(text, state);
    } else if (event.key === "Enter" && state.focus >= 0) {
      event.preventDefault();
      var chosen = show(text, state);
      if (fill(text.dataset.answer, chosen[0], chosen[1], chosen[2])) {
        document.getElementById("comment-text").focus();
      }
    } else if (event.key === "Escape" && state.focus >= 0) {
      state.anchor = state.focus = -1;
      window.getSelection().removeAllRanges();
      var status = document.getElementById(text.getAttribute("data-status"));
      if (status) status.textContent = "Nothing selected.";
    }
  });

  // Text selected some other way with the keyboard (caret browsing) counts too.
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey && !(event.target.closest && event.target.closest(".answer-text"))) {
      fromSelection();
    }
  });

  document.querySelectorAll("[data-passage-help]").forEach(function (help) {
    help.hidden = false;
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
