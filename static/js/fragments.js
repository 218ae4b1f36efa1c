// Fills every element with data-fragment-src from that URL once the page has loaded
// (slow counts are fetched after the page shows). On failure the element shows its
// data-fragment-fallback text instead of waiting forever. No inline script: CSP-safe.
(function () {
  "use strict";
  function load(box) {
    fetch(box.dataset.fragmentSrc, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () {
        var note = document.createElement("p");
        note.className = "small mb-0";
        note.textContent = box.dataset.fragmentFallback || "Could not load this part of the page.";
        box.replaceChildren(note);
      })
      .finally(function () { box.setAttribute("aria-busy", "false"); });
  }
  document.querySelectorAll("[data-fragment-src]").forEach(load);
})();
