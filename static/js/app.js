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
    if (event.target.closest("[data-print]")) window.print();
    if (event.target.closest("[data-balance-toggle]")) {
      setBalanceHidden(!document.documentElement.classList.contains("balance-hidden"));
    }
    var share = event.target.closest("[data-share]");
    if (share) shareText(share.getAttribute("data-share-text"));
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

  // Share: the phone's share sheet where there is one (WhatsApp is on it), else the clipboard.
  function shareText(text) {
    if (navigator.share) {
      navigator.share({ text: text }).catch(function () { /* the person closed the sheet */ });
    } else if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(function () {
        showToast("Account details copied: paste them into WhatsApp or a message", "info");
      });
    }
  }

  // Hide/show balance, remembered on this device (localStorage can be unavailable: then the
  // choice lasts for the page only).
  var BALANCE_KEY = "wallet.hideBalance";

  function rememberedHidden() {
    try { return window.localStorage.getItem(BALANCE_KEY) === "1"; } catch (e) { return false; }
  }

  function syncBalanceToggles() {
    var hidden = document.documentElement.classList.contains("balance-hidden");
    document.querySelectorAll("[data-balance-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", hidden ? "true" : "false");
      button.textContent = hidden ? "Show balance" : "Hide balance";
    });
  }

  function setBalanceHidden(hidden) {
    document.documentElement.classList.toggle("balance-hidden", hidden);
    try { window.localStorage.setItem(BALANCE_KEY, hidden ? "1" : "0"); } catch (e) { /* private mode */ }
    syncBalanceToggles();
  }

  document.documentElement.classList.toggle("balance-hidden", rememberedHidden());
  document.addEventListener("DOMContentLoaded", syncBalanceToggles);
  document.addEventListener("htmx:afterSettle", syncBalanceToggles);

  // Waiting states: a form with data-slow-after="ms" shows its [data-slow-message] when the
  // request takes longer than that, so a slow gateway never looks like a dead button.
  var slowTimers = new WeakMap();
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("[data-slow-after]");
    if (!form) return;
    var message = form.querySelector("[data-slow-message]");
    var wait = parseInt(form.getAttribute("data-slow-after"), 10) || 5000;
    slowTimers.set(form, setTimeout(function () { if (message) message.hidden = false; }, wait));
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("[data-slow-after]");
    if (form && slowTimers.has(form)) clearTimeout(slowTimers.get(form));
  });

  // Polling stops while the tab is hidden (no requests from a phone in a pocket) and catches
  // up at once when it is shown again.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var trigger = event.detail && event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (document.hidden && (!trigger || trigger.type === "every")) event.preventDefault();
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && window.htmx && document.body) window.htmx.trigger(document.body, "walletChanged");
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
