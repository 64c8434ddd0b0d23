// After a refused submit the error summary takes the focus, so that a screen
// reader reads it first and a keyboard user starts from it (WCAG 3.3.1, 2.4.3).
// On "load", after the browser has gone to the page's #fragment (the forms post
// to "#register"), which would otherwise leave the focus on the page itself.
const summary = document.querySelector(".error-summary");
if (summary) {
  window.addEventListener("load", () => summary.focus());
}
