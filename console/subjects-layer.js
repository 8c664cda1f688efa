// People and vehicles on one canvas above the map: one pass of fillRect per frame, with the
// site-metre → pixel transform computed once per frame (CRS.Simple is affine), so tens of
// thousands of moving markers stay smooth. Redraws only when something moved or the view did.
const SubjectsLayer = L.Layer.extend({
  initialize() {
    this.subjects = new Map(); // key "person:P1" → {kind,id,x,y,level,t,alarm}
    this.dirty = true;
    this.floor = null;
    this.stats = { frames: 0, totalMs: 0, maxMs: 0, lastMs: 0, drawn: 0 };
  },
  onAdd(map) {
    this._map = map;
    const c = this.canvas = document.createElement("canvas");
    c.className = "subjects";
    c.style.cssText = "position:absolute;left:0;top:0;z-index:450;pointer-events:none";
    map.getContainer().appendChild(c);
    this._resize();
    map.on("move zoom viewreset", this.touch, this);
    map.on("resize", this._resize, this);
    const loop = () => { if (this.dirty) this.draw(); this._raf = requestAnimationFrame(loop); };
    this._raf = requestAnimationFrame(loop);
  },
  onRemove(map) {
    cancelAnimationFrame(this._raf);
    this.canvas.remove();
    map.off("move zoom viewreset", this.touch, this);
    map.off("resize", this._resize, this);
  },
  touch() { this.dirty = true; },
  _resize() {
    const s = this._map.getSize(), r = window.devicePixelRatio || 1;
    this.canvas.width = s.x * r; this.canvas.height = s.y * r;
    this.canvas.style.width = s.x + "px"; this.canvas.style.height = s.y + "px";
    this.ratio = r; this.dirty = true;
  },
  update(key, s) {
    const old = this.subjects.get(key);
    this.subjects.set(key, old ? Object.assign(old, s) : s);
    this.dirty = true;
  },
  transform() {
    // Leaflet rounds container points to whole pixels: measure the scale over 100 km, not 1 m.
    const k = 100000, p0 = this._map.latLngToContainerPoint([0, 0]), p1 = this._map.latLngToContainerPoint([k, k]);
    return { ox: p0.x, oy: p0.y, sx: (p1.x - p0.x) / k, sy: (p1.y - p0.y) / k };
  },
  draw() {
    const start = performance.now();
    this.dirty = false;
    const ctx = this.canvas.getContext("2d"), r = this.ratio;
    ctx.setTransform(r, 0, 0, r, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const { ox, oy, sx, sy } = this.transform();
    const w = this.canvas.width / r, h = this.canvas.height / r;
    const alarmed = [];
    let drawn = 0;
    ctx.fillStyle = "#4fc3f7";
    for (const s of this.subjects.values()) {
      if (this.floor !== null && s.level !== this.floor) continue;
      const px = ox + s.x * sx, py = oy + s.y * sy;
      if (px < -8 || py < -8 || px > w + 8 || py > h + 8) continue;
      if (s.alarm) { alarmed.push(px, py); continue; }
      if (s.kind === "vehicle") continue;
      ctx.fillRect(px - 2, py - 2, 4, 4);
      drawn++;
    }
    ctx.fillStyle = "#ffffff";
    for (const s of this.subjects.values()) {
      if (s.kind !== "vehicle" || s.alarm || (this.floor !== null && s.level !== this.floor)) continue;
      const px = ox + s.x * sx, py = oy + s.y * sy;
      ctx.fillRect(px - 4, py - 3, 8, 6);
      drawn++;
    }
    ctx.fillStyle = "#ff1744"; ctx.strokeStyle = "#ffffff";
    for (let i = 0; i < alarmed.length; i += 2) {
      ctx.beginPath(); ctx.arc(alarmed[i], alarmed[i + 1], 6, 0, 6.3); ctx.fill(); ctx.stroke();
      drawn++;
    }
    const ms = performance.now() - start;
    const st = this.stats;
    st.frames++; st.totalMs += ms; st.lastMs = ms; st.maxMs = Math.max(st.maxMs, ms); st.drawn = drawn;
  },
  // The subject nearest a container point, within `radius` pixels.
  nearest(pt, radius) {
    const { ox, oy, sx, sy } = this.transform();
    let best = null, bd = radius * radius;
    for (const [k, s] of this.subjects) {
      const dx = ox + s.x * sx - pt.x, dy = oy + s.y * sy - pt.y, d = dx * dx + dy * dy;
      if (d < bd) { bd = d; best = k; }
    }
    return best;
  },
});
