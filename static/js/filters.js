// On wide screens the schedule's filters stay open beside the list; phones keep
// them folded under "Filters" (without JavaScript they simply start folded), so
// that after "Show" the results, where the form's address points, come first.
(function () {
  "use strict";
  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details.filters").forEach(function (details) {
      details.open = true;
    });
  }
  // The strip of days scrolls sideways on a phone: bring the day shown into
  // view, in the middle, without moving the page up or down.
  document.querySelectorAll(".day-nav").forEach(function (strip) {
    var active = strip.querySelector("[aria-current=page]");
    if (!active) {
      return;
    }
    var offset =
      active.getBoundingClientRect().left -
      strip.getBoundingClientRect().left -
      (strip.clientWidth - active.offsetWidth) / 2;
    strip.scrollLeft += offset;
  });
})();
