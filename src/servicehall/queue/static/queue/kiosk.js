// Kiosk item filter: by unit, by category, and by the words of `data-search` (name, issued documents,
// synonyms, full pinyin and pinyin initials, built by catalog.search on the server).
(function () {
  const search = document.getElementById("kiosk-search");
  const buttons = Array.from(document.querySelectorAll(".item-btn"));
  const none = document.getElementById("no-match");
  const count = document.getElementById("shown-count");
  let unit = "", category = "";
  function words() {
    return (search && search.value || "").trim().toLowerCase().split(/[\s\u3000]+/).filter(Boolean);
  }
  function apply() {
    const qs = words();
    let shown = 0;
    for (const b of buttons) {
      const text = b.dataset.search || "";
      const ok = (!unit || b.dataset.unit === unit) && (!category || b.dataset.category === category) &&
        qs.every(function (w) { return text.includes(w); });
      b.hidden = !ok;
      if (ok) shown++;
    }
    if (none) none.hidden = shown > 0;
    if (count) count.textContent = String(shown);
  }
  function chips(attr, set) {
    const all = document.querySelectorAll("[" + attr + "]");
    all.forEach(function (chip) {
      chip.addEventListener("click", function () {
        all.forEach(function (c) { c.classList.remove("active"); c.setAttribute("aria-pressed", "false"); });
        chip.classList.add("active");
        chip.setAttribute("aria-pressed", "true");
        set(chip.getAttribute(attr));
        apply();
      });
    });
  }
  chips("data-filter-unit", function (v) { unit = v; });
  chips("data-filter-category", function (v) { category = v; });
  if (search) search.addEventListener("input", apply);
  apply();
})();
