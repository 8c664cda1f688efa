#!/usr/bin/env python3
"""render-site.py - draw a Cordon site file (docs/site-file.md) as an SVG map.

Standard library only.

    python3 tools/render-site.py geofences/demo-park.geojson geofences/demo-park.svg
    python3 tools/render-site.py SITE.geojson OUT.svg --scale 0.5 --no-labels

The map is drawn in the site's local metres (x east, y north of `cordon.origin` on the WGS84
ellipsoid's tangent plane, exactly as the protocol defines them), north up, with a scale bar.

  * zones are filled by their risk colour (red, orange, yellow, blue); a zone closed to
    vehicles is hatched, one closed to hazmat vehicles cross-hatched; a zone on an upper floor
    (level >= 1) is drawn as a dashed outline only; a zone with a speed limit shows a small
    speed sign; every zone carries its id (and, where there is room, its name);
  * enterprises are outlined (dashed) and named; the fence is the heavy outline;
  * routes are drawn as their corridor (the line buffered by width_m / 2, shaded) with the
    centre line on top and an arrow at the destination;
  * gates are markers on the fence, coloured by class, labelled with id, name, class and
    anti-passback; parking lots and muster points are labelled; RTLS frames show their u/v axes;
  * a legend and the site's settings sit on the right.

Sites with many zones (a benchmark park) get no zone names and, above --max-labels zones, no
zone ids either.
"""

import argparse
import html
import json
import math
import sys

# --------------------------------------------------------------------------------------
# WGS84 lon/lat -> local ENU metres at the site's origin (docs/site-file.md)
# --------------------------------------------------------------------------------------

WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)


class LocalFrame:
    """Geodetic -> ECEF -> ENU at the origin (height 0 on the ellipsoid)."""

    def __init__(self, lon0, lat0):
        self.o = self.ecef(lon0, lat0)
        self.sla, self.cla = math.sin(math.radians(lat0)), math.cos(math.radians(lat0))
        self.slo, self.clo = math.sin(math.radians(lon0)), math.cos(math.radians(lon0))

    @staticmethod
    def ecef(lon, lat):
        phi, lam = math.radians(lat), math.radians(lon)
        n = WGS84_A / math.sqrt(1 - WGS84_E2 * math.sin(phi) ** 2)
        return n * math.cos(phi) * math.cos(lam), n * math.cos(phi) * math.sin(lam), n * (1 - WGS84_E2) * math.sin(phi)

    def xy(self, lon, lat):
        x, y, z = self.ecef(lon, lat)
        dx, dy, dz = x - self.o[0], y - self.o[1], z - self.o[2]
        return (-self.slo * dx + self.clo * dy,
                -self.sla * self.clo * dx - self.sla * self.slo * dy + self.cla * dz)


# --------------------------------------------------------------------------------------
# Small geometry (local metres; a polygon is [exterior, hole...] without closing points)
# --------------------------------------------------------------------------------------

def point_in_ring(p, ring):
    x, y = p
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
        x1, y1 = x2, y2
    return inside


def seg_dist(p, a, b):
    ex, ey = b[0] - a[0], b[1] - a[1]
    l2 = ex * ex + ey * ey
    k = 0.0 if l2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * ex + (p[1] - a[1]) * ey) / l2))
    return math.hypot(p[0] - a[0] - k * ex, p[1] - a[1] - k * ey)


def ring_area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def polys_area(polys):
    return sum(ring_area(p[0]) - sum(ring_area(h) for h in p[1:]) for p in polys)


def label_point(polys):
    """A point well inside the largest polygon (approximate pole of inaccessibility) and its
    distance to the boundary."""
    poly = max(polys, key=lambda p: polys_area([p]))
    xs, ys = [p[0] for p in poly[0]], [p[1] for p in poly[0]]
    cx, cy, w, h = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, max(xs) - min(xs), max(ys) - min(ys)
    segs = [(r[i - 1], r[i]) for r in poly for i in range(len(r))]
    best, best_d = (cx, cy), -1.0
    centre = (cx, cy)
    for _ in range(3):
        n = 16
        for i in range(n + 1):
            for j in range(n + 1):
                p = (cx - w / 2 + w * i / n, cy - h / 2 + h * j / n)
                if point_in_ring(p, poly[0]) and not any(point_in_ring(p, hole) for hole in poly[1:]):
                    d = min(seg_dist(p, a, b) for a, b in segs)
                    # ties (a rectangle's whole midline) go to the point nearest the centre
                    if d > best_d + 0.05 or (d > best_d - 0.05 and math.dist(p, centre) < math.dist(best, centre)):
                        best, best_d = p, max(d, best_d)
        cx, cy, w, h = best[0], best[1], w / 4, h / 4
    return best, max(best_d, 0.0)


# --------------------------------------------------------------------------------------
# Style
# --------------------------------------------------------------------------------------

RISK = {  # fill, stroke, meaning (the four-colour classification)
    "red": ("#e53935", "#b71c1c", "red: major hazard"),
    "orange": ("#fb8c00", "#e65100", "orange: high risk"),
    "yellow": ("#fdd835", "#c7a500", "yellow: moderate risk"),
    "blue": ("#42a5f5", "#1565c0", "blue: low risk"),
}
NO_RISK = ("#bdbdbd", "#616161", "no risk class")
GATE_COLOUR = {"general": "#1565c0", "hazmat": "#c62828", "staff": "#2e7d32", "emergency": "#ef6c00"}
ROUTE_COLOUR = "#7b1fa2"
FONT = "DejaVu Sans, Helvetica, Arial, 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', sans-serif"


def esc(s):
    return html.escape(str(s), quote=True)


class Svg:
    def __init__(self):
        self.parts = []

    def add(self, s):
        self.parts.append(s)

    def text(self, x, y, s, size=10, anchor="start", weight="normal", fill="#222", halo=True, italic=False, extra=""):
        style = ' font-style="italic"' if italic else ""
        h = ' stroke="#fff" stroke-width="%.1f" stroke-linejoin="round" paint-order="stroke"' % (size / 3.5) if halo else ""
        self.add('<text x="%.1f" y="%.1f" font-size="%.1f" text-anchor="%s" font-weight="%s" fill="%s"%s%s%s>%s</text>'
                 % (x, y, size, anchor, weight, fill, style, h, extra, esc(s)))


class Labels:
    """Greedy label placement: a label moves down (then up) until it overlaps no earlier one."""

    def __init__(self):
        self.boxes = []

    @staticmethod
    def width(s, size):
        # rough advance widths: CJK characters are square, Latin about 0.58 em
        return sum(size if ord(ch) > 0x2e80 else 0.58 * size for ch in s)

    def place(self, x, y, lines, anchor="middle"):
        """lines: [(text, size)]; (x, y) is the centre of the block. Returns the top y."""
        h = sum(size * 1.2 for _, size in lines)
        w = max(self.width(t, size) for t, size in lines)
        x0 = x - w / 2 if anchor == "middle" else (x if anchor == "start" else x - w)
        for k in range(12):
            dy = (k + 1) // 2 * (h * 0.55) * (1 if k % 2 else -1) if k else 0.0
            top = y - h / 2 + dy
            box = (x0 - 1, top, x0 + w + 1, top + h)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in self.boxes):
                break
        self.boxes.append(box)
        return top


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------

def render(doc, scale=None, max_labels=200, labels=True):
    cordon = doc.get("cordon") or {}
    origin = cordon.get("origin")
    feats = doc.get("features") or []
    if not origin:                                   # no origin: use the site's first vertex
        for f in feats:
            if (f.get("properties") or {}).get("kind") == "site":
                origin = f["geometry"]["coordinates"][0][0]
        origin = origin or [0.0, 0.0]
    frame = LocalFrame(*origin)

    def polys_of(geom):
        raw = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        return [[[frame.xy(*p) for p in ring[:-1]] for ring in poly] for poly in raw]

    items = []
    for f in feats:
        props, geom = f.get("properties") or {}, f.get("geometry") or {}
        it = {"p": props, "kind": props.get("kind"), "id": props.get("id", "?")}
        t = geom.get("type")
        if t in ("Polygon", "MultiPolygon"):
            it["polys"] = polys_of(geom)
        elif t == "Point":
            it["pt"] = frame.xy(*geom["coordinates"])
        elif t == "LineString":
            it["line"] = [frame.xy(*p) for p in geom["coordinates"]]
        else:
            continue
        items.append(it)
    by = lambda kind: [i for i in items if i["kind"] == kind]
    sites = by("site")
    allpts = [p for i in items for poly in i.get("polys", []) for p in poly[0]] + \
             [i["pt"] for i in items if "pt" in i] + [p for i in items for p in i.get("line", [])]
    if not allpts:
        sys.exit("render-site: nothing to draw")
    minx, maxx = min(p[0] for p in allpts), max(p[0] for p in allpts)
    miny, maxy = min(p[1] for p in allpts), max(p[1] for p in allpts)
    if scale is None:
        scale = min(1300.0 / (maxx - minx), 950.0 / (maxy - miny))
    s = scale
    margin_l, margin_t, margin_r, margin_b = 160.0, 105.0, 175.0, 90.0
    legend_w = 300.0
    map_w, map_h = (maxx - minx) * s, (maxy - miny) * s
    W = margin_l + map_w + margin_r + legend_w
    H = max(margin_t + map_h + margin_b, 760.0)

    def X(x):
        return margin_l + (x - minx) * s

    def Y(y):
        return margin_t + (maxy - y) * s

    def path_d(polys):
        out = []
        for poly in polys:
            for ring in poly:
                out.append("M" + " L".join("%.1f,%.1f" % (X(x), Y(y)) for x, y in ring) + " Z")
        return " ".join(out)

    def line_d(line):
        return "M" + " L".join("%.1f,%.1f" % (X(x), Y(y)) for x, y in line)

    svg = Svg()
    lab = Labels()
    svg.add('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="%s">'
            % (W, H, W, H, esc(FONT)))
    svg.add('<defs>'
            '<pattern id="hatch" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<line x1="0" y1="0" x2="0" y2="7" stroke="#000" stroke-opacity="0.35" stroke-width="1.3"/></pattern>'
            '<pattern id="xhatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
            '<path d="M0,0 V8 M0,0 H8" stroke="#000" stroke-opacity="0.3" stroke-width="1"/></pattern>'
            '<marker id="arrow" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" markerHeight="4" orient="auto">'
            '<path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker>'
            '</defs>' % ROUTE_COLOUR)
    svg.add('<rect width="100%" height="100%" fill="#ffffff"/>')

    # ---- title
    site_p = sites[0]["p"] if sites else {}
    title = "%s" % (cordon.get("site") or site_p.get("id", "site"))
    if site_p.get("name"):
        title += " \u2014 " + site_p["name"]
    if site_p.get("name_zh"):
        title += "  " + site_p["name_zh"]
    svg.text(margin_l, 36, title, size=22, weight="bold", halo=False)
    sub = "origin %.4f\u00b0E %.4f\u00b0N" % (origin[0], origin[1])
    if cordon.get("timezone"):
        sub += " \u00b7 %s" % cordon["timezone"]
    sub += " \u00b7 local ENU metres, north up \u00b7 %d features" % len(feats)
    svg.text(margin_l, 58, sub, size=12, fill="#555", halo=False)

    # ---- fence and enterprises
    for site in sites:
        svg.add('<path d="%s" fill="#f1efe8" stroke="#37474f" stroke-width="3.5" stroke-linejoin="round"/>' % path_d(site["polys"]))
        svg.add('<path d="%s" fill="none" stroke="#fff" stroke-width="1.2" stroke-dasharray="2 6"/>' % path_d(site["polys"]))
    for e in by("enterprise"):
        svg.add('<path d="%s" fill="#fbfaf6" stroke="#455a64" stroke-width="1.8" stroke-dasharray="10 5"/>' % path_d(e["polys"]))

    # ---- zones, largest first so small ones stay visible
    zones = sorted(by("zone"), key=lambda z: -polys_area(z["polys"]))
    upper = []
    for z in zones:
        p = z["p"]
        fill, stroke, _ = RISK.get(p.get("risk"), NO_RISK)
        d = path_d(z["polys"])
        if isinstance(p.get("level"), int) and p["level"] >= 1:
            upper.append(z)
            continue
        big = polys_area(z["polys"]) > 0.05 * (maxx - minx) * (maxy - miny)
        op = 0.16 if big else (0.42 if p.get("risk") in ("red", "orange") else 0.38)
        svg.add('<path d="%s" fill="%s" fill-opacity="%.2f" fill-rule="evenodd" stroke="%s" stroke-width="%.1f"/>'
                % (d, fill, op, stroke, 1.0 if big else 1.4))
        if p.get("vehicles") == "forbidden":
            svg.add('<path d="%s" fill="url(#hatch)" fill-rule="evenodd" stroke="none"/>' % d)
        elif p.get("vehicles") == "hazmat-forbidden":
            svg.add('<path d="%s" fill="url(#xhatch)" fill-rule="evenodd" stroke="none"/>' % d)
        if p.get("access") == "forbidden":
            svg.add('<path d="%s" fill="none" stroke="%s" stroke-width="3" stroke-dasharray="1 3"/>' % (d, stroke))
    for z in upper:
        _, stroke, _ = RISK.get(z["p"].get("risk"), NO_RISK)
        svg.add('<path d="%s" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="5 3"/>' % (path_d(z["polys"]), stroke))

    # ---- parking and muster points
    for pk in by("parking"):
        svg.add('<path d="%s" fill="#90a4ae" fill-opacity="0.45" stroke="#455a64" stroke-width="1.4"/>' % path_d(pk["polys"]))
    for m in by("muster"):
        svg.add('<path d="%s" fill="#43a047" fill-opacity="0.55" stroke="#1b5e20" stroke-width="1.6"/>' % path_d(m["polys"]))

    # ---- routes: corridor (a round-capped stroke as wide as the corridor is exactly the buffer)
    routes = by("route")
    for r in routes:
        w = float(r["p"].get("width_m", 0) or 0)
        if w > 0:
            svg.add('<path d="%s" fill="none" stroke="%s" stroke-opacity="0.16" stroke-width="%.1f" '
                    'stroke-linejoin="round" stroke-linecap="round"/>' % (line_d(r["line"]), ROUTE_COLOUR, w * s))
    for r in routes:
        svg.add('<path d="%s" fill="none" stroke="%s" stroke-width="2.6" stroke-linejoin="round" '
                'marker-end="url(#arrow)"/>' % (line_d(r["line"]), ROUTE_COLOUR))

    # ---- RTLS frames: u (east of the frame) and v axes, 40 m long
    for name, fr in (cordon.get("frames") or {}).items():
        ox, oy = fr.get("offset_m", [0, 0])
        a = math.radians(fr.get("rotation_deg", 0))
        L = 40.0
        for (ux, uy), col, t in (((math.cos(a), math.sin(a)), "#d81b60", "u"), ((-math.sin(a), math.cos(a)), "#00897b", "v")):
            svg.add('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2"/>'
                    % (X(ox), Y(oy), X(ox + L * ux), Y(oy + L * uy), col))
            svg.text(X(ox + (L + 6) * ux) - 3, Y(oy + (L + 6) * uy) + 4, t, size=9, fill=col, weight="bold")
        svg.add('<circle cx="%.1f" cy="%.1f" r="2.5" fill="#000"/>' % (X(ox), Y(oy)))
        lab_top = lab.place(X(ox), Y(oy) + 13, [(name, 8.5)])
        svg.text(X(ox), lab_top + 8.5, name, size=8.5, anchor="middle", fill="#880e4f", italic=True)

    # ---- labels: enterprises, zones, parking, muster, routes, gates
    for e in by("enterprise"):
        ring = e["polys"][0][0]
        top = max(p[1] for p in ring)
        xs = [p[0] for p in ring if abs(p[1] - top) < 0.5] or [p[0] for p in ring]   # the top edge
        cx = (min(xs) + max(xs)) / 2
        name = "%s  %s" % (e["id"], e["p"].get("name", ""))
        if e["p"].get("name_zh"):
            name += "  " + e["p"]["name_zh"]
        # just above the enterprise's top edge (between it and the fence, or in the road)
        y0 = lab.place(X(cx), Y(top) - 10, [(name, 13)]) + 13
        svg.text(X(cx), y0, name, size=13, anchor="middle", weight="bold", fill="#263238")

    many = len(zones) > max_labels
    if labels and not many:
        for z in zones:
            (px, py), clear = label_point(z["polys"])
            p = z["p"]
            bx0, by0, bx1, by1 = (min(q[0] for poly in z["polys"] for q in poly[0]), min(q[1] for poly in z["polys"] for q in poly[0]),
                                  max(q[0] for poly in z["polys"] for q in poly[0]), max(q[1] for poly in z["polys"] for q in poly[0]))
            room_h = 2 * clear * s                          # the label's room in px: height ...
            room_w = (bx1 - bx0) * s                        # ... and (about) width
            zid = p.get("id", "?")
            size = 9.0 if Labels.width(zid, 9.0) <= room_w - 4 else 8.0
            lines = [(zid, size)]
            name = p.get("name")
            if name and len(zones) <= 60 and room_h >= 28 and Labels.width(name, 7.5) <= room_w - 6:
                lines.append((name, 7.5))
            if isinstance(p.get("level"), int) and p["level"] >= 1:
                lines = [("%s (level %d)" % (zid, p["level"]), size)]
            top = lab.place(X(px), Y(py), lines)
            # the other parts of a MultiPolygon carry the id alone
            parts = sorted(z["polys"], key=lambda q: -polys_area([q]))[1:]
            for part in parts:
                (qx, qy), _ = label_point([part])
                t2 = lab.place(X(qx), Y(qy), [(zid, size)])
                svg.text(X(qx), t2 + size * 0.95, zid, size=size, anchor="middle", weight="bold", fill="#1a1a1a")
            y = top
            for k, (t, sz) in enumerate(lines):
                y += sz * 1.2
                svg.text(X(px), y - sz * 0.25, t, size=sz, anchor="middle", weight="bold" if k == 0 else "normal",
                         fill="#1a1a1a" if k == 0 else "#333")
            if p.get("speed_limit_kmh"):
                # a speed sign just right of the label
                w = max(Labels.width(t, sz) for t, sz in lines)
                if polys_area(z["polys"]) > 0.05 * (maxx - minx) * (maxy - miny):
                    # a large (road) zone: the sign beside the label
                    cx, cy = X(px) + w / 2 + 12, Y(py)
                else:
                    # in the zone's top right-hand corner
                    cx, cy = X(bx1) - 11, Y(by1) + 11
                svg.add('<circle cx="%.1f" cy="%.1f" r="8.5" fill="#fff" stroke="#d32f2f" stroke-width="2.2"/>' % (cx, cy))
                svg.text(cx, cy + 3.2, str(p["speed_limit_kmh"]), size=8.5, anchor="middle", weight="bold", halo=False)
    for pk in by("parking"):
        (px, py), _ = label_point(pk["polys"])
        lines = [(pk["id"], 10), ("%s spaces" % pk["p"].get("capacity", "?"), 8)]
        top = lab.place(X(px), Y(py), lines)
        svg.text(X(px), top + 10, lines[0][0], size=10, anchor="middle", weight="bold", fill="#263238")
        svg.text(X(px), top + 20, lines[1][0], size=8, anchor="middle", fill="#263238")
    for m in by("muster"):
        (px, py), _ = label_point(m["polys"])
        top = lab.place(X(px), Y(py), [(m["id"], 11)])
        svg.text(X(px), top + 11, m["id"], size=11, anchor="middle", weight="bold", fill="#fff", halo=False)
        if m["p"].get("name"):                            # the name under the muster area
            bottom = min(q[1] for poly in m["polys"] for q in poly[0])
            t2 = lab.place(X(px), Y(bottom) + 8, [(m["p"]["name"], 8)])
            svg.text(X(px), t2 + 8, m["p"]["name"], size=8, anchor="middle", fill="#1b5e20")
    for r in routes:
        # at the route's last turn, on the side away from its last leg (where the line is not)
        line = r["line"]
        (x1, y1), (x2, y2) = line[-2], line[-1]
        L = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / L, -(y2 - y1) / L            # last leg's direction in pixels
        txt = "%s \u2192 %s" % (r["id"], r["p"].get("to", "")) if r["p"].get("to") else r["id"]
        tw = Labels.width(txt, 10)
        lx, ly = X(x1) - ux * (tw / 2 + 10), Y(y1) - uy * 14 + 3
        top = lab.place(lx, ly, [(txt, 10)], anchor="middle")
        svg.text(lx, top + 10, txt, size=10, anchor="middle", weight="bold", fill=ROUTE_COLOUR)

    fence = sites[0]["polys"][0][0] if sites else None
    for g in by("gate"):
        gx, gy = g["pt"]
        p = g["p"]
        col = GATE_COLOUR.get(p.get("class"), "#424242")
        # outward normal of the nearest fence edge
        nx, ny = 0.0, 1.0
        if fence:
            best = None
            ccw = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(fence, fence[1:] + fence[:1])) > 0
            for a, b in zip(fence, fence[1:] + fence[:1]):
                d = seg_dist((gx, gy), a, b)
                if best is None or d < best[0]:
                    L = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
                    n = ((b[1] - a[1]) / L, -(b[0] - a[0]) / L)
                    best = (d, n if ccw else (-n[0], -n[1]))
            nx, ny = best[1]
        cx, cy = X(gx), Y(gy)
        svg.add('<rect x="%.1f" y="%.1f" width="14" height="14" transform="rotate(45 %.1f %.1f)" fill="%s" '
                'stroke="#fff" stroke-width="1.5"/>' % (cx - 7, cy - 7, cx, cy, col))
        line1 = "%s %s" % (g["id"], p.get("name", ""))
        line2 = "%s \u00b7 anti-passback %s" % (p.get("class", "?"), p.get("anti_passback", "off"))
        if abs(nx) > abs(ny):
            anchor = "start" if nx > 0 else "end"
            lx, ly = cx + nx * 16, cy - 4
        else:
            anchor = "middle"
            lx, ly = cx, cy - ny * 22 - (0 if ny > 0 else -8)
        svg.text(lx, ly, line1, size=11, anchor=anchor, weight="bold", fill=col)
        svg.text(lx, ly + 12, line2, size=9, anchor=anchor, fill="#333")

    # ---- scale bar and north arrow
    nice = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000]
    span = next((n for n in nice if n * s >= 180), nice[-1])
    bx, by_ = margin_l, margin_t + map_h + 48
    for k in range(4):
        svg.add('<rect x="%.1f" y="%.1f" width="%.1f" height="7" fill="%s" stroke="#222" stroke-width="1"/>'
                % (bx + k * span * s / 4, by_, span * s / 4, "#222" if k % 2 == 0 else "#fff"))
    for k, v in ((0, 0), (2, span / 2), (4, span)):
        svg.text(bx + k * span * s / 4, by_ - 4, "%g" % v, size=10, anchor="middle", halo=False)
    svg.text(bx + span * s + 8, by_ + 7, "m", size=10, halo=False)
    nx_, ny_ = margin_l + map_w + 40, margin_t + 10
    svg.add('<path d="M%.1f,%.1f l9,26 l-9,-7 l-9,7 z" fill="#222"/>' % (nx_, ny_))
    svg.text(nx_, ny_ + 42, "N", size=14, anchor="middle", weight="bold", halo=False)

    # ---- legend
    lx = margin_l + map_w + margin_r
    ly = margin_t
    svg.add('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fafafa" stroke="#ccc"/>'
            % (lx - 12, ly - 22, legend_w - 10, H - margin_t - 30))
    svg.text(lx, ly, "Legend", size=14, weight="bold", halo=False)
    y = ly + 14

    def swatch(y, draw, label, sub=None):
        svg.add(draw(lx, y))
        svg.text(lx + 40, y + 11, label, size=11, halo=False)
        if sub:
            svg.text(lx + 40, y + 23, sub, size=9, fill="#666", halo=False)
        return y + (30 if sub else 22)

    counts = {}
    for z in zones:
        counts[z["p"].get("risk")] = counts.get(z["p"].get("risk"), 0) + 1
    for risk in ("red", "orange", "yellow", "blue"):
        fill, stroke, meaning = RISK[risk]
        y = swatch(y, lambda x, y, f=fill, st=stroke: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="%s" fill-opacity="0.45" stroke="%s" stroke-width="1.4"/>' % (x, y, f, st),
                   "zone, %s (%d)" % (meaning, counts.get(risk, 0)))
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="url(#hatch)" stroke="#555"/>' % (x, y),
               "closed to vehicles")
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="url(#xhatch)" stroke="#555"/>' % (x, y),
               "closed to hazmat vehicles")
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="none" stroke="#b71c1c" stroke-width="3" stroke-dasharray="1 3"/>' % (x, y),
               "access forbidden")
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="none" stroke="#1565c0" stroke-width="2" stroke-dasharray="5 3"/>' % (x, y),
               "zone on an upper floor (level \u2265 1)")
    y = swatch(y, lambda x, y: '<circle cx="%.1f" cy="%.1f" r="8.5" fill="#fff" stroke="#d32f2f" stroke-width="2.2"/>'
               '<text x="%.1f" y="%.1f" font-size="8.5" text-anchor="middle" font-weight="bold">30</text>' % (x + 15, y + 7, x + 15, y + 10),
               "speed limit, km/h")
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="#fbfaf6" stroke="#455a64" stroke-width="1.8" stroke-dasharray="10 5"/>' % (x, y),
               "enterprise")
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="#f1efe8" stroke="#37474f" stroke-width="3.5"/>' % (x, y),
               "site fence")
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="#90a4ae" fill-opacity="0.45" stroke="#455a64" stroke-width="1.4"/>' % (x, y),
               "parking lot (capacity)")
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="#43a047" fill-opacity="0.55" stroke="#1b5e20" stroke-width="1.6"/>' % (x, y),
               "muster point")
    y = swatch(y, lambda x, y: '<rect x="%.1f" y="%.1f" width="30" height="14" fill="%s" fill-opacity="0.16"/>'
               '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="2.6"/>' % (x, y, ROUTE_COLOUR, x, y + 7, x + 30, y + 7, ROUTE_COLOUR),
               "route and its corridor (width_m)")
    for cls in ("general", "hazmat", "staff", "emergency"):
        y = swatch(y, lambda x, y, c=GATE_COLOUR[cls]: '<rect x="%.1f" y="%.1f" width="12" height="12" transform="rotate(45 %.1f %.1f)" fill="%s"/>'
                   % (x + 9, y + 1, x + 15, y + 7, c), "gate, %s" % cls)
    if cordon.get("frames"):
        y = swatch(y, lambda x, y: '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#d81b60" stroke-width="2"/>'
                   '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#00897b" stroke-width="2"/>'
                   % (x + 4, y + 12, x + 28, y + 12, x + 4, y + 12, x + 4, y - 4), "RTLS frame (u, v axes)")

    # site settings
    y += 10
    svg.text(lx, y, "Site settings", size=13, weight="bold", halo=False)
    y += 16
    defaults = cordon.get("defaults") or {}
    kinds = {}
    for i in items:
        kinds[i["kind"]] = kinds.get(i["kind"], 0) + 1
    facts = [", ".join("%d %s" % (kinds.get(k, 0), k + ("s" if kinds.get(k, 0) != 1 else ""))
                       for k in ("enterprise", "zone", "gate")),
             ", ".join("%d %s" % (kinds.get(k, 0), k) for k in ("route", "parking", "muster"))]
    if cordon.get("frames"):
        facts.append("frames: " + ", ".join(cordon["frames"]))
    for k, v in defaults.items():
        facts.append("%s %s" % (k, v))
    for t in facts:
        if y > H - 20:
            break
        svg.text(lx, y, t, size=9.5, fill="#333", halo=False)
        y += 13
    svg.add("</svg>")
    return "\n".join(svg.parts) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", help="Cordon site file (GeoJSON)")
    ap.add_argument("out", help="SVG to write")
    ap.add_argument("--scale", type=float, default=None, help="pixels per metre (default: fit about 1300 x 950 px)")
    ap.add_argument("--max-labels", type=int, default=200, help="no zone labels above this many zones")
    ap.add_argument("--no-labels", action="store_true", help="no zone labels at all")
    args = ap.parse_args()
    with open(args.site, encoding="utf-8") as f:
        doc = json.load(f)
    text = render(doc, scale=args.scale, max_labels=args.max_labels, labels=not args.no_labels)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print("wrote %s (%d bytes)" % (args.out, len(text.encode("utf-8"))))


if __name__ == "__main__":
    main()
