// On wide screens the schedule's filters stay open beside the list; phones keep
// them folded under "Filters" (without JavaScript they simply start folded).
(function () {
  "use strict";
  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details.filters").forEach(function (details) {
      details.open = true;
    });
  }
})();
