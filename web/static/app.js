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
})();
