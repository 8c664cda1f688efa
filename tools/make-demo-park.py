#!/usr/bin/env python3
"""make-demo-park.py - generate (and check) Cordon's demo site, "demo-park".

Standard library only, deterministic: the same script always writes the same bytes.

    python3 tools/make-demo-park.py            # write geofences/demo-park.geojson and
                                               # tools/demo-park-layout.json, print a summary
    python3 tools/make-demo-park.py --check    # check the written files; exit 1 listing problems
    python3 tools/make-demo-park.py --check --site OTHER.geojson   # the geometric invariants on
                                               # any site file (add --demo for the demo's expectations)

What it makes
-------------
A believable closed chemical park of about 2 km x 1.5 km around origin [118.7300, 37.4500]
(Dongying, Shandong; Asia/Shanghai), drawn in local metres and written as a Cordon site file
(docs/site-file.md):

                 G3 staff gate
    +-----------------+--+-----------------+      E01 Haihua Petrochemical (refinery): crude and
   /  E01 refinery    |B |  E02 fine chem   \         product tank farms, CDU, FCC, flare, control
   |  tanks  tanks    |  |  M2 office tanks |         building with a UWB system (frame
   |  CDU  FCC flare  |  |  reactors  stores|         "uwb-e01-control"), offices, canteen
   |  CCR office  load|  |load              |     E02 Lubei Fine Chemicals: batch reactors,
 G2 ====== road A ====+==+================ G4         hydrogenation, solvent tanks, warehouses
   |  P-HAZ  fire     |  |  E03 chlor-alkali|     E03 Donggang Chlor-Alkali: cell house, HCl
   |  substation  M1  |  |load  cells tanks|         unit, caustic/acid tanks (MultiPolygon),
   |  wastewater      |  |  M3    chlorine  |         liquid chlorine store (forbidden)
    \ admin P-STAFF   |  |                  |     park area (south-west): hazmat lot, fire
     +----------------+--+------------------+         station, substation, wastewater plant
                    G1 main gate                  routes R1, R2: G2 -> road A (-> road B) -> the
                                                      loading bays of E01 and E03

Roads: road A runs west-east at y = -100 (G2 to G4), road B south-north at x = 100 (G1 to G3);
both are 60 m wide bands between the enterprise fences, and the zone Z-ROAD-MAIN covers them.

Local frame, exactly as docs/site-file.md: x metres east and y metres north of the origin
on the tangent plane of the WGS84 ellipsoid (geodetic -> ECEF -> ENU at the origin); the
inverse (local -> lon/lat, on the ellipsoid surface) is solved by Newton iterations. The file
keeps 7 decimals of degrees (about 1 cm).

File format choices (all within RFC 7946 and docs/site-file.md):
  * one feature per line, so that a diff shows which feature changed;
  * exterior rings counter-clockwise, holes clockwise; "%.7f" degrees;
  * extra properties that Cordon ignores: `name_zh` (Chinese names) and `enterprise` on zones
    (the enterprise a zone belongs to; handy for muster scopes and for people reading the file);
  * the site-wide speed limit is `cordon.defaults.speed_limit_kmh` (40); zones and routes may
    set lower ones.

tools/demo-park-layout.json is the same park for the traffic simulator, in local metres: per
enterprise the zones with a point well inside each, walking paths (from the enterprise's
entrance to every zone, avoiding every zone one needs a permit for, except where the target lies
inside one), the gates, routes, parking lots and muster points. See its "notes" member.

--check reads the written files back (lon/lat -> local metres) and checks, with pure Python
geometry: the cordon member; kinds, ids and properties; ring closure, orientation, simplicity
(no self-intersection), holes and MultiPolygon parts; everything inside the fence; gates on
the fence; zones inside their enterprise; no two areas overlapping (except zones on different
floors); routes starting at their gate, running along the road zone and ending in the
destination's loading bay, with their corridor clear of every zone closed to vehicles or to
hazmat vehicles; muster points at least 150 m from every red zone; the demo's expected
features; that the layout file's paths avoid the zones they should; and that the GeoJSON, the
layout and the picture (geofences/demo-park.svg, by tools/render-site.py) are what the scripts
generate now (not stale).
"""

import argparse
import heapq
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SITE_PATH = os.path.join(REPO, "geofences", "demo-park.geojson")
LAYOUT_PATH = os.path.join(HERE, "demo-park-layout.json")

# --------------------------------------------------------------------------------------
# The local frame: WGS84 geodetic <-> local ENU metres at the origin (docs/site-file.md)
# --------------------------------------------------------------------------------------

ORIGIN_LON, ORIGIN_LAT = 118.7300, 37.4500
WGS84_A = 6378137.0                      # semi-major axis, metres
WGS84_F = 1 / 298.257223563              # flattening
WGS84_E2 = WGS84_F * (2 - WGS84_F)       # first eccentricity squared


def geodetic_to_ecef(lon, lat, h=0.0):
    """WGS84 longitude, latitude (degrees), height (m) -> ECEF metres."""
    phi, lam = math.radians(lat), math.radians(lon)
    n = WGS84_A / math.sqrt(1 - WGS84_E2 * math.sin(phi) ** 2)     # prime vertical radius
    return ((n + h) * math.cos(phi) * math.cos(lam),
            (n + h) * math.cos(phi) * math.sin(lam),
            (n * (1 - WGS84_E2) + h) * math.sin(phi))


_ORIGIN_ECEF = geodetic_to_ecef(ORIGIN_LON, ORIGIN_LAT)
_SIN_LAT, _COS_LAT = math.sin(math.radians(ORIGIN_LAT)), math.cos(math.radians(ORIGIN_LAT))
_SIN_LON, _COS_LON = math.sin(math.radians(ORIGIN_LON)), math.cos(math.radians(ORIGIN_LON))
# metres per degree of longitude and latitude at the origin: the Newton step's derivative
_M_PER_DEG_LON = math.radians(1) * WGS84_A / math.sqrt(1 - WGS84_E2 * _SIN_LAT ** 2) * _COS_LAT
_M_PER_DEG_LAT = math.radians(1) * WGS84_A * (1 - WGS84_E2) / (1 - WGS84_E2 * _SIN_LAT ** 2) ** 1.5


def to_xy(lon, lat):
    """WGS84 lon/lat (on the ellipsoid) -> local (east, north) metres of the ENU frame at the origin."""
    x, y, z = geodetic_to_ecef(lon, lat)
    dx, dy, dz = x - _ORIGIN_ECEF[0], y - _ORIGIN_ECEF[1], z - _ORIGIN_ECEF[2]
    east = -_SIN_LON * dx + _COS_LON * dy
    north = -_SIN_LAT * _COS_LON * dx - _SIN_LAT * _SIN_LON * dy + _COS_LAT * dz
    return east, north


def enu_at(lon0, lat0):
    """to_xy for another origin (for --check on other sites' files)."""
    o = geodetic_to_ecef(lon0, lat0)
    sla, cla = math.sin(math.radians(lat0)), math.cos(math.radians(lat0))
    slo, clo = math.sin(math.radians(lon0)), math.cos(math.radians(lon0))

    def xy(lon, lat):
        x, y, z = geodetic_to_ecef(lon, lat)
        dx, dy, dz = x - o[0], y - o[1], z - o[2]
        return -slo * dx + clo * dy, -sla * clo * dx - sla * slo * dy + cla * dz
    return xy


def to_lonlat(x, y):
    """Inverse of to_xy: the point of the ellipsoid surface whose ENU east/north are (x, y).
    Newton iterations with the metres-per-degree at the origin as the (constant) Jacobian;
    within a few km of the origin this converges to far below a millimetre."""
    lon, lat = ORIGIN_LON + x / _M_PER_DEG_LON, ORIGIN_LAT + y / _M_PER_DEG_LAT
    for _ in range(8):
        e, n = to_xy(lon, lat)
        if abs(x - e) < 1e-9 and abs(y - n) < 1e-9:
            break
        lon += (x - e) / _M_PER_DEG_LON
        lat += (y - n) / _M_PER_DEG_LAT
    return lon, lat


# --------------------------------------------------------------------------------------
# Plane geometry in local metres (rings are lists of (x, y) without the closing point;
# a polygon is [exterior, hole, hole, ...]; an area is a list of polygons)
# --------------------------------------------------------------------------------------

def cross(ax, ay, bx, by, cx, cy):
    """z of (b - a) x (c - a): > 0 when a, b, c turn left (counter-clockwise)."""
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)


def signed_area(ring):
    """Shoelace area: positive for a counter-clockwise ring."""
    s = 0.0
    for i in range(len(ring)):
        (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % len(ring)]
        s += x1 * y2 - x2 * y1
    return s / 2


def area(polys):
    return sum(abs(signed_area(p[0])) - sum(abs(signed_area(h)) for h in p[1:]) for p in polys)


def edges(ring):
    for i in range(len(ring)):
        yield ring[i], ring[(i + 1) % len(ring)]


def on_segment(p, a, b, eps=1e-9):
    """p lies on the closed segment a-b (collinear within eps)."""
    if abs(cross(a[0], a[1], b[0], b[1], p[0], p[1])) > eps * max(1.0, math.dist(a, b)):
        return False
    return (min(a[0], b[0]) - eps <= p[0] <= max(a[0], b[0]) + eps and
            min(a[1], b[1]) - eps <= p[1] <= max(a[1], b[1]) + eps)


def segments_intersect(a, b, c, d):
    """Closed segments a-b and c-d share at least one point (touching counts)."""
    d1 = cross(c[0], c[1], d[0], d[1], a[0], a[1])
    d2 = cross(c[0], c[1], d[0], d[1], b[0], b[1])
    d3 = cross(a[0], a[1], b[0], b[1], c[0], c[1])
    d4 = cross(a[0], a[1], b[0], b[1], d[0], d[1])
    if ((d1 > 0 and d2 < 0) or (d1 < 0 and d2 > 0)) and ((d3 > 0 and d4 < 0) or (d3 < 0 and d4 > 0)):
        return True
    return on_segment(a, c, d) or on_segment(b, c, d) or on_segment(c, a, b) or on_segment(d, a, b)


def segments_cross(a, b, c, d):
    """The segments cross properly: one point, interior to both, not collinear."""
    d1 = cross(c[0], c[1], d[0], d[1], a[0], a[1])
    d2 = cross(c[0], c[1], d[0], d[1], b[0], b[1])
    d3 = cross(a[0], a[1], b[0], b[1], c[0], c[1])
    d4 = cross(a[0], a[1], b[0], b[1], d[0], d[1])
    return d1 * d2 < 0 and d3 * d4 < 0


def crossing_param(a, b, c, d):
    """Parameter t along a-b where the line c-d meets it, or None when parallel."""
    den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0])
    if den == 0:
        return None
    return ((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den


def point_segment_distance(p, a, b):
    ex, ey = b[0] - a[0], b[1] - a[1]
    l2 = ex * ex + ey * ey
    k = 0.0 if l2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * ex + (p[1] - a[1]) * ey) / l2))
    return math.hypot(p[0] - (a[0] + k * ex), p[1] - (a[1] + k * ey))


def segment_segment_distance(a, b, c, d):
    if segments_intersect(a, b, c, d):
        return 0.0
    return min(point_segment_distance(a, c, d), point_segment_distance(b, c, d),
               point_segment_distance(c, a, b), point_segment_distance(d, a, b))


def point_in_ring(p, ring):
    """Even-odd ray casting (a point exactly on the boundary may go either way)."""
    x, y = p
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
        x1, y1 = x2, y2
    return inside


def point_in_polygon(p, poly):
    return point_in_ring(p, poly[0]) and not any(point_in_ring(p, h) for h in poly[1:])


def point_in_area(p, polys):
    return any(point_in_polygon(p, poly) for poly in polys)


def boundary_distance(p, polys):
    return min(point_segment_distance(p, a, b) for poly in polys for ring in poly for a, b in edges(ring))


def bbox(points):
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def area_bbox(polys):
    return bbox([p for poly in polys for p in poly[0]])


def interior_point(polys):
    """A point well inside an area (an approximate pole of inaccessibility): the point of the
    largest polygon farthest from every boundary, by a grid search refined three times.
    Returns ((x, y), clearance in metres)."""
    poly = max(polys, key=lambda p: area([p]))
    x0, y0, x1, y1 = bbox(poly[0])
    best, best_d = None, -1.0
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    centre = (cx, cy)
    for _ in range(4):
        n = 24
        for i in range(n + 1):
            for j in range(n + 1):
                p = (cx - w / 2 + w * i / n, cy - h / 2 + h * j / n)
                if point_in_polygon(p, poly):
                    d = boundary_distance(p, [poly])
                    # ties (a rectangle's whole midline) go to the point nearest the bounding box's centre
                    if best is None or d > best_d + 0.05 or (d > best_d - 0.05 and math.dist(p, centre) < math.dist(best, centre)):
                        best, best_d = p, max(d, best_d)
        cx, cy, w, h = best[0], best[1], w / 4, h / 4
    best = (round(best[0], 1), round(best[1], 1))
    return best, boundary_distance(best, [poly])


def ring_is_simple(ring):
    """No repeated consecutive points, no spikes, no two non-adjacent edges touching."""
    n = len(ring)
    if n < 3:
        return False
    segs = list(edges(ring))
    for i, (a, b) in enumerate(segs):
        if a == b:
            return False
        c = segs[(i + 1) % n][1]           # spike: the next edge folds back over this one
        if cross(a[0], a[1], b[0], b[1], c[0], c[1]) == 0 and (c[0] - b[0]) * (a[0] - b[0]) + (c[1] - b[1]) * (a[1] - b[1]) > 0:
            return False
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:      # the last edge is adjacent to the first
                continue
            if segments_intersect(a, b, *segs[j]):
                return False
    return True


def rings_touch(r1, r2):
    return any(segments_intersect(a, b, c, d) for a, b in edges(r1) for c, d in edges(r2))


def areas_overlap(pa, pb, eps=0.1):
    """The interiors of two areas share some region (touching along edges or at points does not
    count). Complete up to eps: every edge of either area is cut at each event (its vertices,
    crossings with the other area's edges) and the midpoint of every piece, offset by eps to
    both sides, is tested for lying inside both areas. Any region common to both has such a
    piece on its boundary."""
    ba, bb = area_bbox(pa), area_bbox(pb)
    if ba[2] < bb[0] or bb[2] < ba[0] or ba[3] < bb[1] or bb[3] < ba[1]:
        return False
    for first, second in ((pa, pb), (pb, pa)):
        other = [seg for poly in second for ring in poly for seg in edges(ring)]
        for poly in first:
            for ring in poly:
                for a, b in edges(ring):
                    ts = [0.0, 1.0]
                    for c, d in other:
                        t = crossing_param(a, b, c, d)
                        if t is not None and 0 < t < 1:
                            ts.append(t)
                        for q in (c, d):               # the other's vertices lying on this edge
                            if on_segment(q, a, b, 1e-6):
                                L2 = (b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2
                                ts.append(((q[0] - a[0]) * (b[0] - a[0]) + (q[1] - a[1]) * (b[1] - a[1])) / L2)
                    ts.sort()
                    L = math.dist(a, b)
                    nx, ny = -(b[1] - a[1]) / L, (b[0] - a[0]) / L
                    for t0, t1 in zip(ts, ts[1:]):
                        if t1 - t0 < 1e-9:
                            continue
                        t = (t0 + t1) / 2
                        mx, my = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
                        for s in (eps, -eps):
                            q = (mx + s * nx, my + s * ny)
                            if point_in_area(q, pa) and point_in_area(q, pb):
                                return True
    return False


def area_within(inner, outer, tol=0.05):
    """Every vertex of `inner` lies inside `outer` or within tol of its boundary, and no edge of
    `inner` crosses an edge of `outer`: `inner` is covered by `outer` (holes included)."""
    problems = []
    outer_edges = [seg for poly in outer for ring in poly for seg in edges(ring)]
    for poly in inner:
        for ring in poly:
            for p in ring:
                if not point_in_area(p, outer) and boundary_distance(p, outer) > tol:
                    problems.append("vertex (%.2f, %.2f) lies outside" % p)
                    break
            for a, b in edges(ring):
                if any(segments_cross(a, b, c, d) and min(point_segment_distance(a, c, d), point_segment_distance(b, c, d),
                                                          point_segment_distance(c, a, b), point_segment_distance(d, a, b)) > tol
                       for c, d in outer_edges):
                    problems.append("edge from (%.2f, %.2f) crosses the boundary" % a)
                    break
    return problems


def polyline_area_distance(line, polys):
    """Smallest distance between a polyline and an area (0 when they touch or the line enters)."""
    if any(point_in_area(p, polys) for p in line):
        return 0.0
    return min(segment_segment_distance(a, b, c, d)
               for a, b in zip(line, line[1:]) for poly in polys for ring in poly for c, d in edges(ring))


def rect(x0, y0, x1, y1):
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def rotated_rect(ox, oy, w, h, deg):
    """A w x h rectangle whose corner (0, 0) is at (ox, oy), turned deg counter-clockwise."""
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return [(round(ox + u * c - v * s, 3), round(oy + u * s + v * c, 3)) for u, v in ((0, 0), (w, 0), (w, h), (0, h))]


def regular_polygon(cx, cy, r, n):
    return [(round(cx + r * math.cos(2 * math.pi * k / n), 3), round(cy + r * math.sin(2 * math.pi * k / n), 3))
            for k in range(n)]


# --------------------------------------------------------------------------------------
# The design, in local metres
# --------------------------------------------------------------------------------------

SITE_ID = "demo-park"
TIMEZONE = "Asia/Shanghai"

# docs/site-file.md defaults, exactly, then the demo's additions.
DEFAULTS = {"offline_after_s": 60, "man_down_after_s": 120, "man_down_cancel_s": 30,
            "low_battery_pct": 10, "untracked_after_s": 300, "exit_tolerance_m": 0.5,
            "vehicle_max_stay_min": 360, "stop_after_s": 300, "stop_speed_kmh": 3, "speeding_min_s": 15,
            "lone_worker_grace_s": 60, "guardian_distance_m": 15, "crowding_radius_m": 15,
            "speed_limit_kmh": 40}

# The control building of E01 is turned 15 degrees from north; its UWB engine reports metres
# along the building's walls from its south-west corner. A frame point (u, v) is rotated
# counter-clockwise by rotation_deg, then shifted by offset_m (docs/site-file.md).
CONTROL_BUILDING = {"frame": "uwb-e01-control", "offset": (-900.0, 80.0), "rotation_deg": 15.0,
                    "size": (90.0, 45.0), "zones": ("Z-E01-CCR", "Z-E01-CCR-L1")}
FRAMES = {CONTROL_BUILDING["frame"]: {"offset_m": list(CONTROL_BUILDING["offset"]),
                                      "rotation_deg": CONTROL_BUILDING["rotation_deg"]}}


def frame_uv(p):
    """Local metres -> the control building's UWB frame (u, v): undo the shift, then the rotation."""
    a = math.radians(CONTROL_BUILDING["rotation_deg"])
    dx, dy = p[0] - CONTROL_BUILDING["offset"][0], p[1] - CONTROL_BUILDING["offset"][1]
    return (dx * math.cos(a) + dy * math.sin(a), -dx * math.sin(a) + dy * math.cos(a))

# The fence: 2000 m x 1500 m with three chamfered corners (south-west, north-east, north-west),
# counter-clockwise.
FENCE = [(-940.0, -750.0), (1000.0, -750.0), (1000.0, 630.0), (880.0, 750.0),
         (-920.0, 750.0), (-1000.0, 670.0), (-1000.0, -690.0)]

# Park roads: 60 m wide bands between the enterprise fences (carriageway, verges, pipe racks).
ROADS = {"A": {"name": "Road A (Binhai Road), west-east trunk", "centreline": [(-1000.0, -100.0), (1000.0, -100.0)],
               "width_m": 60},
         "B": {"name": "Road B (Gangcheng Road), south-north trunk", "centreline": [(100.0, -750.0), (100.0, 750.0)],
               "width_m": 60}}

ENTERPRISES = [
    {"id": "E01", "name": "Haihua Petrochemical", "name_zh": "海化石化有限公司", "business": "refinery",
     "ring": [(-960.0, -70.0), (70.0, -70.0), (70.0, 710.0), (-880.0, 710.0), (-960.0, 630.0)],
     "entrance": (-360.0, -70.0)},          # plant gate on road A, between the warehouse and the loading rack
    {"id": "E02", "name": "Lubei Fine Chemicals", "name_zh": "鲁北精细化工有限公司", "business": "fine chemicals",
     "ring": [(130.0, -70.0), (960.0, -70.0), (960.0, 560.0), (810.0, 710.0), (130.0, 710.0)],
     "entrance": (130.0, 300.0)},           # plant gate on road B
    {"id": "E03", "name": "Donggang Chlor-Alkali", "name_zh": "东港氯碱有限公司", "business": "chlor-alkali",
     "ring": [(180.0, -710.0), (960.0, -710.0), (960.0, -130.0), (130.0, -130.0), (130.0, -660.0)],
     "entrance": (130.0, -560.0)},          # plant gate on road B, near the main gate
]

# Property sets that recur.
CROWDING = {"radius_m": 15, "min_people": 5, "duration_s": 60}
PROCESS = {"risk": "orange", "access": "permit", "roles": ["operator", "engineer"], "crowding": CROWDING}
TANKS = {"risk": "red", "access": "permit", "max_people": 6, "max_stay_min": 120, "two_person": True,
         "vehicles": "forbidden"}
LOADING = {"risk": "orange", "access": "open", "max_people": 20, "max_stay_min": 180, "speed_limit_kmh": 10}


PROP_ORDER = ["kind", "id", "name", "name_zh", "enterprise", "risk", "level", "access", "requires", "roles",
              "max_people", "min_people", "staffed", "max_stay_min", "two_person", "crowding", "vehicles",
              "speed_limit_kmh"]


def Z(zid, name, name_zh, use, geom, enterprise=None, **props):
    """A zone of the design. geom: a ring, or ("polygon", [ring, hole...]), or ("multi", [polygon...])."""
    if isinstance(geom, tuple) and geom[0] == "polygon":
        polys = [geom[1]]
    elif isinstance(geom, tuple) and geom[0] == "multi":
        polys = geom[1]
    else:
        polys = [[geom]]
    p = {"kind": "zone", "id": zid, "name": name, "name_zh": name_zh}
    if enterprise:
        p["enterprise"] = enterprise
    p.update(props)
    unknown = set(p) - set(PROP_ORDER)
    assert not unknown, "add %s to PROP_ORDER" % unknown
    p = {k: p[k] for k in PROP_ORDER if k in p}            # one reading order for every zone
    return {"props": p, "polys": polys, "use": use}


TANK1_HOLE = rect(-800.0, 505.0, -740.0, 565.0)        # the crude transfer pump island

ZONES = [
    # ---- E01 Haihua Petrochemical: a refinery ------------------------------------------------
    Z("Z-E01-OFFICE", "Haihua administration building", "海化办公楼", "office",
      rect(-930.0, -50.0, -830.0, 10.0), "E01", risk="blue", access="open", level=0),
    Z("Z-E01-CANTEEN", "Haihua canteen", "海化食堂", "canteen",
      rect(-800.0, -50.0, -720.0, 0.0), "E01", risk="blue", access="open", level=0, max_people=120),
    Z("Z-E01-CCR", "Central control room (ground floor)", "中央控制室", "control-room",
      rotated_rect(*CONTROL_BUILDING["offset"], *CONTROL_BUILDING["size"], CONTROL_BUILDING["rotation_deg"]), "E01",
      risk="blue", access="open", level=0, max_people=8, min_people=2,
      staffed={"from": "00:00", "until": "24:00"}),
    Z("Z-E01-CCR-L1", "Control building upper floor (instrument and engineering rooms)", "控制楼二层机柜间及工程师站",
      "control-building",
      rotated_rect(*CONTROL_BUILDING["offset"], *CONTROL_BUILDING["size"], CONTROL_BUILDING["rotation_deg"]), "E01",
      risk="blue", access="open", level=1, max_people=12),
    Z("Z-E01-WH-1", "Catalyst and chemicals warehouse", "催化剂及化学品仓库", "warehouse",
      rect(-620.0, -50.0, -480.0, 30.0), "E01", risk="yellow", access="open", max_people=10),
    Z("Z-E01-LOAD", "Product loading rack", "成品油装车栈台", "loading-bay",
      rect(-240.0, -55.0, -60.0, 35.0), "E01", **LOADING),
    Z("Z-E01-CDU", "Crude distillation unit", "常减压蒸馏装置", "process-unit",
      rect(-560.0, 130.0, -330.0, 320.0), "E01", max_people=25, **PROCESS),
    Z("Z-E01-FCC", "Catalytic cracking unit", "催化裂化装置", "process-unit",
      rect(-270.0, 130.0, -50.0, 320.0), "E01", max_people=25, **PROCESS),
    Z("Z-E01-TANK-1", "Crude oil tank farm", "原油罐区", "tank-farm",
      ("polygon", [[(-900.0, 400.0), (-640.0, 400.0), (-640.0, 670.0), (-870.0, 670.0), (-900.0, 640.0)], TANK1_HOLE]),
      "E01", requires=["hot-work"], **TANKS),
    Z("Z-E01-PUMP-1", "Crude transfer pump island", "原油输转泵岛", "pump-island",
      TANK1_HOLE, "E01", risk="orange", access="permit", roles=["operator", "tank-operator"], max_people=4),
    Z("Z-E01-TANK-2", "Product tank farm", "成品油罐区", "tank-farm",
      rect(-580.0, 420.0, -360.0, 670.0), "E01", roles=["tank-operator"], **TANKS),
    Z("Z-E01-FLARE", "Flare stack exclusion area", "火炬禁区", "flare",
      regular_polygon(-180.0, 600.0, 40.0, 16), "E01", risk="red", access="forbidden", vehicles="forbidden"),

    # ---- E02 Lubei Fine Chemicals ---------------------------------------------------------------
    Z("Z-E02-OFFICE", "Lubei office and laboratory", "鲁北办公楼及化验室", "office",
      rect(260.0, 600.0, 400.0, 690.0), "E02", risk="blue", access="open", level=0),
    Z("Z-E02-PROC-1", "Batch reactor building", "间歇反应车间", "process-unit",
      [(300.0, 360.0), (520.0, 360.0), (520.0, 460.0), (440.0, 460.0), (440.0, 540.0), (300.0, 540.0)], "E02",
      max_people=20, **PROCESS),
    Z("Z-E02-PROC-2", "Hydrogenation unit", "加氢装置", "process-unit",
      rect(580.0, 120.0, 780.0, 300.0), "E02", max_people=15, **PROCESS),
    Z("Z-E02-TANK-1", "Solvent tank farm", "溶剂罐区", "tank-farm",
      rect(620.0, 400.0, 880.0, 600.0), "E02", requires=["hot-work"], roles=["tank-operator"], **TANKS),
    Z("Z-E02-WH-1", "Raw material warehouse", "原料仓库", "warehouse",
      rect(300.0, 60.0, 460.0, 220.0), "E02", risk="yellow", access="open", max_people=12),
    Z("Z-E02-WH-2", "Spare parts store", "备品备件库", "warehouse",
      rect(820.0, 120.0, 940.0, 260.0), "E02", risk="yellow", access="open", max_people=6,
      vehicles="hazmat-forbidden"),
    Z("Z-E02-LOAD", "Drum filling and loading bay", "灌装及装车区", "loading-bay",
      rect(150.0, -55.0, 290.0, 35.0), "E02", **LOADING),

    # ---- E03 Donggang Chlor-Alkali --------------------------------------------------------------
    Z("Z-E03-OFFICE", "Donggang office", "东港办公楼", "office",
      rect(200.0, -695.0, 320.0, -615.0), "E03", risk="blue", access="open", level=0),
    Z("Z-E03-LOAD", "Caustic and acid loading bay", "液碱盐酸装车区", "loading-bay",
      rect(140.0, -470.0, 280.0, -350.0), "E03", **LOADING),
    Z("Z-E03-WH-1", "Salt warehouse", "原盐仓库", "warehouse",
      rect(160.0, -300.0, 340.0, -160.0), "E03", risk="yellow", access="open", max_people=15),
    Z("Z-E03-CELL", "Membrane electrolysis cell house", "离子膜电解厂房", "process-unit",
      rect(400.0, -330.0, 640.0, -180.0), "E03", max_people=20, **PROCESS),
    Z("Z-E03-HCL", "Chlorine liquefaction and HCl synthesis", "氯气液化及盐酸合成装置", "process-unit",
      rect(400.0, -560.0, 620.0, -400.0), "E03", max_people=15, **PROCESS),
    Z("Z-E03-TANK-1", "Caustic soda and hydrochloric acid tanks", "液碱及盐酸罐区", "tank-farm",
      ("multi", [[rect(700.0, -320.0, 900.0, -200.0)], [rect(700.0, -470.0, 900.0, -370.0)]]),
      "E03", roles=["tank-operator"], **TANKS),
    Z("Z-E03-CL2", "Liquid chlorine storage", "液氯储存区", "chlorine-storage",
      rect(720.0, -680.0, 900.0, -560.0), "E03", risk="red", access="forbidden", vehicles="forbidden"),

    # ---- the park's own areas -------------------------------------------------------------------
    Z("Z-ROAD-MAIN", "Park main roads", "园区主干道", "road",
      [(-995.0, -130.0), (70.0, -130.0), (70.0, -745.0), (130.0, -745.0), (130.0, -130.0), (995.0, -130.0),
       (995.0, -70.0), (130.0, -70.0), (130.0, 745.0), (70.0, 745.0), (70.0, -70.0), (-995.0, -70.0)],
      risk="blue", access="open", speed_limit_kmh=30),
    Z("Z-PARK-FIRE", "Park fire and rescue station", "园区消防救援站", "fire-station",
      rect(-300.0, -330.0, -160.0, -200.0), risk="blue", access="open"),
    Z("Z-PARK-SUB", "110 kV substation", "110千伏变电站", "substation",
      rect(-700.0, -330.0, -600.0, -250.0), risk="yellow", access="permit", roles=["electrician"]),
    Z("Z-PARK-WWTP", "Park wastewater treatment plant", "园区污水处理厂", "wastewater",
      rect(-900.0, -640.0, -660.0, -420.0), risk="orange", access="permit", roles=["operator", "engineer"],
      max_people=10),
    Z("Z-PARK-ADMIN", "Park management and emergency command centre", "园区管委会及应急指挥中心", "office",
      rect(-260.0, -720.0, -120.0, -640.0), risk="blue", access="open", level=0),
]

PARKING = [
    {"id": "P-HAZ", "name": "Hazmat truck waiting lot", "name_zh": "危化品车辆停车场", "capacity": 12,
     "ring": rect(-960.0, -230.0, -840.0, -150.0)},
    {"id": "P-STAFF", "name": "Staff car park", "name_zh": "员工停车场", "capacity": 80,
     "ring": rect(-60.0, -720.0, 50.0, -670.0)},
]

MUSTER = [
    {"id": "M1", "name": "South-west assembly point", "name_zh": "西南紧急集合点",
     "ring": rect(-480.0, -500.0, -400.0, -420.0)},
    {"id": "M2", "name": "North assembly point", "name_zh": "北区紧急集合点",
     "ring": rect(150.0, 600.0, 230.0, 690.0)},
    {"id": "M3", "name": "South-east assembly point", "name_zh": "东南紧急集合点",
     "ring": rect(350.0, -700.0, 430.0, -620.0)},
]

GATES = [
    {"id": "G1", "name": "Main gate", "name_zh": "园区主门", "class": "general", "anti_passback": "soft",
     "xy": (100.0, -750.0)},
    {"id": "G2", "name": "Hazmat gate", "name_zh": "危化品车辆专用门", "class": "hazmat", "anti_passback": "hard",
     "xy": (-1000.0, -100.0)},
    {"id": "G3", "name": "Staff gate", "name_zh": "员工通道门", "class": "staff", "anti_passback": "hard",
     "xy": (100.0, 750.0)},
    {"id": "G4", "name": "Emergency gate", "name_zh": "应急通道门", "class": "emergency", "anti_passback": "off",
     "xy": (1000.0, -100.0)},
]

# Hazmat routes: in at G2, along road A (and road B for E03), into the loading bay.
ROUTES = [
    {"id": "R1", "name": "G2 to Haihua loading rack", "from": "G2", "to": "E01", "destination_zone": "Z-E01-LOAD",
     "points": [(-1000.0, -100.0), (-150.0, -100.0), (-150.0, -10.0)]},
    {"id": "R2", "name": "G2 to Donggang loading bay", "from": "G2", "to": "E03", "destination_zone": "Z-E03-LOAD",
     "points": [(-1000.0, -100.0), (100.0, -100.0), (100.0, -410.0), (210.0, -410.0)]},
]
ROUTE_PROPS = {"width_m": 30, "speed_limit_kmh": 30, "deviation_after_s": 20}

MUSTER_MIN_DISTANCE_M = 150.0           # from every red zone


# --------------------------------------------------------------------------------------
# Writing GeoJSON
# --------------------------------------------------------------------------------------

def ccw(ring):
    return ring if signed_area(ring) > 0 else ring[::-1]


def cw(ring):
    return ring if signed_area(ring) < 0 else ring[::-1]


def fmt_point(x, y):
    lon, lat = to_lonlat(x, y)
    return "[%.7f,%.7f]" % (lon, lat)


def fmt_ring(ring, exterior):
    ring = ccw(ring) if exterior else cw(ring)
    return "[" + ",".join(fmt_point(*p) for p in ring + [ring[0]]) + "]"


def fmt_polygon(poly):
    return "[" + ",".join(fmt_ring(r, i == 0) for i, r in enumerate(poly)) + "]"


def fmt_geometry(polys=None, point=None, line=None):
    if point is not None:
        return '{"type":"Point","coordinates":%s}' % fmt_point(*point)
    if line is not None:
        return '{"type":"LineString","coordinates":[%s]}' % ",".join(fmt_point(*p) for p in line)
    if len(polys) == 1:
        return '{"type":"Polygon","coordinates":%s}' % fmt_polygon(polys[0])
    return '{"type":"MultiPolygon","coordinates":[%s]}' % ",".join(fmt_polygon(p) for p in polys)


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def feature_line(props, geometry):
    return '{"type":"Feature","properties":%s,"geometry":%s}' % (dumps(props), geometry)


def build_site_text():
    """The site file, as text: the cordon member on the first line, then one feature a line."""
    lines = []
    lines.append(feature_line({"kind": "site", "id": SITE_ID, "name": "Binhai demo chemical park",
                               "name_zh": "滨海化工园区（演示）"}, fmt_geometry(polys=[[FENCE]])))
    for e in ENTERPRISES:
        lines.append(feature_line({"kind": "enterprise", "id": e["id"], "name": e["name"], "name_zh": e["name_zh"]},
                                  fmt_geometry(polys=[[e["ring"]]])))
    for z in ZONES:
        lines.append(feature_line(z["props"], fmt_geometry(polys=z["polys"])))
    for p in PARKING:
        lines.append(feature_line({"kind": "parking", "id": p["id"], "name": p["name"], "name_zh": p["name_zh"],
                                   "capacity": p["capacity"]}, fmt_geometry(polys=[[p["ring"]]])))
    for m in MUSTER:
        lines.append(feature_line({"kind": "muster", "id": m["id"], "name": m["name"], "name_zh": m["name_zh"]},
                                  fmt_geometry(polys=[[m["ring"]]])))
    for g in GATES:
        lines.append(feature_line({"kind": "gate", "id": g["id"], "name": g["name"], "name_zh": g["name_zh"],
                                   "class": g["class"], "anti_passback": g["anti_passback"]},
                                  fmt_geometry(point=g["xy"])))
    for r in ROUTES:
        props = {"kind": "route", "id": r["id"], "name": r["name"]}
        props.update(ROUTE_PROPS)
        props.update({"from": r["from"], "to": r["to"]})
        lines.append(feature_line(props, fmt_geometry(line=r["points"])))
    head = {"type": "FeatureCollection",
            "cordon": {"site": SITE_ID, "origin": [ORIGIN_LON, ORIGIN_LAT], "timezone": TIMEZONE,
                       "frames": FRAMES, "defaults": DEFAULTS}}
    return dumps(head)[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


# --------------------------------------------------------------------------------------
# Walking paths for the layout file: shortest paths in a visibility graph
# --------------------------------------------------------------------------------------

WALK_CLEARANCE_M = 5.0


class Walker:
    """Shortest walking paths that keep WALK_CLEARANCE_M away from a set of obstacle areas,
    inside a convex region (the fence, or a convex enterprise). Graph nodes are the obstacles'
    convex corners pushed out by the clearance; two nodes are joined when the straight line
    between them keeps the clearance from every obstacle."""

    def __init__(self, region, obstacles):
        self.region = region                        # convex ring
        self.obstacles = obstacles                  # list of (id, polys)
        self.nodes = []
        for oid, polys in obstacles:
            for poly in polys:
                ring = ccw(poly[0])
                n = len(ring)
                for i in range(n):
                    a, b, c = ring[i - 1], ring[i], ring[(i + 1) % n]
                    if cross(a[0], a[1], b[0], b[1], c[0], c[1]) <= 0:
                        continue                    # reflex (or straight) corner: never on a shortest path
                    n1 = self._normal(a, b)
                    n2 = self._normal(b, c)
                    k = WALK_CLEARANCE_M * 1.05
                    q = (b[0] + k * (n1[0] + n2[0]), b[1] + k * (n1[1] + n2[1]))
                    if self.free(q):
                        self.nodes.append(q)
        self.adj = {i: [] for i in range(len(self.nodes))}
        for i in range(len(self.nodes)):
            for j in range(i + 1, len(self.nodes)):
                if self.visible(self.nodes[i], self.nodes[j]):
                    d = math.dist(self.nodes[i], self.nodes[j])
                    self.adj[i].append((j, d))
                    self.adj[j].append((i, d))

    @staticmethod
    def _normal(a, b):
        """Outward unit normal of edge a->b of a counter-clockwise ring."""
        L = math.dist(a, b)
        return ((b[1] - a[1]) / L, -(b[0] - a[0]) / L)

    def free(self, p, ignore=()):
        if not point_in_ring(p, self.region):
            return False
        return all(oid in ignore or (not point_in_area(p, polys) and boundary_distance(p, polys) >= WALK_CLEARANCE_M - 0.01)
                   for oid, polys in self.obstacles)

    def visible(self, p, q, ignore=()):
        line = [p, q]
        return all(oid in ignore or polyline_area_distance(line, polys) >= WALK_CLEARANCE_M - 0.01
                   for oid, polys in self.obstacles)

    def path(self, start, goal, ignore=()):
        """Shortest path start -> goal; obstacles named in `ignore` (the target zone, or the zone
        enclosing it) may be walked through. Returns the list of points, or None."""
        if self.visible(start, goal, ignore):
            return [start, goal]
        n = len(self.nodes)
        S, G = n, n + 1
        pts = self.nodes + [start, goal]
        extra = {S: [], G: []}
        for i, q in enumerate(self.nodes):
            if self.visible(start, q, ignore):
                extra[S].append((i, math.dist(start, q)))
            if self.visible(q, goal, ignore):
                extra[G].append((i, math.dist(q, goal)))
        to_goal = {i: d for i, d in extra[G]}
        dist, prev = {S: 0.0}, {}
        heap = [(math.dist(start, goal), 0.0, S)]
        while heap:
            _, d, u = heapq.heappop(heap)
            if u == G:
                break
            if d > dist.get(u, math.inf):
                continue
            nbrs = extra[S] if u == S else self.adj[u] + ([(G, to_goal[u])] if u in to_goal else [])
            for v, w in nbrs:
                nd = d + w
                if nd < dist.get(v, math.inf) - 1e-12:
                    dist[v], prev[v] = nd, u
                    heapq.heappush(heap, (nd + math.dist(pts[v], goal), nd, v))
        if G not in dist:
            return None
        out, u = [], G
        while u != S:
            out.append(pts[u])
            u = prev[u]
        out.append(start)
        return out[::-1]


def r1(p):
    return [round(p[0], 1), round(p[1], 1)]


def build_layout():
    """The simulator's summary of the park, in local metres (see the "notes" member)."""
    restricted = [(z["props"]["id"], z["polys"]) for z in ZONES if z["props"].get("access", "open") != "open"
                  and z["props"].get("level", 0) == 0]
    zone_by_id = {z["props"]["id"]: z for z in ZONES}
    ent_polys = {e["id"]: [[e["ring"]]] for e in ENTERPRISES}

    # Outside the enterprises: walk around the enterprises' fences and the park's restricted zones.
    park_obstacles = [(e["id"], ent_polys[e["id"]]) for e in ENTERPRISES] + \
                     [(zid, polys) for zid, polys in restricted if not zone_by_id[zid]["props"].get("enterprise")]
    park_walker = Walker(FENCE, park_obstacles)

    def outward(e, dist):
        """The point `dist` metres outside the enterprise's entrance, on the road."""
        ex, ey = e["entrance"]
        ring = ccw(e["ring"])
        for a, b in edges(ring):
            if on_segment((ex, ey), a, b, 1e-6):
                nx, ny = Walker._normal(a, b)
                return (ex + dist * nx, ey + dist * ny)
        raise ValueError("entrance of %s is not on its boundary" % e["id"])

    def inward_from_fence(p, dist):
        for a, b in edges(FENCE):
            if on_segment(p, a, b, 1e-6):
                nx, ny = Walker._normal(a, b)
                return (p[0] - dist * nx, p[1] - dist * ny)
        raise ValueError("gate not on the fence")

    def zone_entry(z, path_from, walker, ignore_extra=()):
        pt, clearance = interior_point(z["polys"])
        zid = z["props"]["id"]
        ignore = {zid} | set(ignore_extra)
        path = walker.path(path_from, tuple(pt), ignore)
        crosses = []
        if path is None:
            # the target lies inside another restricted zone (the pump island in its tank farm)
            enclosing = [oid for oid, polys in walker.obstacles
                         if oid != zid and any(point_in_ring(pt, poly[0]) for poly in polys)]
            path = walker.path(path_from, tuple(pt), ignore | set(enclosing))
            crosses = enclosing
        entry = {"id": zid, "name": z["props"]["name"], "use": z["use"], "risk": z["props"].get("risk"),
                 "access": z["props"].get("access", "open")}
        for k in ("roles", "requires", "level", "max_people", "min_people"):
            if k in z["props"]:
                entry[k] = z["props"][k]
        entry["point"] = list(pt)
        entry["clearance_m"] = round(clearance, 1)
        if zid in CONTROL_BUILDING["zones"]:
            # inside the UWB-covered building: the same point in the engine's own frame (u, v)
            entry["frame"] = CONTROL_BUILDING["frame"]
            entry["frame_point"] = r1(frame_uv(pt))
        entry["path"] = [r1(p) for p in path]
        if crosses:
            entry["path_crosses"] = crosses
        return entry

    layout = {
        "site": SITE_ID, "origin": [ORIGIN_LON, ORIGIN_LAT], "timezone": TIMEZONE,
        "notes": [
            "Made by tools/make-demo-park.py together with geofences/demo-park.geojson; do not edit by hand.",
            "All coordinates are local metres: x east, y north of origin (WGS84 ENU, docs/site-file.md).",
            "zones[].point is well inside the zone: clearance_m is its distance to the zone's boundary. For the "
            "zones of the UWB-covered control building, frame_point is the same point in that RTLS frame (u, v): "
            "local = offset_m + rotate(u, v by rotation_deg counter-clockwise).",
            "zones[].path runs from the enterprise's entrance (or, for park zones, from the inside of G1) to the "
            "zone's point, keeping 5 m from every zone whose access is not open, except the target itself and "
            "the zones listed in path_crosses (a target enclosed by another restricted zone).",
            "paths['G1>E01'] runs from just inside gate G1 to just outside E01's entrance, around the "
            "enterprises' fences; enterprises[].muster names the muster point its people walk to and "
            "muster_path runs from its entrance there.",
            "A person walking a path end to end raises no restricted-zone violation unless a permit zone "
            "is their target or is listed in path_crosses.",
        ],
        "fence": [r1(p) for p in FENCE],
        "roads": {k: {"name": v["name"], "width_m": v["width_m"], "centreline": [r1(p) for p in v["centreline"]]}
                  for k, v in ROADS.items()},
        "frames": FRAMES,
        "gates": {},
        "enterprises": {},
        "park_zones": [],
        "paths": {},
        "routes": {},
        "parking": {},
        "muster": {},
    }
    gate_inside = {}
    for g in GATES:
        inside = inward_from_fence(g["xy"], 10.0)
        gate_inside[g["id"]] = inside
        layout["gates"][g["id"]] = {"name": g["name"], "class": g["class"], "anti_passback": g["anti_passback"],
                                    "xy": r1(g["xy"]), "inside": r1(inside)}
    muster_pts = {}
    for m in MUSTER:
        pt, clearance = interior_point([[m["ring"]]])
        muster_pts[m["id"]] = pt
        layout["muster"][m["id"]] = {"name": m["name"], "point": list(pt), "clearance_m": round(clearance, 1)}
    for p in PARKING:
        pt, clearance = interior_point([[p["ring"]]])
        layout["parking"][p["id"]] = {"name": p["name"], "capacity": p["capacity"], "point": list(pt),
                                      "clearance_m": round(clearance, 1)}

    for e in ENTERPRISES:
        eid = e["id"]
        inner = Walker(e["ring"], [(zid, polys) for zid, polys in restricted
                                   if zone_by_id[zid]["props"].get("enterprise") == eid])
        start = outward(e, -2.0)                     # just inside the plant gate
        zones = [zone_entry(z, start, inner) for z in ZONES if z["props"].get("enterprise") == eid]
        # the muster point: one inside the enterprise, else the nearest one outside
        own = [m["id"] for m in MUSTER if point_in_ring(muster_pts[m["id"]], e["ring"])]
        if own:
            muster = own[0]
            mpath = inner.path(start, muster_pts[muster])
        else:
            out = outward(e, 5.0)
            muster = min((m["id"] for m in MUSTER), key=lambda mid: math.dist(out, muster_pts[mid]))
            mpath = [start] + park_walker.path(out, muster_pts[muster])
        layout["enterprises"][eid] = {
            "name": e["name"], "name_zh": e["name_zh"], "business": e["business"],
            "entrance": r1(e["entrance"]), "entrance_outside": r1(outward(e, 5.0)),
            "muster": muster, "muster_path": [r1(p) for p in mpath], "zones": zones}

    g1 = gate_inside["G1"]
    for z in ZONES:
        if not z["props"].get("enterprise") and z["use"] != "road":
            layout["park_zones"].append(zone_entry(z, g1, park_walker))
    for g in GATES:
        for e in ENTERPRISES:
            p = park_walker.path(gate_inside[g["id"]], outward(e, 5.0))
            layout["paths"]["%s>%s" % (g["id"], e["id"])] = [r1(q) for q in p]
        for lot in PARKING:
            p = park_walker.path(gate_inside[g["id"]], tuple(layout["parking"][lot["id"]]["point"]))
            layout["paths"]["%s>%s" % (g["id"], lot["id"])] = [r1(q) for q in p]
    for r in ROUTES:
        L = sum(math.dist(a, b) for a, b in zip(r["points"], r["points"][1:]))
        layout["routes"][r["id"]] = {"name": r["name"], "from": r["from"], "to": r["to"],
                                     "destination_zone": r["destination_zone"], **ROUTE_PROPS,
                                     "length_m": round(L, 1), "points": [r1(p) for p in r["points"]]}
    return layout


def layout_text(layout):
    """Readable JSON: nested objects indented, but every list of numbers on one line."""
    text = json.dumps(layout, ensure_ascii=False, indent=1)
    # fold [x, y] pairs and lists of pairs onto single lines
    text = re.sub(r"\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]", r"[\1, \2]", text)
    text = re.sub(r"\[\s+((?:\[-?[\d.]+, -?[\d.]+\],?\s*)+)\]",
                  lambda m: "[" + ", ".join(re.findall(r"\[-?[\d.]+, -?[\d.]+\]", m.group(1))) + "]", text)
    text = re.sub(r"\[\s+((?:\"[^\"\n]*\",?\s*)+)\]",
                  lambda m: "[" + ", ".join(re.findall(r"\"[^\"\n]*\"", m.group(1))) + "]"
                  if len(m.group(1)) < 120 else m.group(0), text)
    return text + "\n"


# --------------------------------------------------------------------------------------
# Reading a site file back, and checking it
# --------------------------------------------------------------------------------------

KINDS = {"site", "zone", "route", "gate", "parking", "muster", "enterprise"}
RISKS = {"red", "orange", "yellow", "blue"}
ACCESS = {"open", "permit", "forbidden"}
VEHICLES = {"allowed", "forbidden", "hazmat-forbidden"}
GATE_CLASSES = {"staff", "general", "hazmat", "emergency"}
ANTI_PASSBACK = {"off", "soft", "hard"}
PROTOCOL_DEFAULTS = {"offline_after_s": 60, "man_down_after_s": 120, "man_down_cancel_s": 30,
                     "low_battery_pct": 10, "untracked_after_s": 300, "exit_tolerance_m": 0.5,
                     "vehicle_max_stay_min": 360, "stop_after_s": 300, "stop_speed_kmh": 3, "speeding_min_s": 15}
ON_LINE_TOL_M = 0.05            # 7-decimal degrees round to about 1 cm


def local_polys(geom, problems, fid, to_xy=to_xy):
    """GeoJSON Polygon/MultiPolygon -> list of polygons of local rings (closing point dropped);
    checks closure, size and orientation in lon/lat on the way."""
    if geom["type"] == "Polygon":
        raw = [geom["coordinates"]]
    elif geom["type"] == "MultiPolygon":
        raw = geom["coordinates"]
    else:
        problems.append("%s: geometry %s where a Polygon or MultiPolygon is expected" % (fid, geom["type"]))
        return []
    out = []
    for pi, poly in enumerate(raw):
        rings = []
        for ri, ring in enumerate(poly):
            where = "%s: polygon %d ring %d" % (fid, pi, ri)
            if len(ring) < 4:
                problems.append(where + ": fewer than 4 positions")
                continue
            if ring[0] != ring[-1]:
                problems.append(where + ": not closed")
            a = signed_area([tuple(p) for p in ring[:-1]])
            if ri == 0 and a <= 0:
                problems.append(where + ": exterior ring is not counter-clockwise")
            if ri > 0 and a >= 0:
                problems.append(where + ": hole is not clockwise")
            rings.append([to_xy(lon, lat) for lon, lat in ring[:-1]])
        if rings:
            out.append(rings)
    return out


def check_polys(fid, polys, problems):
    """Simplicity of every ring; holes inside their exterior and apart; parts apart."""
    for pi, poly in enumerate(polys):
        for ri, ring in enumerate(poly):
            if not ring_is_simple(ring):
                problems.append("%s: polygon %d ring %d intersects itself" % (fid, pi, ri))
        for hi, hole in enumerate(poly[1:], 1):
            if rings_touch(hole, poly[0]) or not all(point_in_ring(p, poly[0]) for p in hole):
                problems.append("%s: hole %d is not strictly inside its exterior ring" % (fid, hi))
            for hj in range(hi + 1, len(poly)):
                if rings_touch(hole, poly[hj]) or point_in_ring(hole[0], poly[hj]) or point_in_ring(poly[hj][0], hole):
                    problems.append("%s: holes %d and %d meet" % (fid, hi, hj))
    for i in range(len(polys)):
        for j in range(i + 1, len(polys)):
            if rings_touch(polys[i][0], polys[j][0]) or areas_overlap([polys[i]], [polys[j]]):
                problems.append("%s: MultiPolygon parts %d and %d meet" % (fid, i, j))


def check_site(path, demo=True):
    """Every problem found in the site file at `path`, as a list of strings. With demo=False only
    the invariants any site should keep are checked (in the file's own local frame); route rules
    that need the demo's `from`/`to` route properties apply only where a route has them."""
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        doc = json.loads(text)
    except (OSError, ValueError) as e:
        return ["%s: cannot read: %s" % (path, e)]
    if doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        return ["not a GeoJSON FeatureCollection"]

    # ---- the cordon member
    c = doc.get("cordon")
    if not isinstance(c, dict):
        problems.append("no cordon member")
        c = {}
    origin = c.get("origin")
    if not (isinstance(origin, list) and len(origin) == 2 and all(isinstance(v, (int, float)) for v in origin)):
        problems.append("cordon.origin must be [lon, lat]")
    elif demo and (origin[0], origin[1]) != (ORIGIN_LON, ORIGIN_LAT):
        problems.append("cordon.origin %s is not the demo's origin [%s, %s]" % (origin, ORIGIN_LON, ORIGIN_LAT))
    to_xy = enu_at(*origin) if isinstance(origin, list) and len(origin) == 2 else globals()["to_xy"]
    if not isinstance(c.get("site"), str):
        problems.append("cordon.site missing")
    if not isinstance(c.get("timezone"), str):
        problems.append("cordon.timezone missing")
    for name, fr in (c.get("frames") or {}).items():
        if not (isinstance(fr, dict) and isinstance(fr.get("offset_m"), list) and len(fr["offset_m"]) == 2
                and isinstance(fr.get("rotation_deg", 0), (int, float))):
            problems.append("cordon.frames.%s: needs offset_m [x, y] and rotation_deg" % name)
    defaults = c.get("defaults") or {}
    for k, v in PROTOCOL_DEFAULTS.items():
        if demo and k not in defaults:
            problems.append("cordon.defaults.%s missing" % k)
        elif demo and defaults[k] != v:
            problems.append("cordon.defaults.%s is %r, PROTOCOL.md says %r" % (k, defaults[k], v))

    # ---- features: kinds, ids, geometry types
    feats = {}
    by_kind = {k: [] for k in KINDS}
    for i, f in enumerate(doc["features"]):
        props = f.get("properties") or {}
        fid = props.get("id")
        kind = props.get("kind")
        label = fid if isinstance(fid, str) else "feature #%d" % i
        if not isinstance(fid, str) or not fid:
            problems.append("%s: no id" % label)
            continue
        if fid in feats:
            problems.append("%s: duplicate id" % fid)
            continue
        if kind not in KINDS:
            problems.append("%s: unknown kind %r" % (fid, kind))
            continue
        geom = f.get("geometry") or {}
        want = {"gate": ("Point",), "route": ("LineString",)}.get(kind, ("Polygon", "MultiPolygon"))
        if geom.get("type") not in want:
            problems.append("%s: a %s needs a %s geometry, not %s" % (fid, kind, " or ".join(want), geom.get("type")))
            continue
        item = {"id": fid, "kind": kind, "props": props}
        if kind == "gate":
            item["xy"] = to_xy(*geom["coordinates"])
        elif kind == "route":
            item["line"] = [to_xy(lon, lat) for lon, lat in geom["coordinates"]]
            if len(item["line"]) < 2:
                problems.append("%s: a route needs at least two points" % fid)
                continue
        else:
            item["polys"] = local_polys(geom, problems, fid, to_xy)
            if not item["polys"]:
                continue
            check_polys(fid, item["polys"], problems)
        feats[fid] = item
        by_kind[kind].append(item)
    if len(by_kind["site"]) != 1:
        problems.append("there must be exactly one site feature, found %d" % len(by_kind["site"]))
        return problems
    site = by_kind["site"][0]
    fence = site["polys"]
    fence_ring = fence[0][0]

    # ---- properties
    for z in by_kind["zone"]:
        p, fid = z["props"], z["id"]
        if p.get("risk") not in RISKS:
            problems.append("%s: risk %r is not one of %s" % (fid, p.get("risk"), sorted(RISKS)))
        if p.get("access", "open") not in ACCESS:
            problems.append("%s: access %r" % (fid, p.get("access")))
        if p.get("vehicles", "allowed") not in VEHICLES:
            problems.append("%s: vehicles %r" % (fid, p.get("vehicles")))
        if demo and p.get("access") == "permit" and not (p.get("requires") or p.get("roles")):
            problems.append("%s: a permit zone with neither requires nor roles admits only work-permit holders" % fid)
        for k in ("max_people", "min_people", "max_stay_min", "level", "speed_limit_kmh"):
            if k in p and not (isinstance(p[k], int) and not isinstance(p[k], bool)):
                problems.append("%s: %s must be an integer" % (fid, k))
        for k in ("requires", "roles"):
            if k in p and not (isinstance(p[k], list) and all(isinstance(s, str) for s in p[k])):
                problems.append("%s: %s must be a list of strings" % (fid, k))
        if "two_person" in p and not isinstance(p["two_person"], bool):
            problems.append("%s: two_person must be true or false" % fid)
        if "min_people" in p:
            st = p.get("staffed")
            if not (isinstance(st, dict) and all(isinstance(st.get(k), str) and len(st[k]) == 5 and st[k][2] == ":"
                                                 for k in ("from", "until"))):
                problems.append("%s: min_people needs staffed {from, until} as HH:MM" % fid)
        if "crowding" in p:
            cr = p["crowding"]
            if not (isinstance(cr, dict)
                    and all(isinstance(cr.get(k), (int, float)) for k in ("radius_m", "min_people", "duration_s"))):
                problems.append("%s: crowding needs radius_m, min_people, duration_s" % fid)
        if "max_people" in p and "min_people" in p and p["min_people"] > p["max_people"]:
            problems.append("%s: min_people above max_people" % fid)
    for g in by_kind["gate"]:
        if g["props"].get("class") not in GATE_CLASSES:
            problems.append("%s: gate class %r" % (g["id"], g["props"].get("class")))
        if g["props"].get("anti_passback", "off") not in ANTI_PASSBACK:
            problems.append("%s: anti_passback %r" % (g["id"], g["props"].get("anti_passback")))
    for p in by_kind["parking"]:
        cap = p["props"].get("capacity")
        if not (isinstance(cap, int) and cap > 0):
            problems.append("%s: capacity must be a positive integer" % p["id"])
    for r in by_kind["route"]:
        for k in ("width_m", "speed_limit_kmh", "deviation_after_s"):
            if not isinstance(r["props"].get(k), (int, float)) or r["props"][k] <= 0:
                problems.append("%s: %s must be a positive number" % (r["id"], k))

    # ---- everything inside the fence; gates on it
    for kind in ("zone", "parking", "muster", "enterprise"):
        for f in by_kind[kind]:
            for msg in area_within(f["polys"], fence)[:3]:
                problems.append("%s: not inside the fence: %s" % (f["id"], msg))
    for g in by_kind["gate"]:
        d = boundary_distance(g["xy"], fence)
        if d > ON_LINE_TOL_M:
            problems.append("%s: gate is %.2f m off the fence" % (g["id"], d))
    for r in by_kind["route"]:
        for p in r["line"]:
            if not point_in_ring(p, fence_ring) and boundary_distance(p, fence) > ON_LINE_TOL_M:
                problems.append("%s: point (%.1f, %.1f) outside the fence" % (r["id"], p[0], p[1]))
        for a, b in zip(r["line"], r["line"][1:]):
            for c2, d2 in edges(fence_ring):
                if segments_cross(a, b, c2, d2) and \
                        min(point_segment_distance(a, c2, d2), point_segment_distance(b, c2, d2)) > ON_LINE_TOL_M:
                    problems.append("%s: leaves the fence between (%.1f, %.1f) and (%.1f, %.1f)" % (r["id"], *a, *b))

    # ---- enterprises apart; zones inside their enterprise
    ents = {e["id"]: e for e in by_kind["enterprise"]}
    el = by_kind["enterprise"]
    for i in range(len(el)):
        for j in range(i + 1, len(el)):
            if areas_overlap(el[i]["polys"], el[j]["polys"]):
                problems.append("%s and %s overlap" % (el[i]["id"], el[j]["id"]))
    for z in by_kind["zone"]:
        eid = z["props"].get("enterprise")
        if eid is None:
            continue
        if eid not in ents:
            problems.append("%s: enterprise %r is not an enterprise of the site" % (z["id"], eid))
            continue
        for msg in area_within(z["polys"], ents[eid]["polys"])[:3]:
            problems.append("%s: not inside its enterprise %s: %s" % (z["id"], eid, msg))

    # ---- no two areas overlap, except zones on different floors
    areas = by_kind["zone"] + by_kind["parking"] + by_kind["muster"]
    for i in range(len(areas)):
        for j in range(i + 1, len(areas)):
            a, b = areas[i], areas[j]
            la, lb = a["props"].get("level"), b["props"].get("level")
            if la is not None and lb is not None and la != lb:
                continue
            if areas_overlap(a["polys"], b["polys"]):
                problems.append("%s and %s overlap" % (a["id"], b["id"]))

    # ---- routes: from a gate, along the road zones, into the destination, clear of closed zones
    gates = {g["id"]: g for g in by_kind["gate"]}
    roads = [z for z in by_kind["zone"] if z["props"].get("speed_limit_kmh") and z["props"].get("access", "open") == "open"
             and not z["props"].get("enterprise")]
    for r in by_kind["route"]:
        rid, line, props = r["id"], r["line"], r["props"]
        half = props.get("width_m", 0) / 2
        g = gates.get(props.get("from"))
        if g is None and (demo or "from" in props):
            problems.append("%s: from %r is not a gate" % (rid, props.get("from")))
        elif g is not None and math.dist(g["xy"], line[0]) > 1.0:
            problems.append("%s: does not start at its gate %s" % (rid, g["id"]))
        dest = ents.get(props.get("to"))
        if dest is None and (demo or "to" in props):
            problems.append("%s: to %r is not an enterprise" % (rid, props.get("to")))
        elif dest is not None:
            bays = [z for z in by_kind["zone"] if z["props"].get("enterprise") == dest["id"]
                    and z["props"].get("speed_limit_kmh") and point_in_area(line[-1], z["polys"])]
            if not bays:
                problems.append("%s: does not end in a loading bay (a zone with a speed limit) of %s" % (rid, dest["id"]))
        # every 5 m of the line: on a road zone, in the destination enterprise, or at the gate
        for a, b in zip(line, line[1:]) if (demo or dest is not None) else ():
            n = max(1, int(math.dist(a, b) / 5.0))
            for k in range(n + 1):
                p = (a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n)
                ok = any(point_in_area(p, z["polys"]) for z in roads) or \
                     (dest is not None and point_in_area(p, dest["polys"])) or \
                     (g is not None and math.dist(p, g["xy"]) <= 10.0)
                if not ok:
                    problems.append("%s: leaves the roads at (%.1f, %.1f)" % (rid, p[0], p[1]))
                    break
        for z in by_kind["zone"]:
            if z["props"].get("vehicles") in ("forbidden", "hazmat-forbidden"):
                d = polyline_area_distance(line, z["polys"])
                if d <= half:
                    problems.append("%s: its %g m corridor reaches %s (closed to %s), %.1f m from the line"
                                    % (rid, props["width_m"], z["id"],
                                       "vehicles" if z["props"]["vehicles"] == "forbidden" else "hazmat vehicles", d))

    # ---- muster points away from red zones
    reds = [z for z in by_kind["zone"] if z["props"].get("risk") == "red"]
    for m in by_kind["muster"]:
        for z in reds:
            d = min(polyline_area_distance(ring + ring[:1], z["polys"]) for poly in m["polys"] for ring in poly[:1])
            if d < MUSTER_MIN_DISTANCE_M:
                problems.append("%s: only %.0f m from the red zone %s (want >= %.0f m)"
                                % (m["id"], d, z["id"], MUSTER_MIN_DISTANCE_M))

    if demo:
        problems += check_demo_expectations(by_kind, feats, c)
    return problems


def check_demo_expectations(by_kind, feats, c):
    """What the demo park promises its readers (geofences/README.md)."""
    problems = []

    def need(cond, msg):
        if not cond:
            problems.append("demo: " + msg)

    need(c.get("site") == SITE_ID and c.get("timezone") == TIMEZONE, "site demo-park in Asia/Shanghai")
    d = c.get("defaults") or {}
    need(d.get("lone_worker_grace_s") == 60 and d.get("guardian_distance_m") == 15 and d.get("crowding_radius_m") == 15
         and d.get("speed_limit_kmh") == 40, "defaults lone_worker_grace_s 60, guardian_distance_m 15, "
                                             "crowding_radius_m 15, speed_limit_kmh 40")
    need(len(c.get("frames") or {}) >= 1, "an RTLS frame")
    need(len(by_kind["site"][0]["polys"][0][0]) > 4, "the fence is not a plain rectangle")
    need(sorted(e["id"] for e in by_kind["enterprise"]) == ["E01", "E02", "E03"], "enterprises E01, E02, E03")
    gates = {g["id"]: (g["props"].get("class"), g["props"].get("anti_passback")) for g in by_kind["gate"]}
    need(gates == {"G1": ("general", "soft"), "G2": ("hazmat", "hard"), "G3": ("staff", "hard"),
                   "G4": ("emergency", "off")}, "gates G1 general/soft, G2 hazmat/hard, G3 staff/hard, G4 emergency/off")
    need(all(g["props"].get("name") for g in by_kind["gate"]), "every gate has a name")
    routes = {r["props"].get("to") for r in by_kind["route"] if r["props"].get("from") == "G2"}
    need(routes == {"E01", "E03"}, "hazmat routes from G2 to E01 and E03")
    for r in by_kind["route"]:
        p = r["props"]
        need((p.get("width_m"), p.get("speed_limit_kmh"), p.get("deviation_after_s")) == (30, 30, 20),
             "%s: width_m 30, speed_limit_kmh 30, deviation_after_s 20" % r["id"])
    caps = {p["id"]: p["props"].get("capacity") for p in by_kind["parking"]}
    need(caps == {"P-HAZ": 12, "P-STAFF": 80}, "parking P-HAZ (12) and P-STAFF (80)")
    if "P-HAZ" in feats and "G2" in feats:
        need(boundary_distance(feats["G2"]["xy"], feats["P-HAZ"]["polys"]) < 300, "P-HAZ near G2")
    need(sorted(m["id"] for m in by_kind["muster"]) == ["M1", "M2", "M3"], "muster points M1, M2, M3")
    zones = {z["id"]: z["props"] for z in by_kind["zone"]}
    tanks = [zid for zid in zones if "-TANK-" in zid]
    need(len(tanks) >= 3, "tank farms")
    for zid in tanks:
        p = zones[zid]
        need(p.get("risk") == "red" and p.get("access") == "permit" and (p.get("requires") or p.get("roles"))
             and p.get("max_people") and p.get("max_stay_min") and p.get("two_person") is True
             and p.get("vehicles") == "forbidden", "%s: a tank farm's properties" % zid)
    need(any(len(feats[t]["polys"]) > 1 for t in tanks), "a tank farm made of two tank groups (MultiPolygon)")
    need(any(len(feats[t]["polys"][0]) > 1 for t in tanks), "a tank farm with a hole")
    need(any(p.get("risk") == "red" and p.get("access") == "forbidden" and "chlorine" in p.get("name", "").lower()
             for p in zones.values()), "a forbidden chlorine storage")
    ccr = zones.get("Z-E01-CCR", {})
    need(ccr.get("risk") == "blue" and ccr.get("max_people") == 8 and ccr.get("min_people") == 2
         and ccr.get("staffed") == {"from": "00:00", "until": "24:00"} and ccr.get("level") == 0,
         "Z-E01-CCR: blue, max_people 8, min_people 2 staffed 00:00-24:00, level 0")
    need(any(p.get("level") == 1 and p.get("enterprise") == "E01" for p in zones.values()), "an E01 level-1 zone")
    for eid in ("E01", "E02", "E03"):
        bays = [p for zid, p in zones.items() if zid.startswith("Z-%s-LOAD" % eid)]
        need(len(bays) == 1 and bays[0].get("risk") == "orange" and bays[0].get("speed_limit_kmh") == 10,
             "%s: a loading bay, orange, speed_limit_kmh 10" % eid)
    procs = [p for p in zones.values() if p.get("crowding")]
    need(procs and all(p.get("risk") == "orange" and p.get("access") == "permit" and p.get("roles") == ["operator", "engineer"]
                       and p.get("crowding") == {"radius_m": 15, "min_people": 5, "duration_s": 60} for p in procs),
         "process units: orange, permit for operator/engineer, crowding 15 m / 5 / 60 s")
    whs = [p for zid, p in zones.items() if "-WH-" in zid]
    need(whs and all(p.get("risk") == "yellow" and p.get("access", "open") == "open" and p.get("max_people") for p in whs)
         and any(p.get("vehicles") == "hazmat-forbidden" for p in whs),
         "warehouses: yellow, open, max_people; one closed to hazmat vehicles")
    need(any("CANTEEN" in zid and p.get("risk") == "blue" for zid, p in zones.items()), "a canteen")
    return problems


def check_layout(path):
    """The layout file's walking paths keep clear of restricted zones, as its notes promise."""
    problems = []
    try:
        with open(path, encoding="utf-8") as f:
            layout = json.load(f)
    except (OSError, ValueError) as e:
        return ["%s: cannot read: %s" % (path, e)]
    restricted = {z["props"]["id"]: z["polys"] for z in ZONES if z["props"].get("access", "open") != "open"
                  and z["props"].get("level", 0) == 0}
    ents = {e["id"]: [[e["ring"]]] for e in ENTERPRISES}
    entries = [(eid, z) for eid, e in layout["enterprises"].items() for z in e["zones"]] + \
              [(None, z) for z in layout["park_zones"]]
    zone_by_id = {z["props"]["id"]: z for z in ZONES}
    for eid, z in entries:
        zid = z["id"]
        if zid not in zone_by_id:
            problems.append("layout: %s is not a zone" % zid)
            continue
        pt = tuple(z["point"])
        if not point_in_area(pt, zone_by_id[zid]["polys"]) or boundary_distance(pt, zone_by_id[zid]["polys"]) < 3.0:
            problems.append("layout: %s: point is not well inside the zone" % zid)
        path = [tuple(p) for p in z["path"]]
        if math.dist(path[-1], pt) > 0.2:
            problems.append("layout: %s: path does not end at the point" % zid)
        allowed = {zid} | set(z.get("path_crosses", []))
        for oid, polys in restricted.items():
            if oid not in allowed and polyline_area_distance(path, polys) < 1.0:
                problems.append("layout: %s: path comes within 1 m of %s" % (zid, oid))
        if eid is not None:
            for p in path:
                if not point_in_area(p, ents[eid]) and boundary_distance(p, ents[eid]) > 0.5:
                    problems.append("layout: %s: path leaves %s" % (zid, eid))
                    break
    for key, path in layout["paths"].items():
        path = [tuple(p) for p in path]
        park_restricted = [(k, v) for k, v in restricted.items() if not zone_by_id[k]["props"].get("enterprise")]
        for eid, polys in list(ents.items()) + park_restricted:
            if polyline_area_distance(path, polys) < 1.0:
                problems.append("layout: path %s comes within 1 m of %s" % (key, eid))
    return problems


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------

def summary(site_text, layout):
    doc = json.loads(site_text)
    kinds = {}
    for f in doc["features"]:
        kinds.setdefault(f["properties"]["kind"], []).append(f["properties"]["id"])
    zone_area = area([p for z in ZONES if z["use"] != "road" for p in z["polys"]])
    out = ["demo-park: %d features, %d bytes; fence %.2f km2 (%.0f m x %.0f m), origin [%s, %s], %s"
           % (len(doc["features"]), len(site_text.encode("utf-8")), area([[FENCE]]) / 1e6,
              bbox(FENCE)[2] - bbox(FENCE)[0], bbox(FENCE)[3] - bbox(FENCE)[1], ORIGIN_LON, ORIGIN_LAT, TIMEZONE)]
    for kind in ("site", "enterprise", "zone", "parking", "muster", "gate", "route"):
        ids = kinds.get(kind, [])
        out.append("  %-10s %2d  %s" % (kind, len(ids), " ".join(ids)))
    risks = {}
    for z in ZONES:
        risks[z["props"]["risk"]] = risks.get(z["props"]["risk"], 0) + 1
    out.append("  zones by risk: " + ", ".join("%s %d" % (r, risks.get(r, 0)) for r in ("red", "orange", "yellow", "blue"))
               + "; zone area (roads excluded) %.3f km2" % (zone_area / 1e6))
    for rid, r in layout["routes"].items():
        out.append("  route %s: %s -> %s (%s), %.0f m" % (rid, r["from"], r["to"], r["destination_zone"], r["length_m"]))
    return "\n".join(out)


def rel(path):
    """A path as the user would type it from here."""
    r = os.path.relpath(path)
    return path if r.startswith("..") else r


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="check the written files instead of writing them")
    ap.add_argument("--site", default=SITE_PATH, help="site file (default: %(default)s)")
    ap.add_argument("--layout", default=LAYOUT_PATH, help="simulator layout file (default: %(default)s)")
    ap.add_argument("--demo", action="store_true",
                    help="with --check --site OTHER: hold OTHER to the demo park's expectations too")
    args = ap.parse_args()

    site_text = build_site_text()
    layout = build_layout()
    lay_text = layout_text(layout)
    if args.check:
        is_demo = os.path.abspath(args.site) == SITE_PATH or args.demo
        problems = check_site(args.site, demo=is_demo)
        is_demo = os.path.abspath(args.site) == SITE_PATH
        if is_demo:
            with open(args.site, encoding="utf-8") as f:
                if f.read() != site_text:
                    problems.append("%s is stale: rerun tools/make-demo-park.py" % rel(args.site))
            problems += check_layout(args.layout)
            try:
                with open(args.layout, encoding="utf-8") as f:
                    if f.read() != lay_text:
                        problems.append("%s is stale: rerun tools/make-demo-park.py" % rel(args.layout))
            except OSError:
                pass
            # the picture: what tools/render-site.py draws from the file now
            svg_path = os.path.splitext(args.site)[0] + ".svg"
            renderer = os.path.join(HERE, "render-site.py")
            if os.path.exists(renderer) and os.path.exists(svg_path):
                import importlib.util
                spec = importlib.util.spec_from_file_location("render_site", renderer)
                mod = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(mod)
                with open(args.site, encoding="utf-8") as f, open(svg_path, encoding="utf-8") as g:
                    if mod.render(json.load(f)) != g.read():
                        problems.append("%s is stale: rerun tools/render-site.py %s %s"
                                        % (rel(svg_path), rel(args.site), rel(svg_path)))
        # the frame conversion itself: round trips far below a millimetre
        worst = max(math.dist((x, y), to_xy(*to_lonlat(x, y))) for x in (-1000, 0, 1000) for y in (-750, 0, 750))
        if worst > 1e-6:
            problems.append("to_lonlat/to_xy round trip off by %.2e m" % worst)
        if problems:
            print("%d problem(s):" % len(problems))
            for p in problems:
                print("  " + p)
            sys.exit(1)
        print("OK: %s passes every check%s" % (rel(args.site), " (and so do %s and the picture)" % rel(args.layout)
                                                 if is_demo else ""))
        return

    os.makedirs(os.path.dirname(args.site), exist_ok=True)
    with open(args.site, "w", encoding="utf-8", newline="\n") as f:
        f.write(site_text)
    with open(args.layout, "w", encoding="utf-8", newline="\n") as f:
        f.write(lay_text)
    print(summary(site_text, layout))
    print("wrote %s and %s" % (rel(args.site), rel(args.layout)))


if __name__ == "__main__":
    main()
