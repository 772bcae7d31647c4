/* Site behaviour on top of htmx: toasts, error feedback, small conveniences. No build step.
 *
 * Toasts come from three places:
 *   1. Django messages rendered into #toasts on a full page load (base.html);
 *   2. the HX-Trigger event "messages" that walletsite.middleware.HtmxMessagesMiddleware adds to
 *      htmx responses: [{"message": "...", "level": "success"}, ...];
 *   3. the HX-Trigger event "showToast": {"message": "...", "level": "error"} (see
 *      walletsite/toasts.py), or from JS: window.showToast("Copied", "info").
 */
(function () {
  "use strict";

  var LEVELS = ["success", "error", "warning", "info", "debug"];
  var AUTOHIDE_MS = 6000;

  function dismiss(toast) {
    toast.classList.add("toast-leaving");
    setTimeout(function () { toast.remove(); }, 260);
  }

  function schedule(toast) {
    var level = (toast.className.match(/toast-(\w+)/) || [])[1];
    // Errors stay until dismissed: a user should not miss why money did not move.
    if (level !== "error") setTimeout(function () { dismiss(toast); }, AUTOHIDE_MS);
  }

  function showToast(message, level) {
    if (!message) return;
    level = LEVELS.indexOf(level) >= 0 ? level : "info";
    var area = document.getElementById("toasts");
    if (!area) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-" + level;
    var text = document.createElement("span");
    text.className = "toast-message";
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss");
    close.textContent = "×";
    toast.appendChild(text);
    toast.appendChild(close);
    area.appendChild(toast);
    schedule(toast);
  }
  window.showToast = showToast;

  function detailToasts(detail) {
    // HX-Trigger gives an object detail; a plain string value arrives as {value: "..."}.
    if (!detail) return [];
    if (Array.isArray(detail)) return detail;
    if (Array.isArray(detail.value)) return detail.value;
    if (typeof detail.value === "string") return [{ message: detail.value }];
    return [detail];
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#toasts .toast").forEach(schedule);
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest(".toast-close");
    if (close) dismiss(close.closest(".toast"));
    // Close the account menu when clicking elsewhere.
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
    // Behaviour that was inline (onclick=...) lives here: the CSP allows no inline script.
    if (event.target.closest("[data-print]")) window.print();
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(function () {
        showToast("Copied to clipboard", "info");
      });
    }
  });

  // <form data-confirm="Remove it?">: ask before submitting (was an inline onsubmit).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  document.body && init();
  if (!document.body) document.addEventListener("DOMContentLoaded", init);

  function init() {
    document.body.addEventListener("showToast", function (event) {
      detailToasts(event.detail).forEach(function (t) { showToast(t.message, t.level); });
    });
    document.body.addEventListener("messages", function (event) {
      detailToasts(event.detail).forEach(function (t) { showToast(t.message, t.level); });
    });
    document.body.addEventListener("htmx:responseError", function (event) {
      var status = event.detail.xhr.status;
      if (status === 403) showToast("You are not allowed to do that. Try logging in again.", "error");
      else if (status === 404) showToast("That item no longer exists.", "error");
      else if (status === 429) showToast("Too many attempts. Please wait a moment and try again.", "error");
      else if (status >= 500) showToast("Something went wrong on our side. Nothing was charged twice; please try again.", "error");
      else showToast("The request could not be completed (" + status + ").", "error");
    });
    document.body.addEventListener("htmx:sendError", function () {
      showToast("Network problem: check your connection and try again.", "error");
    });
    // After an htmx swap with validation errors, move focus to the first invalid field.
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.xhr && event.detail.xhr.status === 422) {
        var invalid = event.detail.target.querySelector("[aria-invalid='true'], .field-invalid input, .errorlist");
        if (invalid && invalid.focus) invalid.focus();
      }
    });
  }
})();
