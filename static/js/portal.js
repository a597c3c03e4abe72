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
