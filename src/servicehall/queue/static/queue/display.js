// Hall display: snapshot on load and after every (re)connect, live calls by Server-Sent Events,
// a heartbeat watchdog, and spoken announcements queued so one never cuts off another.
(function () {
  const body = document.body;
  const SNAPSHOT = body.dataset.snapshot, STREAM = body.dataset.stream;
  const $ = id => document.getElementById(id);
  let es = null, lastBeat = Date.now(), lastId = null, refreshTimer = null;
  const announced = new Set();

  // ---- voice: a FIFO of sentences; the next starts only when the previous ended ----
  const speech = window.speechSynthesis || null;
  const voiceQueue = [];
  let speaking = false, voiceEnabled = true, guard = null;
  window.queueAnnouncements = [];   // what was (or would have been) spoken, in order
  function speakNext() {
    if (speaking || !voiceQueue.length) return;
    const text = voiceQueue.shift();
    window.queueAnnouncements.push(text);
    if (!speech || !voiceEnabled) { setTimeout(speakNext, 10); return; }
    speaking = true;
    const u = new SpeechSynthesisUtterance(text);
    u.lang = "zh-CN"; u.rate = 0.9;
    const zh = speech.getVoices().find(v => /zh|cmn/i.test(v.lang));
    if (zh) u.voice = zh;
    const done = () => { if (!speaking) return; speaking = false; clearTimeout(guard); setTimeout(speakNext, 700); };
    u.onend = done; u.onerror = done;
    guard = setTimeout(done, 1500 + text.length * 450);  // some engines never fire onend
    speech.speak(u);
  }
  function announce(text, times) {
    for (let i = 0; i < (times || 1); i++) voiceQueue.push(text);
    speakNext();
  }
  $("voice-on").addEventListener("click", function () {
    voiceEnabled = true; this.hidden = true;
    if (speech) speech.speak(new SpeechSynthesisUtterance(""));  // unlock audio after a user gesture
  });

  // ---- rendering ----
  function render(s) {
    lastId = Math.max(lastId || 0, s.last_event_id || 0);
    const calls = $("calls");
    calls.innerHTML = "";
    for (const c of s.calls) {
      const tr = document.createElement("tr");
      tr.innerHTML = "<td></td><td></td>";
      tr.children[0].textContent = c.number;
      tr.children[1].textContent = c.window + " 号窗口";
      tr.dataset.number = c.number;
      calls.appendChild(tr);
    }
    if (s.calls.length && !$("latest-text").dataset.live) $("latest-text").textContent = s.calls[0].text;
    const lines = $("lines");
    lines.innerHTML = "";
    for (const l of s.lines) {
      const li = document.createElement("li");
      li.textContent = l.prefix + " " + l.name + "：" + (l.waiting ? l.waiting + " 人等候" +
        (l.estimated_wait ? "，约 " + l.estimated_wait + " 分钟" : "") : "无人等候");
      lines.appendChild(li);
    }
    const paused = $("paused");
    paused.innerHTML = "";
    for (const p of s.paused) { const li = document.createElement("li"); li.textContent = p.sign; paused.appendChild(li); }
    $("notice").textContent = s.notice;
  }
  function snapshot() {
    return fetch(SNAPSHOT, {cache: "no-store"}).then(r => r.json()).then(render).catch(() => {});
  }
  function seen(ev) { const n = parseInt(ev.lastEventId, 10); if (!isNaN(n)) lastId = Math.max(lastId || 0, n); }
  function refreshSoon(ev) {
    if (ev) seen(ev);
    clearTimeout(refreshTimer); refreshTimer = setTimeout(snapshot, 300);
  }
  function onCall(ev) {
    seen(ev);
    const d = JSON.parse(ev.data);
    if (announced.has(d.id)) return;
    announced.add(d.id);
    const latest = $("latest-text");
    latest.textContent = d.text; latest.dataset.live = "1";
    latest.classList.remove("flash"); void latest.offsetWidth; latest.classList.add("flash");
    const calls = $("calls");
    const tr = document.createElement("tr");
    tr.innerHTML = "<td></td><td></td>";
    tr.children[0].textContent = d.number;
    tr.children[1].textContent = d.window_number + " 号窗口";
    tr.dataset.number = d.number;
    calls.insertBefore(tr, calls.firstChild);
    announce(d.text, d.repeat || 1);
    refreshSoon(null);
  }

  // ---- live stream with heartbeat watchdog ----
  function connect() {
    if (es) es.close();
    const url = STREAM + (lastId != null ? "?last=" + lastId : "");
    es = new EventSource(url);
    es.onopen = () => { lastBeat = Date.now(); $("link-state").classList.remove("down"); snapshot(); };
    es.onerror = () => { $("link-state").classList.add("down"); };
    es.addEventListener("hello", () => { lastBeat = Date.now(); });
    es.addEventListener("heartbeat", () => { lastBeat = Date.now(); });
    es.addEventListener("call", onCall);
    es.addEventListener("recall", onCall);
    for (const k of ["issue", "skip", "transfer", "finish", "pause", "resume"]) es.addEventListener(k, refreshSoon);
    es.addEventListener("bye", () => { es.close(); setTimeout(connect, 200); });
  }
  setInterval(() => {
    if (Date.now() - lastBeat > 15000) { $("link-state").classList.add("down"); lastBeat = Date.now(); connect(); }
    $("clock").textContent = new Date().toLocaleTimeString("zh-CN", {hour12: false});
  }, 2000);
  snapshot().then(connect);
})();
