/* The bank picker on "Add a bank account": a search box that narrows the native <select>.
 *
 * The select stays the control (keyboard type-ahead, the phone's own picker, works without
 * JS); typing in the search rebuilds its options from the full list, popular banks first.
 * One match is selected at once, so "opay" then Tab lands on OPay. htmx swaps the form in
 * place after a refusal, so the picker binds again after every swap.
 */
(function () {
  "use strict";

  function optionsOf(select) {
    var groups = [];
    Array.prototype.forEach.call(select.children, function (child) {
      if (child.tagName === "OPTGROUP") {
        groups.push({ label: child.label, options: Array.prototype.map.call(child.children, copy) });
      } else {
        groups.push({ label: null, options: [copy(child)] });
      }
    });
    return groups;
  }

  function copy(option) {
    return { value: option.value, text: option.textContent };
  }

  function matches(option, words) {
    var text = option.text.toLowerCase();
    return option.value === "" || words.every(function (word) { return text.indexOf(word) >= 0; });
  }

  function render(select, groups, query, chosen) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    var found = [];
    select.textContent = "";
    groups.forEach(function (group) {
      var kept = group.options.filter(function (option) { return matches(option, words); });
      if (!kept.length) return;
      var parent = select;
      if (group.label) {
        parent = document.createElement("optgroup");
        parent.label = group.label;
        select.appendChild(parent);
      }
      kept.forEach(function (option) {
        var element = new Option(option.text, option.value, false, option.value === chosen);
        parent.appendChild(element);
        if (option.value) found.push(option.value);
      });
    });
    return found;
  }

  function bind(picker) {
    if (picker.dataset.bound) return;
    picker.dataset.bound = "1";
    var select = picker.querySelector("select");
    var search = picker.querySelector("[data-bank-search]");
    var count = picker.querySelector("[data-bank-search-count]");
    var groups = optionsOf(select);
    search.hidden = false;
    search.addEventListener("input", function () {
      var before = select.value;
      var found = render(select, groups, search.value, before);
      if (found.length === 1) select.value = found[0];
      count.textContent = search.value ? found.length + (found.length === 1 ? " bank matches" : " banks match") : "";
      if (select.value !== before) select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function bindAll() {
    document.querySelectorAll("[data-bank-picker]").forEach(bind);
  }

  document.addEventListener("DOMContentLoaded", bindAll);
  document.addEventListener("htmx:afterSettle", bindAll);
})();
