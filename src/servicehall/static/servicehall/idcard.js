// ID-card reader on the page (二代身份证识别, docs/id-reader.md). Two ways in:
// 1. the "读取身份证" button asks the counter PC's local agent (GET <agent>/v1/card) and fills the form;
// 2. a keyboard-wedge reader types the number and Enter into the focused ID field: keys arriving faster
//    than a person types are taken as a card read, checked (GB 11643) and kept from submitting the form.
// The server validates the number again on submit; this file only saves typing.
(function () {
  "use strict";
  const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const CHECK = "10X98765432";
  const WEDGE_MIN_CHARS = 15;  // a wedge types all 18 characters; people rarely type 15 without a pause
  const WEDGE_MAX_GAP_MS = 50;  // and faster than 50 ms per key, which no person does for 15 keys

  function normalise(value) {
    return String(value || "").replace(/[\s\u3000]/g, "").toUpperCase();
  }

  function validId(value) {
    if (!/^\d{17}[\dX]$/.test(value)) return false;
    let total = 0;
    for (let i = 0; i < 17; i += 1) total += Number(value[i]) * WEIGHTS[i];
    if (CHECK[total % 11] !== value[17]) return false;
    const y = Number(value.slice(6, 10)), m = Number(value.slice(10, 12)), d = Number(value.slice(12, 14));
    const born = new Date(y, m - 1, d);
    return born.getFullYear() === y && born.getMonth() === m - 1 && born.getDate() === d && born <= new Date();
  }

  function say(box, text, kind) {
    if (!box) return;
    box.textContent = text;
    box.className = "id-reader-status " + (kind || "");
  }

  function field(scope, name) {
    return name ? scope.querySelector('[name="' + name + '"]') : null;
  }

  function setValue(input, value) {
    if (!input || value === undefined || value === null) return;
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function reveal(input) {
    const details = input && input.closest("details");
    if (details) details.open = true;
  }

  function masked(number) {
    return number.length > 6 ? number.slice(0, 2) + "*".repeat(number.length - 6) + number.slice(-4) : number;
  }

  async function readCard(button) {
    const scope = button.closest("form") || document;
    const box = document.getElementById(button.dataset.status);
    const agent = (button.dataset.agent || "").replace(/\/$/, "");
    if (!agent) {
      say(box, "本机未配置身份证读卡服务，请手工填写。", "warning");
      return;
    }
    say(box, "正在读取身份证，请稍候……", "");
    button.disabled = true;
    let response;
    try {
      response = await fetch(agent + "/v1/card", { cache: "no-store", credentials: "omit" });
    } catch (err) {
      say(box, "身份证读卡服务没有运行。请联系工作人员启动读卡服务，或手工填写。", "error");
      button.disabled = false;
      return;
    }
    button.disabled = false;
    let body = {};
    try { body = await response.json(); } catch (err) { body = {}; }
    if (response.status === 404) {
      say(box, "没有检测到身份证，请将身份证放在读卡器感应区后再点“读取身份证”。", "warning");
      return;
    }
    if (response.status === 503) {
      say(box, "未连接身份证读卡器，请检查读卡器连接，或手工填写。", "error");
      return;
    }
    if (!response.ok || !body.card) {
      say(box, "身份证读取失败，请重新放置身份证或手工填写。", "error");
      return;
    }
    const card = body.card;
    const number = normalise(card.id_number);
    if (!validId(number)) {
      say(box, "证件号码校验未通过，请重新放置身份证。", "error");
      return;
    }
    const idInput = field(scope, button.dataset.fillId);
    setValue(field(scope, button.dataset.fillName), card.name);
    setValue(idInput, number);
    setValue(field(scope, button.dataset.fillAddress), card.address);
    setValue(field(scope, button.dataset.fillKind), card.id_kind);
    reveal(idInput);
    let text = "已读取身份证：" + (button.dataset.fillName ? card.name + "，" : "") + masked(number) + "。";
    if (card.expired) text += "注意：该身份证已超过有效期（" + card.valid_until + "）。";
    say(box, text, card.expired ? "warning" : "ok");
  }

  function watchWedge(input) {
    const box = document.getElementById(input.dataset.wedgeStatus);
    let times = [];
    input.addEventListener("keydown", function (event) {
      const now = performance.now();
      if (event.key === "Enter") {
        const recent = times.slice(-WEDGE_MIN_CHARS);
        const fast = recent.length >= WEDGE_MIN_CHARS &&
          recent.every(function (t, i) { return i === 0 || t - recent[i - 1] <= WEDGE_MAX_GAP_MS; });
        times = [];
        if (!fast) return;
        // A reader's Enter ends the read; it must not submit a half-filled form.
        event.preventDefault();
        const number = normalise(input.value);
        input.value = number;
        if (validId(number)) {
          say(box, "已从读卡器读入证件号码 " + masked(number) + "。", "ok");
          input.setAttribute("aria-invalid", "false");
        } else {
          say(box, "读卡器读入的证件号码校验未通过，请重新刷卡或手工填写。", "error");
          input.setAttribute("aria-invalid", "true");
        }
        return;
      }
      if (event.key.length === 1) {
        if (times.length && now - times[times.length - 1] > WEDGE_MAX_GAP_MS) times = [];
        times.push(now);
      }
    });
  }

  document.querySelectorAll("[data-id-reader]").forEach(function (button) {
    button.addEventListener("click", function () { readCard(button); });
  });
  document.querySelectorAll("[data-id-wedge]").forEach(watchWedge);
})();
