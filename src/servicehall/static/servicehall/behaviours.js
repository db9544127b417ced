// Small page behaviours declared with data attributes, so templates carry no inline script or
// on* handlers and the Content-Security-Policy can forbid inline script (script-src 'self').
//   <select data-autosubmit>  submits its form when changed
//   <button data-print>       prints the page
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
