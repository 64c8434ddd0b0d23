// "Print the ticket" buttons: hidden without JavaScript, where the browser's own
// Print command does the same.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
