// Every htmx request carries the CSRF token in the header Django reads (X-CSRFToken): the
// session's current one from the csrftoken cookie (signing in again in another tab changes
// it), else the one the page was rendered with, from this script tag's data-csrf-token (the
// Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  var rendered = document.currentScript.dataset.csrfToken;
  function current() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : rendered;
  }
  window.prepCsrfToken = current; // for requests the page sends without htmx (round.js)
  document.addEventListener("htmx:configRequest", function (event) {
    var token = current();
    event.detail.headers["X-CSRFToken"] = token;
    // A posted form's own hidden token would win over the header, and may be the stale one.
    if (event.detail.verb !== "get") event.detail.parameters["csrfmiddlewaretoken"] = token;
  });
})();
