// Flights pages: keep the countdowns to arrival current and reload the board now and then.
// Loaded as a file (the Content-Security-Policy allows no inline scripts); the pages work without it.
(function () {
  "use strict";

  function countdown(arrival, now) {
    var minutes = Math.floor((arrival - now) / 60000);
    var span = Math.abs(minutes);
    var text = span >= 60 ? Math.floor(span / 60) + " h " + String(span % 60).padStart(2, "0") + " min" : span + " min";
    return minutes >= 0 ? "in " + text : "landed " + text + " ago";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-arrival]").forEach(function (element) {
      var arrival = Date.parse(element.getAttribute("data-arrival"));
      if (!isNaN(arrival)) {
        element.textContent = countdown(arrival, now);
      }
    });
  }

  function busy() {
    // Never reload under someone who is filling in the filters.
    var active = document.activeElement;
    return active !== null && active.closest("form") !== null;
  }

  tick();
  window.setInterval(tick, 30000);
  var refresh = document.querySelector("[data-refresh-seconds]");
  if (refresh !== null) {
    var seconds = parseInt(refresh.getAttribute("data-refresh-seconds"), 10);
    if (seconds > 0) {
      window.setInterval(function () {
        if (!document.hidden && !busy()) {
          window.location.reload();
        }
      }, seconds * 1000);
    }
  }
})();
