"use strict";
// The activity form (templates/activities/activity_form.html). Street staff pick a
// community: show only that community's rooms, teams, brands and partner choices. The
// server checks the same rule; this only keeps the lists short.
(function () {
  var form = document.getElementById("activity-form");
  if (!form) return;
  var community = form.querySelector("select[name=community]");
  var exchange = form.querySelector("input[name=is_exchange]");
  var partners = document.getElementById("partners-block");
  function filter() {
    var chosen = community.value;
    form.querySelectorAll("select[name=location] option[data-community], select[name=brand] option[data-community]").forEach(function (o) {
      var hide = chosen && o.dataset.community !== chosen;
      o.hidden = hide; o.disabled = hide;
      if (hide && o.selected) { o.selected = false; }
    });
    form.querySelectorAll("input[name=teams][data-community], input[name=partners][data-community]").forEach(function (i) {
      var own = i.dataset.community === chosen;
      var hide = i.name === "teams" ? (chosen && !own) : own;
      i.closest("div").hidden = hide;
      if (hide) { i.checked = false; }
    });
  }
  function toggle() { partners.hidden = !exchange.checked; }
  if (community) { community.addEventListener("change", filter); filter(); }
  if (exchange && partners) { exchange.addEventListener("change", toggle); toggle(); }
})();
