// Every htmx request carries the page's CSRF token in the header Django reads (X-CSRFToken).
// The token comes from this script tag's data-csrf-token attribute: the Content-Security-Policy
// allows no inline script.
(function () {
  "use strict";
  var token = document.currentScript.dataset.csrfToken;
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = token;
  });
})();
