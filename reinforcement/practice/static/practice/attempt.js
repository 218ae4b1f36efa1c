/* Attempt page: jump the player to a timed comment; stamp the player's time into the review. */
(function () {
  "use strict";
  var player = document.getElementById("player");
  document.querySelectorAll("button.seek").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!player) return;
      player.currentTime = Number(button.dataset.seconds);
      player.play();
    });
  });
  var add = document.getElementById("add-time");
  var timed = document.getElementById("id_timed");
  if (add && timed && player) {
    add.addEventListener("click", function () {
      var t = Math.floor(player.currentTime || 0);
      var stamp = Math.floor(t / 60) + ":" + String(t % 60).padStart(2, "0") + " ";
      timed.value = (timed.value && !timed.value.endsWith("\n") ? timed.value + "\n" : timed.value) + stamp;
      timed.focus();
    });
  }
})();
