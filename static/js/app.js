// Behaviour for every page, driven by data- attributes so that the Content-Security-Policy
// needs no inline scripts or style attributes (see README, "CSP rules").
(function () {
  "use strict";

  // Sizes computed on the server (progress bars, timeline bars, indents) arrive as data-
  // attributes and are applied through the CSSOM, which the policy allows.
  var SIZES = {
    "data-width": function (el, v) { el.style.width = v + "%"; },
    "data-left": function (el, v) { el.style.left = v + "%"; },
    "data-indent": function (el, v) { el.style.paddingLeft = v + "rem"; },
  };

  function applySizes(root) {
    Object.keys(SIZES).forEach(function (attr) {
      root.querySelectorAll("[" + attr + "]").forEach(function (el) {
        var value = parseFloat(el.getAttribute(attr));
        if (!isNaN(value)) { SIZES[attr](el, value); }
      });
    });
  }

  // "Add a row" for formset tables: copy the empty row, number it and count it in TOTAL_FORMS.
  function addRow(button) {
    var prefix = button.dataset.addRow;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var index = Number(total.value);
    var html = document.getElementById(prefix + "-template").innerHTML
      .replaceAll("__prefix__", String(index)).replaceAll("__num__", String(index + 1));
    var body = document.getElementById(prefix + "-rows");
    body.insertAdjacentHTML("beforeend", html);
    total.value = index + 1;
    applySizes(body);
    var first = body.rows[body.rows.length - 1].querySelector("input, select, textarea");
    if (first) { first.focus(); }
  }

  // Show only the details a chosen option needs (the server validates them either way).
  function toggleShowFor() {
    var checked = document.querySelector('input[name="choice"]:checked');
    document.querySelectorAll("[data-show-for]").forEach(function (el) {
      el.hidden = !checked || !el.dataset.showFor.split(" ").includes(checked.value);
    });
  }

  // A box filled from another URL after the page has loaded (slow counts on the home page).
  function fetchInto(box) {
    fetch(box.dataset.fetchInto, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { box.innerHTML = html; applySizes(box); })
      .catch(function () {
        var fallback = document.createElement("p");
        fallback.className = "small mb-0";
        fallback.textContent = box.dataset.fetchFallback || "Could not load this part of the page.";
        box.replaceChildren(fallback);
      });
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) { addRow(add); return; }
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-submit-on-change]") && el.form) { el.form.submit(); }
    if (el.matches('input[name="choice"]')) { toggleShowFor(); }
  });

  function init() {
    applySizes(document);
    if (document.querySelector("[data-show-for]")) { toggleShowFor(); }
    document.querySelectorAll("[data-fetch-into]").forEach(fetchInto);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  // Fragments swapped in by htmx (import progress) bring their own sizes.
  document.addEventListener("htmx:load", function (event) { applySizes(event.detail.elt.parentNode || document); });
})();
