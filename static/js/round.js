// The round page, enhanced: a moving countdown, a live word count, screen-reader announcements
// at a few moments, submitting when time is up, and a last draft save when the tab is hidden.
// Without this file the page still works: the server keeps the time and the form posts.
(function () {
  "use strict";

  // Refused input comes back as a fragment to show in place: 422 (empty, too long), 409 (closed).
  if (window.htmx) {
    htmx.config.responseHandling.unshift({ code: "409|422", swap: true, error: false });
  }

  var ANNOUNCE = [[300, "5 minutes left"], [60, "1 minute left"], [30, "30 seconds left"]];
  var submitting = false;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(s) { return pad(Math.floor(s / 60)) + ":" + pad(s % 60); }
  function words(text) { var t = text.trim(); return t ? t.split(/\s+/).length : 0; }

  function timeUp() {
    document.getElementById("timer-alert").textContent = "Time is up. Submitting your answer.";
    var form = document.getElementById("answer-form");
    if (!form) return;
    var button = form.querySelector("button:not([name])");
    if (form.requestSubmit) form.requestSubmit(button); else form.submit();
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
  function updateCount(box) {
    var out = document.getElementById("word-count");
    if (!out) return;
    var n = words(box.value);
    var max = parseInt(box.dataset.maxChars, 10);
    var text = n + (n === 1 ? " word" : " words");
    if (box.value.length > max) {
      text += ", " + box.value.length.toLocaleString() + " characters: over the limit";
    }
    out.textContent = text;
    out.classList.toggle("over", box.value.length > max);
  }
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
  // Leaving or hiding the tab: save the draft with a beacon, which survives the page closing.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "hidden" || submitting || !navigator.sendBeacon) return;
    var form = document.getElementById("answer-form");
    var box = document.getElementById("answer-text");
    if (form && box) navigator.sendBeacon(box.getAttribute("hx-post"), new FormData(form));
  });
  // Back/forward cache: the clock shown would be stale, so ask the server again.
  window.addEventListener("pageshow", function (e) { if (e.persisted) location.reload(); });

  startTimer();
  localTimes();
})();
