// Kiosk item filter: by unit, by category, by name or pinyin initials (search).
(function () {
  const search = document.getElementById("kiosk-search");
  const buttons = Array.from(document.querySelectorAll(".item-btn"));
  const none = document.getElementById("no-match");
  let unit = "", category = "";
  function apply() {
    const q = (search && search.value || "").trim().toLowerCase();
    let shown = 0;
    for (const b of buttons) {
      const ok = (!unit || b.dataset.unit === unit) && (!category || b.dataset.category === category) &&
        (!q || b.dataset.name.toLowerCase().includes(q) || (b.dataset.pinyin || "").includes(q));
      b.hidden = !ok;
      if (ok) shown++;
    }
    if (none) none.hidden = shown > 0;
  }
  function chips(attr, set) {
    document.querySelectorAll("[" + attr + "]").forEach(function (chip) {
      chip.addEventListener("click", function () {
        document.querySelectorAll("[" + attr + "]").forEach(c => c.classList.remove("active"));
        chip.classList.add("active");
        set(chip.getAttribute(attr));
        apply();
      });
    });
  }
  chips("data-filter-unit", v => { unit = v; });
  chips("data-filter-category", v => { category = v; });
  if (search) search.addEventListener("input", apply);
})();
