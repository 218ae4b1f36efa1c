// "Add a row" for formset tables: copy the empty row, number it and count it in TOTAL_FORMS.
(function () {
  "use strict";
  document.querySelectorAll("[data-add-row]").forEach(function (button) {
    button.addEventListener("click", function () {
      var prefix = button.dataset.addRow;
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var index = Number(total.value);
      var html = document.getElementById(prefix + "-template").innerHTML
        .replaceAll("__prefix__", String(index)).replaceAll("__num__", String(index + 1));
      var body = document.getElementById(prefix + "-rows");
      body.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      var row = body.rows[body.rows.length - 1];
      if (window.rolloutPersonPicker) { window.rolloutPersonPicker(row); }
      var first = row.querySelector("input, select, textarea");
      if (first) { first.focus(); }
    });
  });
})();
