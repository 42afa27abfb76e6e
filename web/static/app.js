/* Depesche: the little the page needs beyond htmx. The page works without it. */
(function () {
  "use strict";
  var DEFAULTS = { q: "", from: "", to: "", sort: "relevance" };

  /* Keep pushed URLs short: leave out parameters that only repeat the defaults (empty dates, default sort). */
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (!data) { return; }
    Object.keys(DEFAULTS).forEach(function (name) {
      var values = data.getAll(name);
      if (values.length && values.every(function (value) { return value === DEFAULTS[name]; })) {
        data.delete(name);
      }
    });
  });

  /* htmx restores a page from its history cache with the markup it had when the page was left; a search box's
     typed value is not in the markup, so put back the words of the URL being restored. */
  function syncSearchBox() {
    var box = document.getElementById("q");
    if (box) {
      box.value = new URLSearchParams(window.location.search).get("q") || "";
    }
  }
  document.addEventListener("htmx:historyRestore", syncSearchBox);
  window.addEventListener("popstate", function () { window.setTimeout(syncSearchBox, 0); });

  /* Name completion: the search box becomes an ARIA combobox (WAI-ARIA APG, "list autocomplete") over the listbox
     htmx fills from /namen as the user types. Arrow keys move through the options, Enter opens the chosen one
     (the search filtered to that name), Escape closes the list. Without this script the box is a plain box. */
  function combobox(box, list) {
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", list.id);
    box.setAttribute("aria-expanded", "false");
    function options() { return Array.prototype.slice.call(list.querySelectorAll("[role=option]")); }
    function current() { return list.querySelector("[aria-selected=true]"); }
    function activate(option) {
      options().forEach(function (each) { each.setAttribute("aria-selected", each === option ? "true" : "false"); });
      if (option) { box.setAttribute("aria-activedescendant", option.id); } else { box.removeAttribute("aria-activedescendant"); }
    }
    function show(open) {
      list.hidden = !open;
      box.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) { activate(null); }
    }
    function move(step) {
      var all = options();
      if (!all.length) { return; }
      show(true);
      var at = all.indexOf(current());
      var next = at < 0 ? (step > 0 ? 0 : all.length - 1) : (at + step + all.length) % all.length;
      activate(all[next]);
    }
    function choose(option) {
      show(false);
      window.location.assign(option.getAttribute("data-url"));
    }
    list.addEventListener("htmx:afterSwap", function () { show(options().length > 0 && document.activeElement === box); });
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        move(event.key === "ArrowDown" ? 1 : -1);
      } else if (event.key === "Enter" && !list.hidden && current()) {
        event.preventDefault();
        choose(current());
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();  // and keep the typed words (a search box clears itself on Escape)
        show(false);
      }
    });
    box.addEventListener("blur", function () { window.setTimeout(function () { show(false); }, 150); });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });  // the box keeps the focus
    list.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { choose(option); }
    });
  }
  function setUpCombobox() {
    var box = document.getElementById("q"), list = document.getElementById("q-options");
    if (box && list && !box.hasAttribute("role")) { combobox(box, list); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUpCombobox); } else { setUpCombobox(); }
})();
