"use strict";
// The top bar's search as you type: after a short pause the server renders the matches
// (search:suggest, within the user's scope) and they are shown under the box. Enter opens
// the full results page; Arrow Down moves into the suggestions, Escape closes them.
(function () {
  var input = document.getElementById("top-search");
  var box = document.getElementById("search-suggest");
  if (!input || !box) return;
  var timer = null;
  var pending = null;
  var shown = "";

  function close() {
    box.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function open(html) {
    box.innerHTML = html;
    box.hidden = html.trim() === "";
    input.setAttribute("aria-expanded", box.hidden ? "false" : "true");
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (q === shown) return;
    shown = q;
    if (pending) pending.abort();
    if (!q) {
      open("");
      return;
    }
    pending = new AbortController();
    fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), {
      credentials: "same-origin",
      signal: pending.signal,
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (r) {
        return r.ok ? r.text() : "";
      })
      .then(function (html) {
        if (input.value.trim() === q) open(html);
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 200);
  });
  input.addEventListener("click", function () {
    if (box.hidden && box.innerHTML.trim() && input.value.trim() === shown) open(box.innerHTML);
  });

  function links() {
    return Array.prototype.slice.call(box.querySelectorAll("a"));
  }

  document.addEventListener("keydown", function (event) {
    var inside = event.target === input || box.contains(event.target);
    if (!inside || box.hidden) return;
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      close();
      input.focus();
    } else if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      if (at === 0) input.focus();
      else all[at - 1].focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (!input.form.contains(event.target)) close();
  });
})();
