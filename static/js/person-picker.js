// Searchable person picker (cohorts/widgets.py): asks the server for at most 20 matches as
// the user types, so it works for an org chart of any size. Keyboard: arrows, Enter, Escape.
(function () {
  "use strict";
  function setup(root) {
    var input = root.querySelector("[data-picker-input]");
    var hidden = root.querySelector("[data-picker-value]");
    var list = root.querySelector("[data-picker-list]");
    var status = root.querySelector("[data-picker-status]");
    var url = root.dataset.searchUrl;
    var timer = null, active = -1, items = [], request = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (o, i) { o.classList.toggle("active", i === index); o.setAttribute("aria-selected", i === index); });
      active = index;
      if (options[index]) { input.setAttribute("aria-activedescendant", options[index].id); options[index].scrollIntoView({ block: "nearest" }); }
    }
    function choose(index) {
      var item = items[index];
      if (!item) { return; }
      if (hidden) { hidden.value = item.id; }
      input.value = item.name;
      if (root.hasAttribute("data-picker-fill-team")) {
        var row = root.closest("tr");
        var team = row && row.querySelector('input[name$="-team"]');
        if (team && !team.value && item.team) { team.value = item.team; }
      }
      status.textContent = item.name + " chosen";
      close();
      root.dispatchEvent(new CustomEvent("person-picked", { bubbles: true, detail: item }));
    }
    function render(results) {
      items = results;
      list.replaceChildren();
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action py-1";
        li.id = input.id + "_opt" + i;
        li.setAttribute("role", "option");
        var name = document.createElement("span");
        name.textContent = item.name;
        var detail = document.createElement("span");
        detail.className = "small text-secondary ms-2";
        detail.textContent = item.detail;
        li.append(name, detail);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      if (!results.length) {
        var none = document.createElement("li");
        none.className = "list-group-item small text-secondary py-1";
        none.textContent = "Nobody matches.";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length + " match" + (results.length === 1 ? "" : "es");
      highlight(results.length ? 0 : -1);
    }
    function search() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++request;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (data) { if (mine === request) { render(data.results); } })
        .catch(function () { status.textContent = "Search is not available; type an e-mail address."; });
    }
    input.addEventListener("input", function () {
      if (hidden) { hidden.value = ""; }  // typing again means the earlier choice no longer holds
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (event.key === "Enter") { if (active >= 0) { event.preventDefault(); choose(active); } }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  function setupAll(scope) {
    (scope || document).querySelectorAll("[data-person-picker]:not([data-picker-ready])").forEach(function (root) {
      root.setAttribute("data-picker-ready", "");
      setup(root);
    });
  }
  setupAll(document);
  // Rows added to a formset after load get their picker when first focused.
  document.addEventListener("focusin", function (event) {
    var root = event.target.closest && event.target.closest("[data-person-picker]:not([data-picker-ready])");
    if (root) { setupAll(root.parentNode); }
  });
})();
