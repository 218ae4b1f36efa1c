// Leadership pages: print buttons and "add another follow-up" rows, without inline script.
document.addEventListener("click", function (event) {
  var printer = event.target.closest("[data-print]");
  if (printer) {
    event.preventDefault();
    window.print();
  }
  var adder = event.target.closest("[data-add-row]");
  if (adder) {
    event.preventDefault();
    var hidden = document.querySelector("[data-row].d-none");
    if (hidden) {
      hidden.classList.remove("d-none");
    }
    if (!document.querySelector("[data-row].d-none")) {
      adder.classList.add("d-none");
    }
  }
});
