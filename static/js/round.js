// The round page, enhanced: a moving countdown, a live word count, screen-reader announcements
// at a few moments, autosave that says when it fails and keeps trying, the text kept in this
// browser until the server has it, and submitting when time is up.
// Without this file the page still works: the server keeps the time and the form posts.
(function () {
  "use strict";

  // Refused input comes back as a fragment to show in place: 422 (empty, too long), 409 (closed).
  if (window.htmx) {
    htmx.config.responseHandling.unshift({ code: "409|422", swap: true, error: false });
  }

  var ANNOUNCE = [[300, "5 minutes left"], [60, "1 minute left"], [30, "30 seconds left"]];
  // Save once typing pauses for SAVE_PAUSE_MS, and at least every SAVE_EVERY_MS while it goes
  // on; after a failure, try again after each of RETRY_MS in turn, then every last one. The
  // page carries the server's settings (AUTOSAVE_PAUSE_MS, AUTOSAVE_RETRY_MS).
  var answerBox = document.getElementById("answer-text");
  var SAVE_PAUSE_MS = (answerBox && parseInt(answerBox.dataset.savePauseMs, 10)) || 3000;
  var SAVE_EVERY_MS = 5 * SAVE_PAUSE_MS;
  var RETRY_MS = ((answerBox && answerBox.dataset.retryMs) || "2000,4000,8000,15000,30000")
    .split(",").map(function (ms) { return parseInt(ms, 10); });
  var submitting = false;

  function inSeconds(ms) { return Math.max(1, Math.round(ms / 1000)); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(s) { return pad(Math.floor(s / 60)) + ":" + pad(s % 60); }
  function words(text) { var t = text.trim(); return t ? t.split(/\s+/).length : 0; }

  // The CSRF token of the current session (csrf.js): signing in again in another tab changes it.
  function csrfToken(form) {
    if (window.prepCsrfToken) return window.prepCsrfToken();
    var input = form && form.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // ---- The draft: kept in this browser, saved to the server in order -------------------------

  // The form is swapped whole when the server refuses a submit, so look its parts up each time.
  function textBox() { return document.getElementById("answer-text"); }
  function answerForm() { return document.getElementById("answer-form"); }
  var draft = textBox() && textBox().dataset.draftUrl ? makeDraft(textBox()) : null;

  function makeDraft(first) {
    var key = "prep:draft:" + first.dataset.answer;
    var url = first.dataset.draftUrl;
    var serverSequence = parseInt(first.dataset.draftSequence, 10) || 0;
    var kept = read();
    var sequence = Math.max(serverSequence, kept ? kept.sequence : 0);
    var savedSequence = serverSequence;
    var pauseTimer = null, dueAt = null, retryTimer = null, failures = 0, inFlight = false;

    function read() {
      try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
    }
    function keep(text) {
      sequence = Math.max(Date.now(), sequence + 1);
      try { localStorage.setItem(key, JSON.stringify({ text: text, sequence: sequence })); } catch (e) { /* full or off: the server copy still goes */ }
    }
    function forget() { try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ } }

    function status(html) {
      var old = document.getElementById("draft-status");
      if (old) old.outerHTML = html;
      localTimes();
    }
    function problem(text) {
      var p = document.createElement("p");
      p.id = "draft-status";
      p.className = "draft-status";
      var span = document.createElement("span");
      span.className = "draft-error";
      span.setAttribute("role", "alert");
      span.textContent = text;
      p.appendChild(span);
      status(p.outerHTML);
    }

    function body(text, seq) {
      var data = new FormData();
      data.append("text", text);
      data.append("sequence", String(seq));
      var token = answerForm().querySelector("[name=autosave_token]");
      if (token) data.append("autosave_token", token.value);
      data.append("csrfmiddlewaretoken", csrfToken(answerForm()));
      return data;
    }

    function retryLater(message) {
      var wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
      failures += 1;
      problem(message + " Trying again in " + inSeconds(wait) + " s; your text is kept in this browser.");
      clearTimeout(retryTimer);
      retryTimer = setTimeout(save, wait);
    }

    function save() {
      clearTimeout(pauseTimer);
      pauseTimer = null;
      dueAt = null;
      if (submitting || inFlight || sequence <= savedSequence || !textBox()) return;
      var seq = sequence, text = textBox().value;
      inFlight = true;
      fetch(url, {
        method: "POST",
        body: body(text, seq),
        credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": csrfToken(answerForm()) },
      }).then(function (response) {
        return response.text().then(function (html) { return { code: response.status, html: html }; });
      }).then(function (reply) {
        inFlight = false;
        if (reply.code === 200) {
          failures = 0;
          savedSequence = Math.max(savedSequence, seq);
          status(reply.html);
          if (sequence <= savedSequence) forget();
          else schedule();
        } else if (reply.code === 409 || reply.code === 422) {
          status(reply.html); // closed or too long: the message says what to do
        } else if (reply.code === 401) {
          retryLater("Not saved: you are signed out. Sign in again in another tab.");
        } else if (reply.code === 403) {
          retryLater("Not saved: your session changed.");
        } else {
          retryLater("Not saved: the server had a problem (" + reply.code + ").");
        }
      }).catch(function () {
        inFlight = false;
        retryLater("Not saved: the connection dropped.");
      });
    }

    function schedule() {
      var now = Date.now();
      if (dueAt === null) dueAt = now + SAVE_EVERY_MS;
      clearTimeout(pauseTimer);
      pauseTimer = setTimeout(save, Math.max(0, Math.min(SAVE_PAUSE_MS, dueAt - now)));
    }

    function changed() {
      keep(textBox().value);
      if (!failures) schedule(); // while failing, the retry timer sends the latest text
    }

    // Leaving or hiding the tab: a beacon survives the page closing.
    function flush() {
      if (submitting || sequence <= savedSequence || !navigator.sendBeacon || !textBox()) return;
      navigator.sendBeacon(url, body(textBox().value, sequence));
    }

    // What this browser kept and the server never got comes back after a reload.
    if (kept && kept.sequence > serverSequence && kept.text !== first.value) {
      first.value = kept.text;
      var notice = document.getElementById("draft-restored");
      if (notice) notice.hidden = false;
      setTimeout(save, 0);
    } else if (first.value !== first.defaultValue) {
      // Typed before this script ran (a slow page): no input event came, so save it now.
      changed();
    } else if (kept && kept.sequence <= serverSequence) {
      forget();
    }

    return { changed: changed, save: save, flush: flush, forget: forget };
  }

  if (draft) {
    document.addEventListener("input", function (e) { if (e.target.id === "answer-text") draft.changed(); });
    document.addEventListener("focusout", function (e) { if (e.target.id === "answer-text") draft.save(); });
    document.addEventListener("click", function (e) {
      var button = e.target.closest && e.target.closest("#answer-form button[name=action][value=save]");
      if (!button) return;
      e.preventDefault(); // with JavaScript, "Save draft" saves in place
      draft.changed();
      draft.save();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") draft.flush();
    });
  }

  // ---- Submitting: a failure is said, and the answer goes again --------------------------------

  var submitFailures = 0;
  function formError(text) {
    var current = document.getElementById("answer-form");
    if (!current) return;
    var box = current.querySelector("#answer-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "answer-error";
      box.className = "errors";
      box.setAttribute("role", "alert");
      current.insertBefore(box, current.querySelector(".answer-label"));
    }
    box.textContent = text;
  }
  function submitAgain(reason) {
    var wait = RETRY_MS[Math.min(submitFailures, RETRY_MS.length - 1)];
    submitFailures += 1;
    formError(reason + " Your answer is kept in this browser; sending it again in " + inSeconds(wait) + " s.");
    setTimeout(function () {
      var current = document.getElementById("answer-form");
      var button = current && current.querySelector("button:not([name])");
      if (current) { if (current.requestSubmit) current.requestSubmit(button); else current.submit(); }
    }, wait);
  }
  document.addEventListener("htmx:responseError", function (e) {
    if (e.detail.elt.id !== "answer-form") return;
    var code = e.detail.xhr.status;
    if (code === 401) submitAgain("Not submitted: you are signed out. Sign in again in another tab.");
    else if (code === 403) submitAgain("Not submitted: your session changed.");
    else submitAgain("Not submitted: the server had a problem (" + code + ").");
  });
  document.addEventListener("htmx:sendError", function (e) {
    if (e.detail.elt.id === "answer-form") submitAgain("Not submitted: the connection dropped.");
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.elt.id === "answer-form" && e.detail.xhr.getResponseHeader("HX-Redirect") && draft) {
      draft.forget(); // the server has the answer
    }
  });

  // ---- The countdown --------------------------------------------------------------------------

  function timeUp() {
    document.getElementById("timer-alert").textContent = "Time is up. Submitting your answer.";
    var current = document.getElementById("answer-form");
    if (!current) return;
    var button = current.querySelector("button:not([name])");
    if (current.requestSubmit) current.requestSubmit(button); else current.submit();
  }

  function startTimer() {
    var timer = document.getElementById("timer");
    var left = timer ? parseInt(timer.dataset.secondsLeft, 10) : NaN;
    if (isNaN(left)) return;
    var end = Date.now() + left * 1000;
    var display = timer.querySelector("[data-timer-clock]");
    var polite = document.getElementById("timer-announce");
    var last = left;
    function tick() {
      var now = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      display.textContent = clock(now);
      ANNOUNCE.forEach(function (a) {
        if (last > a[0] && now <= a[0] && now > 0) polite.textContent = a[1];
      });
      timer.classList.toggle("low", now <= 60);
      last = now;
      // The server rounds the seconds left down, so zero here can come up to a second before
      // its deadline: submit a second later, well inside the grace it allows.
      if (now === 0) setTimeout(timeUp, 1000); else setTimeout(tick, 250);
    }
    tick();
  }

  var countTimer;
  function updateCount(textarea) {
    var out = document.getElementById("word-count");
    if (!out) return;
    var n = words(textarea.value);
    var max = parseInt(textarea.dataset.maxChars, 10);
    var text = n + (n === 1 ? " word" : " words");
    if (textarea.value.length > max) {
      text += ", " + textarea.value.length.toLocaleString() + " characters: over the limit";
    }
    out.textContent = text;
    out.classList.toggle("over", textarea.value.length > max);
  }
  if (textBox() && textBox().value !== textBox().defaultValue) updateCount(textBox());
  // Debounced, so the polite live region speaks when typing pauses, not on every key.
  document.addEventListener("input", function (e) {
    if (e.target.id !== "answer-text") return;
    clearTimeout(countTimer);
    countTimer = setTimeout(updateCount, 600, e.target);
  });

  function localTimes() {
    document.querySelectorAll("#draft-status time[datetime]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) t.textContent = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    });
  }
  document.addEventListener("htmx:afterSettle", localTimes);

  document.addEventListener("submit", function (e) {
    if (e.target.id === "answer-form") submitting = true;
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.elt.id !== "answer-form") return;
    // Refused (the form came back with a message) or failed: the page is still being written.
    if (!e.detail.successful || !e.detail.xhr.getResponseHeader("HX-Redirect")) submitting = false;
  });
  // Back/forward cache: the clock shown would be stale, so ask the server again.
  window.addEventListener("pageshow", function (e) { if (e.persisted) location.reload(); });

  // "End the round now…": a modal dialog asks first (the link's page asks without JavaScript).
  // The form carries the text in the box, so words typed since the last save are kept.
  var endLink = document.querySelector("[data-end-round]");
  var endDialog = endLink && document.getElementById(endLink.dataset.endRound);
  if (endDialog && typeof endDialog.showModal === "function") {
    endLink.addEventListener("click", function (e) {
      e.preventDefault();
      endDialog.showModal();
    });
    endDialog.querySelector("[data-close-dialog]").addEventListener("click", function () {
      endDialog.close();
    });
    endDialog.addEventListener("close", function () { endLink.focus(); });
    endDialog.querySelector("form").addEventListener("submit", function (e) {
      var box = textBox();
      e.target.querySelector("[name=text]").value = box ? box.value : "";
      submitting = true;
    });
  }

  startTimer();
  localTimes();
})();
