// Ticket page on the kiosk: print once (policy kiosk_auto_print), then return to the start screen after
// kiosk_reset_seconds so the next visitor never sees this ticket.
(function () {
  const ticket = document.getElementById("ticket");
  if (!ticket) return;
  const button = document.getElementById("print-ticket");
  if (button) button.addEventListener("click", function () { window.print(); });
  if (ticket.dataset.autoPrint === "1") {
    window.addEventListener("load", function () { window.print(); });
  }
  let left = parseInt(ticket.dataset.resetSeconds, 10) || 20;
  const shown = document.getElementById("reset-seconds");
  const url = ticket.dataset.resetUrl;
  const timer = window.setInterval(function () {
    left -= 1;
    if (shown) shown.textContent = String(Math.max(left, 0));
    if (left <= 0) {
      window.clearInterval(timer);
      window.location.replace(url);
    }
  }, 1000);
})();
