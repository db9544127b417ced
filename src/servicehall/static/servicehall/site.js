// Site-wide behaviour, no inline scripts (the Content-Security-Policy forbids them):
// 长者模式 (elderly-friendly large type / high contrast) kept across pages, and nav dropdowns that close each other.
(function () {
  var KEY = "servicehall-elderly-mode";
  var root = document.documentElement;
  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(on) {
    root.classList.toggle("elderly-mode", on);
    document.querySelectorAll("[data-a11y-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? "标准模式" : "长者模式";
    });
  }
  // Applied before the body renders, so the page does not jump from small to large type.
  root.classList.toggle("elderly-mode", stored());
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored());
    document.querySelectorAll("[data-a11y-toggle]").forEach(function (b) {
      b.addEventListener("click", function () {
        var on = !root.classList.contains("elderly-mode");
        try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
        apply(on);
      });
    });
    var menus = Array.prototype.slice.call(document.querySelectorAll("details.dropdown"));
    menus.forEach(function (d) {
      d.addEventListener("toggle", function () {
        if (d.open) menus.forEach(function (other) { if (other !== d) other.open = false; });
      });
    });
    document.addEventListener("click", function (ev) {
      menus.forEach(function (d) { if (d.open && !d.contains(ev.target)) d.open = false; });
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") menus.forEach(function (d) { d.open = false; });
    });
  });
})();
