"use strict";
// Behaviour shared by every page. The Content-Security-Policy forbids inline scripts and
// event handlers, so markup says what it wants with data- attributes and this file acts.
(function () {
  // <form data-confirm="…"> or <button data-confirm="…">: ask before sending.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question = (button && button.dataset.confirm) || form.dataset.confirm;
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();

// The main menu's groups are <details>: one open at a time on a wide screen; a click
// elsewhere or Escape closes them (on a phone they stack, so all may stay open).
(function () {
  var wide = window.matchMedia("(min-width: 761px)");
  var groups = document.querySelectorAll(".menu-group");
  function closeAll(except) {
    groups.forEach(function (g) {
      if (g !== except) g.open = false;
    });
  }
  groups.forEach(function (g) {
    g.addEventListener("toggle", function () {
      if (g.open && wide.matches) closeAll(g);
    });
  });
  document.addEventListener("click", function (event) {
    if (wide.matches && !event.target.closest(".menu-group")) closeAll(null);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !wide.matches) return;
    var open = document.querySelector(".menu-group[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  });
})();

// A table wider than the screen scrolls sideways in its .table-container: such a container
// takes the keyboard focus (arrow keys scroll it) and says what it is (WCAG 2.1.1).
(function () {
  function mark() {
    document.querySelectorAll(".table-container").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", "表格（可左右滚动）");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  window.addEventListener("load", mark);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(mark, 150);
  });
})();
