// Hall display: a snapshot on load and after every reconnect; in between, live events (Server-Sent
// Events) are applied to what is shown — calls, waiting counts, paused windows — without asking the
// server again. A closed stream (an error response such as a 502 during a restart) is reopened with a
// short backoff; a heartbeat watchdog catches a stream that hangs silently. Spoken announcements are
// queued so one never cuts off another.
(function () {
  const body = document.body;
  const SNAPSHOT = body.dataset.snapshot, STREAM = body.dataset.stream;
  const $ = id => document.getElementById(id);
  let es = null, lastBeat = Date.now(), lastId = null, retryTimer = null, backoff = 1000, opened = 0;
  let state = null;         // the last snapshot with the live events applied
  let pending = null;       // events that arrived while a snapshot was being fetched
  const announced = new Set();
  window.displayStats = {snapshots: 0, streams: 0, applied: 0};

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
  function render() {
    const s = state;
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
    let total = 0;
    for (const l of s.lines) {
      total += l.waiting;
      const li = document.createElement("li");
      li.dataset.line = l.id;
      li.textContent = l.prefix + " " + l.name + "：" + (l.waiting ? l.waiting + " 人等候" +
        (l.estimated_wait ? "，约 " + l.estimated_wait + " 分钟" : "") : "无人等候");
      lines.appendChild(li);
    }
    const paused = $("paused");
    paused.innerHTML = "";
    for (const p of s.paused) { const li = document.createElement("li"); li.textContent = p.sign; paused.appendChild(li); }
    if (s.crowding_at != null) s.notice = total >= s.crowding_at ? s.crowding_notice : s.display_notice;
    $("notice").textContent = s.notice;
  }
  function snapshot() {
    pending = pending || [];
    return fetch(SNAPSHOT, {cache: "no-store"}).then(r => {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(s => {
      window.displayStats.snapshots++;
      state = s;
      lastId = Math.max(lastId || 0, s.last_event_id || 0);
      const queued = pending; pending = null;
      for (const ev of queued) apply(ev.kind, ev.data, ev.id);
      render();
    }).catch(() => { pending = null; });
  }

  // ---- live events applied to the state ----
  function line(id) { return state && id != null ? state.lines.find(l => l.id === id) : null; }
  function bump(id, by) { const l = line(id); if (l) l.waiting = Math.max(0, l.waiting + by); }
  function apply(kind, d, id) {
    if (!state || (id != null && id <= (state.last_event_id || 0))) return;  // the snapshot has it
    window.displayStats.applied++;
    if (kind === "issue") bump(d.line_id, 1);
    else if (kind === "call" || kind === "recall") {
      if (kind === "call") bump(d.line_id, -1);
      state.calls = state.calls.filter(c => c.number !== d.number);
      state.calls.unshift({number: d.number, window: d.window_number, text: d.text, status: "called"});
      state.calls.length = Math.min(state.calls.length, state.recent_calls || 8);
    } else if (kind === "skip") { if (d.returned) bump(d.line_id, 1); }
    else if (kind === "transfer") bump(d.line_id, 1);
    else if (kind === "pause") {
      state.paused = state.paused.filter(p => String(p.window) !== String(d.window_number));
      state.paused.push({window: d.window_number, sign: d.sign});
    } else if (kind === "resume") state.paused = state.paused.filter(p => String(p.window) !== String(d.window_number));
  }
  function onEvent(ev) {
    const id = parseInt(ev.lastEventId, 10);
    if (!isNaN(id)) lastId = Math.max(lastId || 0, id);
    const d = JSON.parse(ev.data);
    if ((ev.type === "call" || ev.type === "recall") && !announced.has(d.id)) {
      announced.add(d.id);
      const latest = $("latest-text");
      latest.textContent = d.text; latest.dataset.live = "1";
      latest.classList.remove("flash"); void latest.offsetWidth; latest.classList.add("flash");
      announce(d.text, d.repeat || 1);
    }
    if (pending) { pending.push({kind: ev.type, data: d, id: isNaN(id) ? null : id}); return; }
    apply(ev.type, d, isNaN(id) ? null : id);
    render();
  }

  // ---- live stream: reopened by itself after an error, plus a heartbeat watchdog ----
  function reconnectLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, backoff + Math.random() * 300);
    backoff = Math.min(backoff * 2, 5000);
  }
  function connect() {
    clearTimeout(retryTimer);
    if (es) es.close();
    const url = STREAM + (lastId != null ? "?last=" + lastId : "");
    const source = es = new EventSource(url);
    window.displayStats.streams++;
    source.onopen = () => {
      backoff = 1000; lastBeat = Date.now(); $("link-state").classList.remove("down");
      if (opened++ > 0 || !state) snapshot();  // a reconnect: whatever changed while the stream was down
    };
    source.onerror = () => {
      $("link-state").classList.add("down");
      // The browser retries a dropped connection itself, but gives up for good on an error response.
      if (source.readyState === EventSource.CLOSED && source === es) reconnectLater();
    };
    source.addEventListener("hello", () => { lastBeat = Date.now(); });
    source.addEventListener("heartbeat", () => { lastBeat = Date.now(); });
    for (const k of ["issue", "call", "recall", "skip", "transfer", "finish", "pause", "resume"]) {
      source.addEventListener(k, onEvent);
    }
    source.addEventListener("bye", () => { source.close(); setTimeout(connect, 200); });
  }
  setInterval(() => {
    if (Date.now() - lastBeat > 15000) { $("link-state").classList.add("down"); lastBeat = Date.now(); connect(); }
    $("clock").textContent = new Date().toLocaleTimeString("zh-CN", {hour12: false});
  }, 2000);
  snapshot().then(connect);
})();
