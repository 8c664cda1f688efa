// The control-room console: site plan in site metres (CRS.Simple), live subjects, alarms,
// headcount and presence, mustering, trucks and track replay. Everything comes from cordon
// itself: the JSON API under /api/ and the WebSocket /api/live.
"use strict";
const params = new URLSearchParams(location.search);
const TOKEN = params.get("token") || localStorage.getItem("cordon.token") || "";
if (params.get("token")) localStorage.setItem("cordon.token", TOKEN);
const headers = TOKEN ? { Authorization: "Bearer " + TOKEN } : {};
const RISK = { red: "#e53935", orange: "#fb8c00", yellow: "#fdd835", blue: "#1e88e5" };
const SEV = { critical: 0, major: 1, minor: 2 };

const state = { site: null, alarmSubjects: new Set(), zones: new Map(), zoneLayers: new Map(), alarms: new Map(), registry: new Map(), vehicles: new Map(),
  headcount: new Map(), muster: null, lastReport: null, muted: false, ws: null, wsUp: false, floor: null, missingLayer: null,
  events: 0 };
window.cordon = state;

async function api(op, q = {}) {
  const u = new URL("/api/" + op, location.origin);
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== "") u.searchParams.set(k, v);
  const r = await fetch(u, { headers });
  return r.json();
}
async function control(req) {
  const r = await fetch("/api/control", { method: "POST", headers: Object.assign({ "Content-Type": "application/json" }, headers), body: JSON.stringify(req) });
  return r.json();
}
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
function ago(ts) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(ts)) / 1000));
  return s < 60 ? s + "s" : s < 3600 ? Math.floor(s / 60) + "m" + (s % 60) + "s" : Math.floor(s / 3600) + "h" + Math.floor(s % 3600 / 60) + "m";
}
// A zone as the site file names it in the page's language (events carry the English name).
function zoneLabel(z) { const p = state.zones.get(z.id) || {}; return (LANG === "zh" && p.name_zh) || z.name || p.name || z.id; }
function dur(s) { s = Math.round(s); const neg = s < 0; s = Math.abs(s); const v = Math.floor(s / 3600) + ":" + String(Math.floor(s % 3600 / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0"); return neg ? "-" + v : v; }

// --- map --------------------------------------------------------------------------------
const map = L.map("map", { crs: L.CRS.Simple, minZoom: -5, maxZoom: 4, zoomSnap: 0.25, attributionControl: false });
const toLatLng = c => L.latLng(c[1], c[0]);
const subjects = new SubjectsLayer().addTo(map);
window.cordonMap = map; window.cordonSubjects = subjects;
const overlays = L.layerGroup().addTo(map);
const replayLayer = L.layerGroup().addTo(map);

async function loadSite() {
  const r = await fetch("/api/console/site", { headers });
  const plan = await r.json();
  if (!plan.features) throw new Error("site: " + JSON.stringify(plan));
  state.site = plan;
  document.getElementById("site-name").textContent = plan.site || "";
  overlays.clearLayers(); state.zones.clear(); state.zoneLayers.clear();
  const levels = new Set();
  const order = { site: 0, enterprise: 1, route: 2, parking: 3, zone: 4, muster: 5, gate: 6 };
  const feats = plan.features.slice().sort((a, b) => (order[a.properties.kind] ?? 9) - (order[b.properties.kind] ?? 9));
  let siteBounds = null;
  for (const f of feats) {
    const p = f.properties, kind = p.kind;
    if (kind === "zone" && p.level !== undefined && p.level !== null) levels.add(p.level);
    const style = () => {
      switch (kind) {
        case "site": return { color: "#5c6b7a", weight: 2, fill: true, fillColor: "#16202a", fillOpacity: 1 };
        case "enterprise": return { color: "#8899aa", weight: 1, dashArray: "6 4", fillOpacity: 0.03 };
        case "zone": return { color: RISK[p.risk] || "#90a4ae", weight: 1.5, fillColor: RISK[p.risk] || "#90a4ae", fillOpacity: 0.45 };
        case "parking": return { color: "#9575cd", weight: 1, fillColor: "#9575cd", fillOpacity: 0.3 };
        case "muster": return { color: "#66bb6a", weight: 2, fillColor: "#66bb6a", fillOpacity: 0.5 };
        case "route": return { color: "#ffffff", weight: 2, dashArray: "8 6" };
        default: return { color: "#fff" };
      }
    };
    const layer = L.geoJSON(f, {
      coordsToLatLng: toLatLng, style,
      pointToLayer: (_, ll) => L.circleMarker(ll, { radius: 6, color: "#fff", weight: 2, fillColor: "#00bcd4", fillOpacity: 1 }),
    });
    if (kind === "route" && p.width_m) {
      // The corridor: the line widened to width_m (PROTOCOL.md section 6), drawn in metres.
      const corridor = L.geoJSON(f, { coordsToLatLng: toLatLng, style: { color: "#b0bec5", opacity: 0.18, lineCap: "round", lineJoin: "round" } });
      corridor.corridorWidth = p.width_m;
      overlays.addLayer(corridor);
      state.corridors = (state.corridors || []).concat([corridor]);
    }
    layer.feature = f;
    overlays.addLayer(layer);
    const label = (LANG === "zh" && p.name_zh) || p.name || p.id;
    if (kind === "zone") {
      state.zones.set(p.id, p);
      state.zoneLayers.set(p.id, layer);
      layer.bindTooltip(label, { permanent: false, className: "zone-label" });
    } else if (kind === "gate" || kind === "muster" || kind === "parking") {
      layer.bindTooltip((kind === "gate" ? "" : kind === "muster" ? "⚑ " : "P ") + label, { permanent: true, direction: "top", className: "zone-label" });
    }
    if (kind === "site") siteBounds = layer.getBounds();
  }
  if (siteBounds) map.fitBounds(siteBounds, { padding: [10, 10] });
  const sel = document.getElementById("floor");
  sel.innerHTML = "";
  const all = el("option", t("allFloors")); all.value = ""; sel.appendChild(all);
  for (const l of [...levels].sort((a, b) => a - b)) { const o = el("option", "L" + l); o.value = l; sel.appendChild(o); }
  sizeCorridors();
  applyFloor();
}
// A corridor's stroke width follows the zoom so that it stays width_m metres wide.
function sizeCorridors() {
  const px = map.latLngToContainerPoint([0, 1]).x - map.latLngToContainerPoint([0, 0]).x;
  for (const c of state.corridors || []) c.setStyle({ weight: Math.max(1, c.corridorWidth * px) });
}
map.on("zoomend", sizeCorridors);
function applyFloor() {
  const v = document.getElementById("floor").value;
  state.floor = v === "" ? null : Number(v);
  subjects.floor = state.floor; subjects.touch();
  for (const [id, layer] of state.zoneLayers) {
    const z = state.zones.get(id);
    const on = state.floor === null || z.level === undefined || z.level === null || z.level === state.floor;
    if (on && !overlays.hasLayer(layer)) overlays.addLayer(layer);
    if (!on && overlays.hasLayer(layer)) overlays.removeLayer(layer);
  }
}
document.getElementById("floor").onchange = applyFloor;
map.on("click", e => {
  const k = subjects.nearest(map.latLngToContainerPoint(e.latlng), 8);
  if (!k) return;
  const s = subjects.subjects.get(k), who = state.registry.get(s.id) || state.vehicles.get(s.id) || {};
  L.popup().setLatLng(e.latlng).setContent(`<b>${s.id}</b> ${who.name || ""}<br>${who.enterprise || ""} ${who.contractor ? "(" + t("contractors") + ")" : ""}<br>${s.zone || ""} · ${ago(s.t)}`).openOn(map);
});
function locate(x, y) { map.setView(L.latLng(y, x), Math.max(map.getZoom(), 1)); const m = L.circleMarker(L.latLng(y, x), { radius: 14, color: "#ff1744", weight: 3, fill: false }).addTo(map); setTimeout(() => m.remove(), 4000); }

// --- zones: occupancy against the limit ----------------------------------------------------------
function paintZones() {
  for (const [id, layer] of state.zoneLayers) {
    const z = state.zones.get(id), n = state.headcount.get(id) || 0;
    const inAlarm = [...state.alarms.values()].some(a => a.zone && a.zone.id === id);
    const over = z.max_people && n > z.max_people;
    layer.setStyle({ weight: inAlarm || over ? 4 : 1.5, color: inAlarm || over ? "#ffffff" : (RISK[z.risk] || "#90a4ae") });
    layer.setTooltipContent(`${(LANG === "zh" && z.name_zh) || z.name || id}: ${n}${z.max_people ? " / " + z.max_people : ""}`);
  }
}

// --- alarms -----------------------------------------------------------------------------------
let ackTarget = null;
function renderAlarms() {
  const list = [...state.alarms.values()].sort((a, b) => (SEV[a.severity] - SEV[b.severity]) || a.t.localeCompare(b.t));
  document.getElementById("alarm-count").textContent = list.length;
  const ul = document.getElementById("alarm-list");
  ul.innerHTML = "";
  for (const a of list) {
    const li = el("li", undefined, a.severity + (a.acknowledged ? " acked" : ""));
    li.dataset.id = a.id;
    const zoneSubject = a.subject && a.subject.kind === "zone";
    const who = a.subject ? (zoneSubject ? zoneLabel(a.subject) : (a.subject.name || a.subject.id)) : "";
    const where = a.zone && !(zoneSubject && a.zone.id === a.subject.id) ? "@ " + zoneLabel(a.zone) : "";
    li.appendChild(el("b", kindLabel(a.kind)));
    li.appendChild(document.createTextNode(` ${who} ${where} · ${ago(a.t)}`));
    // Published while the store refused writes: on its way to the record, not in it yet.
    if (a.stored === false) li.appendChild(el("span", t("notStored"), "unstored"));
    if (a.acknowledged) li.appendChild(el("div", `${t("acked")}: ${a.acknowledged.by}`));
    else {
      const b = el("button", t("acknowledge"), "ack"); b.onclick = ev => { ev.stopPropagation(); openAck(a); }; li.appendChild(b);
    }
    li.onclick = () => { if (a.position) locate(a.position.x, a.position.y); };
    ul.appendChild(li);
  }
  // Subjects in alarm stand out on the map, also those whose first position comes later.
  state.alarmSubjects = new Set(list.filter(a => a.subject).map(a => a.subject.kind + ":" + a.subject.id));
  for (const [key, s] of subjects.subjects) s.alarm = state.alarmSubjects.has(key);
  subjects.touch();
  paintZones();
  alarmSound(list.some(a => a.severity === "critical" && !a.acknowledged));
  const storeFailing = list.some(a => a.kind === "store-failing");
  document.getElementById("store-banner").hidden = !storeFailing;
  document.body.classList.toggle("store-failing", storeFailing);  // the banner pushes the map down
}
function openAck(a) {
  ackTarget = a;
  document.getElementById("ack-form").hidden = false;
  document.getElementById("ack-what").textContent = `${a.kind} ${a.id}`;
  document.getElementById("ack-result").textContent = "";
  document.getElementById("ack-name").value = localStorage.getItem("cordon.name") || "";
}
document.getElementById("ack-cancel").onclick = () => { document.getElementById("ack-form").hidden = true; };
document.getElementById("ack-send").onclick = async () => {
  const name = document.getElementById("ack-name").value.trim();
  const out = document.getElementById("ack-result");
  if (!name) { out.textContent = t("ackNeedsName"); return; }
  localStorage.setItem("cordon.name", name);
  const r = await control({ op: "alarms.ack", id: ackTarget.id, by: name, comment: document.getElementById("ack-comment").value });
  if (r.ok) { document.getElementById("ack-form").hidden = true; state.alarms.set(r.alarm.id, r.alarm); renderAlarms(); }
  else out.textContent = r.error ? r.error.message : JSON.stringify(r);
};
async function loadAlarms() {
  const r = await api("alarms.active");
  if (!r.ok) return;
  state.alarms.clear();
  for (const a of r.alarms) state.alarms.set(a.id, a);
  renderAlarms();
}
// An audible signal while a critical alarm is unacknowledged, unless muted.
let audio = null, beepTimer = null;
function alarmSound(on) {
  if (!on || state.muted) { clearInterval(beepTimer); beepTimer = null; return; }
  if (beepTimer) return;
  beepTimer = setInterval(() => {
    try {
      audio = audio || new AudioContext();
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880; g.gain.value = 0.15; o.connect(g); g.connect(audio.destination);
      o.start(); o.stop(audio.currentTime + 0.25);
    } catch (e) { /* no audio device */ }
  }, 1000);
  state.beeping = true;
}
document.getElementById("mute").onclick = () => {
  state.muted = !state.muted;
  document.getElementById("mute").textContent = t(state.muted ? "unmute" : "mute");
  document.getElementById("mute").dataset.i18n = state.muted ? "unmute" : "mute";
  renderAlarms();
};

// --- headcount and presence -------------------------------------------------------------------------
async function loadRegistry() {
  const r = await api("registry.get");
  if (!r.ok) return;
  for (const p of r.people || []) state.registry.set(p.id, p);
  for (const v of r.vehicles || []) state.vehicles.set(v.plate, v);
}
async function loadPeople() {
  const [hc, pr] = await Promise.all([api("headcount"), api("presence")]);
  if (hc.ok) {
    state.headcount.clear();
    for (const z of hc.zones) state.headcount.set(z.id, z.count);
    const tb = document.getElementById("by-zone");
    tb.innerHTML = `<tr><th>${t("zone")}</th><th>${t("count")}</th><th>${t("limit")}</th></tr>`;
    for (const z of hc.zones.sort((a, b) => b.count - a.count)) {
      const tr = el("tr"); tr.appendChild(el("td", z.name || z.id));
      tr.appendChild(el("td", z.count, z.max_people && z.count > z.max_people ? "over" : ""));
      tr.appendChild(el("td", z.max_people ?? "–")); tb.appendChild(tr);
    }
    paintZones();
  }
  if (pr.ok) {
    const byPos = [...subjects.subjects.values()].filter(s => s.kind === "person").length;
    document.getElementById("presence-summary").textContent =
      `${t("onSiteGate")}: ${pr.by_kind.person || 0} ${t("people")}, ${pr.by_kind.vehicle || 0} ${t("vehicles")} · ${t("onSitePosition")}: ${byPos}`;
    const ent = {};
    for (const s of pr.subjects || []) {
      if (s.kind !== "person") continue;
      const e = s.enterprise || "–", c = (state.registry.get(s.id) || {}).contractor;
      ent[e] = ent[e] || { emp: 0, con: 0 };
      ent[e][c ? "con" : "emp"]++;
    }
    const tb = document.getElementById("by-enterprise");
    tb.innerHTML = `<tr><th>${t("enterprise")}</th><th>${t("employees")}</th><th>${t("contractors")}</th></tr>`;
    for (const [e, n] of Object.entries(ent).sort()) { const tr = el("tr"); tr.appendChild(el("td", e)); tr.appendChild(el("td", n.emp)); tr.appendChild(el("td", n.con)); tb.appendChild(tr); }
    for (const [id, list] of [["no-entry", pr.no_entry_record], ["untracked", pr.untracked]]) {
      const ul = document.getElementById(id); ul.innerHTML = "";
      for (const s of list || []) ul.appendChild(el("li", `${s.id} ${s.name || ""} · ${ago(s.since)}`));
      if (!(list || []).length) ul.appendChild(el("li", t("none")));
    }
  }
}

// --- muster -------------------------------------------------------------------------------------
function renderMuster(m) {
  state.muster = m;
  const box = document.getElementById("muster-state"), bar = document.getElementById("muster-bar");
  const pts = document.getElementById("muster-points"), miss = document.getElementById("muster-missing");
  pts.innerHTML = ""; miss.innerHTML = "";
  if (state.missingLayer) { state.missingLayer.remove(); state.missingLayer = null; }
  if (!m) { box.textContent = t("noMuster"); bar.style.width = "0"; return; }
  const total = m.total || 0, acc = m.accounted || 0;
  box.textContent = `${t(m.mode) || m.mode}: ${t("accounted")} ${acc} / ${t("total")} ${total} · ${t("missing")} ${m.missing ?? total - acc} · ${t("elapsed")} ${dur(m.elapsed_s || 0)}`;
  bar.style.width = (total ? 100 * acc / total : 0) + "%";
  for (const [p, n] of Object.entries(m.by_point || {})) { const tr = el("tr"); tr.appendChild(el("td", p)); tr.appendChild(el("td", n)); pts.appendChild(tr); }
  state.missingLayer = L.layerGroup().addTo(map);
  for (const p of m.missing_people || []) {
    const li = el("li", `${p.id} ${p.name || ""} ${p.enterprise || ""} ${p.zone ? "@ " + zoneLabel(p.zone) : ""}`);
    const b = el("button", t("markSafe")); b.onclick = async () => { const r = await control({ op: "muster.mark", person: p.id }); if (r.ok) loadMuster(); };
    li.appendChild(b);
    const lp = p.last_position;
    if (lp) {
      li.onclick = ev => { if (ev.target === li) locate(lp.x, lp.y); };
      L.circleMarker(L.latLng(lp.y, lp.x), { radius: 7, color: "#ffeb3b", weight: 2, fillOpacity: 0 }).bindTooltip(p.name || p.id).addTo(state.missingLayer);
    }
    miss.appendChild(li);
  }
}
async function loadMuster() {
  const r = await api("muster.status");
  renderMuster(r.ok ? r.muster : null);
}
async function startMuster(mode) {
  const r = await control({ op: "muster.start", mode });
  if (!r.ok) document.getElementById("muster-state").textContent = r.error.message; else loadMuster();
}
document.getElementById("muster-drill").onclick = () => startMuster("drill");
document.getElementById("muster-emergency").onclick = () => startMuster("emergency");
document.getElementById("muster-end").onclick = async () => {
  const r = await control({ op: "muster.end" });
  if (r.ok) { state.lastReport = r.report || r.muster || r; renderMuster(null); } else document.getElementById("muster-state").textContent = r.error.message;
};
document.getElementById("muster-csv").onclick = async () => {
  // The running muster's report, or the one that just ended: the same CSV as `cordon muster report`.
  const body = state.muster ? null : state.lastReport;
  const r = body ? await fetch("/api/console/muster.csv", { method: "POST", headers, body: JSON.stringify(body) })
                 : await fetch("/api/console/muster.csv", { headers });
  const blob = await r.blob(), a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = "muster.csv"; a.click();
};

// --- trucks -------------------------------------------------------------------------------------
async function loadTrucks() {
  const r = await api("booking.list");
  state.journeys = state.journeys || new Map();
  for (const b of (r.bookings || []).filter(b => b.used_at).slice(0, 20)) {
    api("journey", { booking: b.id }).then(j => {
      const ev = j.ok && j.journey && j.journey.events;
      if (ev && ev.length) state.journeys.set(b.id, ev[ev.length - 1].step || "");
    });
  }
  const tb = document.getElementById("truck-table");
  tb.innerHTML = `<tr><th>${t("plate")}</th><th>${t("status")}</th><th>${t("route")}</th><th>${t("deadline")}</th><th>${t("stay")}</th><th>${t("violations")}</th></tr>`;
  if (!r.ok) return;
  const now = Date.now();
  for (const b of r.bookings || []) {
    const tr = el("tr");
    const v = subjects.subjects.get("vehicle:" + b.plate);
    tr.appendChild(el("td", b.plate)); tr.appendChild(el("td", b.status));
    // Where it is: the zone its last position is in, and the last step of its journey.
    const j = state.journeys && state.journeys.get(b.id);
    tr.appendChild(el("td", (b.route || "") + " → " + (b.destination || "") + (v && v.zone ? " · " + v.zone : "") + (j ? " · " + j : "")));
    const until = b.window && Date.parse(b.window.until);
    tr.appendChild(el("td", until ? dur((until - now) / 1000) : "–"));
    const entered = b.used_at;
    tr.appendChild(el("td", entered && b.max_stay_min ? dur(b.max_stay_min * 60 - (now - Date.parse(entered)) / 1000) : (b.max_stay_min ? b.max_stay_min + " min" : "–")));
    const vs = [...state.alarms.values()].filter(a => a.subject && a.subject.kind === "vehicle" && a.subject.id === b.plate).map(a => a.kind);
    tr.appendChild(el("td", vs.join(", ") || "–", vs.length ? "over" : ""));
    if (v) tr.onclick = () => locate(v.x, v.y);
    tb.appendChild(tr);
  }
}

// --- replay -------------------------------------------------------------------------------------
function localInput(d) { const z = new Date(d.getTime() - d.getTimezoneOffset() * 60000); return z.toISOString().slice(0, 19); }
document.getElementById("replay-from").value = localInput(new Date(Date.now() - 3600e3));
document.getElementById("replay-until").value = localInput(new Date(Date.now() + 60e3));
let replay = null;
document.getElementById("replay-load").onclick = async () => {
  const id = document.getElementById("replay-subject").value.trim(); if (!id) return;
  const kind = document.getElementById("replay-kind").value;
  const from = new Date(document.getElementById("replay-from").value).toISOString();
  const until = new Date(document.getElementById("replay-until").value).toISOString();
  const r = await api("track", { [kind]: id, from, until });
  replayLayer.clearLayers();
  const info = document.getElementById("replay-info");
  if (!r.ok) { info.textContent = r.error.message; return; }
  const pts = r.positions.map(p => L.latLng(p.y, p.x));
  info.textContent = `${r.count} ${t("points")}`;
  if (!pts.length) return;
  L.polyline(pts, { color: "#ffeb3b", weight: 3 }).addTo(replayLayer);
  const marker = L.circleMarker(pts[0], { radius: 8, color: "#000", fillColor: "#ffeb3b", fillOpacity: 1 }).addTo(replayLayer);
  replay = { r, marker };
  const sl = document.getElementById("replay-slider"); sl.max = pts.length - 1; sl.value = 0;
  map.fitBounds(L.latLngBounds(pts).pad(0.3));
  showReplay(0);
};
function showReplay(i) {
  if (!replay) return;
  const p = replay.r.positions[i]; replay.marker.setLatLng(L.latLng(p.y, p.x));
  document.getElementById("replay-info").textContent = `${i + 1}/${replay.r.count} · ${p.t} · ${p.zone || ""}`;
}
document.getElementById("replay-slider").oninput = e => showReplay(Number(e.target.value));

// --- live ---------------------------------------------------------------------------------------
let backoff = 500, refreshTimer = null;
function scheduleRefresh() { if (!refreshTimer) refreshTimer = setTimeout(() => { refreshTimer = null; loadPeople(); loadTrucks(); }, 2000); }
function onMessage(m) {
  state.events++;
  const topic = m.topic, b = m.body;
  if (topic === "position") {
    const key = b.subject.kind + ":" + b.subject.id;
    subjects.update(key, { kind: b.subject.kind, id: b.subject.id, x: b.x, y: b.y, level: b.level, zone: b.zone, t: b.t, alarm: state.alarmSubjects.has(key) });
  } else if (topic === "resync") {
    catchUp();
  } else if (topic.startsWith("violation.")) {
    state.alarms.set(b.id, b); renderAlarms(); scheduleRefresh();
  } else if (topic.startsWith("cleared.")) {
    state.alarms.delete(b.id); renderAlarms();
  } else if (topic.startsWith("alarm.acknowledged") || topic.startsWith("ack")) {
    loadAlarms();
  } else if (topic.startsWith("muster.")) {
    if (topic === "muster.ended") { state.lastReport = b; renderMuster(null); } else loadMuster();
  } else {
    scheduleRefresh();
  }
}
function connect() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/api/live${TOKEN ? "?token=" + encodeURIComponent(TOKEN) : ""}`);
  state.ws = ws;
  const conn = document.getElementById("conn");
  ws.onopen = () => { state.wsUp = true; backoff = 500; conn.className = "conn up"; conn.dataset.i18n = "connected"; conn.textContent = t("connected"); catchUp(); };
  ws.onmessage = e => { try { onMessage(JSON.parse(e.data)); } catch (err) { console.warn(err); } };
  ws.onclose = () => {
    state.wsUp = false; conn.className = "conn down"; conn.dataset.i18n = "reconnecting"; conn.textContent = t("reconnecting");
    setTimeout(connect, state.reconnectDelayMs ?? backoff); backoff = Math.min(backoff * 2, 10000);
  };
}
// After a (re)connection or a resync: state from the API, live updates from then on.
async function catchUp() {
  await Promise.all([loadPositions(), loadAlarms(), loadPeople(), loadMuster(), loadTrucks()]);
}
// Everyone positioned within the offline window: someone lying still sends nothing new.
async function loadPositions() {
  const r = await api("console/positions");
  if (!r.ok) return;
  for (const b of r.positions) onMessage({ topic: "position", body: b });
}

// --- synthetic load: ?synthetic=N moves N markers every frame (frame-time measurement) ------------
function synthetic(n) {
  const b = map.getBounds(), x0 = b.getWest(), y0 = b.getSouth(), w = b.getEast() - x0, h = b.getNorth() - y0;
  for (let i = 0; i < n; i++) subjects.update("person:S" + i, { kind: i % 20 ? "person" : "vehicle", id: "S" + i, x: x0 + Math.random() * w, y: y0 + Math.random() * h, level: 0, t: new Date().toISOString() });
  const step = () => {
    for (const s of subjects.subjects.values()) { s.x += Math.random() * 2 - 1; s.y += Math.random() * 2 - 1; }
    subjects.touch(); requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

// --- start --------------------------------------------------------------------------------------
setInterval(() => {
  document.getElementById("clock").textContent = new Date().toLocaleString(LANG === "zh" ? "zh-CN" : "en-GB", { hour12: false });
  if (state.muster) loadMuster();
}, 1000);
setInterval(() => { if (state.wsUp) { renderAlarms(); loadPeople(); } }, 10000);
// Platforms the alarms are forwarded to (docs/forwarding.md): shown only when one is behind.
async function loadForwarding() {
  const r = await api("forward.status").catch(() => null);
  const behind = ((r && r.destinations) || []).filter(d => d.backlog > 0 && d.oldest_undelivered && Date.now() - Date.parse(d.oldest_undelivered) > 30000);
  const e = document.getElementById("forward-status");
  e.hidden = behind.length === 0;
  e.textContent = behind.map(d => `${t("forwarding")} ${d.id}: ${t("backlog")} ${d.backlog}` + (d.last_error ? ` (${d.last_error.slice(0, 60)})` : "")).join(" · ");
  state.forwarding = r;
}
loadForwarding();
setInterval(loadForwarding, 5000);
document.querySelectorAll("#tabs button").forEach(b => b.onclick = () => {
  document.querySelectorAll("#tabs button").forEach(x => x.classList.toggle("on", x === b));
  document.querySelectorAll(".tab").forEach(x => x.classList.toggle("on", x.id === "tab-" + b.dataset.tab));
});
document.getElementById("lang").onclick = () => { LANG = LANG === "zh" ? "en" : "zh"; localStorage.setItem("cordon.lang", LANG); applyI18n(); loadSite(); renderAlarms(); loadPeople(); renderMuster(state.muster); loadTrucks(); };
if (params.get("lang")) LANG = params.get("lang");
applyI18n();
(async () => {
  await loadSite();
  await loadRegistry();
  connect();
  state.ready = true;
  const n = Number(params.get("synthetic") || 0);
  if (n > 0) synthetic(Math.min(n, 100000));
})().catch(e => { document.getElementById("site-name").textContent = "⚠ " + e.message; });
