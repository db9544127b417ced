// The leave slip shows only what the chosen kind needs: the diagnosis certificate for 病假, the training
// document for 培训学习; the name and phone of an outside cover only when 单位另派人员 is picked.
// Without script every field stays visible and the server ignores the ones of another kind.
(function () {
  function toggle(el, show) {
    var row = el.closest("p");
    if (!row) return;
    row.hidden = !show;
    el.disabled = !show;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var kind = document.querySelector("select[name=kind]");
    var cover = document.querySelector("select[name=cover_staff]");
    function update() {
      if (kind) {
        document.querySelectorAll("[data-leave-kind]").forEach(function (el) {
          toggle(el, el.getAttribute("data-leave-kind") === kind.value);
        });
      }
      if (cover) {
        ["cover_name", "cover_phone"].forEach(function (name) {
          var el = document.querySelector("[name=" + name + "]");
          if (el) toggle(el, cover.value === "other");
        });
        ["cover_start", "cover_end"].forEach(function (name) {
          var el = document.querySelector("[name=" + name + "]");
          if (el) toggle(el, cover.value !== "");
        });
      }
    }
    if (kind) kind.addEventListener("change", update);
    if (cover) cover.addEventListener("change", update);
    update();
  });
})();
