"""The world outline for the map page, read from an installed package (pygal_maps_world's
SVG of country shapes), with a fitted projection so event coordinates land on it.

The SVG's projection is not documented, so it is estimated: each country's shape centre
is matched with the project's country centroid table and a pseudo-cylindrical form is
fitted by least squares (x = x0 + lon * (a0 + a2 lat^2 + a4 lat^4);
y = b0 + b1 lat + b3 lat^3 + b5 lat^5, the shape of the Robinson and similar projections).
The fit's median error is reported with the map.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from sitroom.knowledge.base import read_data

_GROUP = re.compile(r'<g class="([a-z]{2}) country map-element">(.*?)</g>', re.S)
_PATH = re.compile(r' d="([^"]+)"')
_TOKEN = re.compile(r"[a-zA-Z]|-?\d*\.?\d+(?:e-?\d+)?")
_ARGS = {"m": 2, "l": 2, "c": 6, "s": 4, "h": 1, "v": 1, "z": 0}


def _points(d: str) -> list[tuple[float, float]]:
    """End points of a path's segments (enough for a bounding box and a centre)."""
    tokens = _TOKEN.findall(d)
    points: list[tuple[float, float]] = []
    x = y = 0.0
    cmd = "m"
    i = 0
    first = True
    while i < len(tokens):
        tok = tokens[i]
        if tok.isalpha():
            cmd = tok
            i += 1
            if cmd.lower() == "z":
                continue
        n = _ARGS[cmd.lower()]
        args = [float(t) for t in tokens[i : i + n]]
        i += n
        if len(args) < n:
            break
        rel = cmd.islower() and not first
        if cmd.lower() in ("m", "l", "c", "s"):
            ex, ey = args[-2], args[-1]
            x, y = (x + ex, y + ey) if rel else (ex, ey)
            if cmd == "m":
                cmd = "l"
            elif cmd == "M":
                cmd = "L"
        elif cmd.lower() == "h":
            x = x + args[0] if cmd.islower() else args[0]
        elif cmd.lower() == "v":
            y = y + args[0] if cmd.islower() else args[0]
        first = False
        points.append((x, y))
    return points


@lru_cache(maxsize=1)
def world_map() -> dict[str, Any]:
    svg = resources.files("pygal_maps_world").joinpath("worldmap.svg").read_text("utf-8")
    view = re.search(r'viewBox="([\d. ]+)"', svg)
    width, height = (float(v) for v in view.group(1).split()[2:]) if view else (2475, 1388)
    iso3 = {c["iso2"].lower(): c["code"] for c in read_data("countries.json") if c.get("iso2")}
    centroids = read_data("country_centroids.json")["centroids"]
    shapes = []
    fit_rows = []
    for iso2, body in _GROUP.findall(svg):
        paths = _PATH.findall(body)
        code = iso3.get(iso2)
        shapes.append({"code": code, "d": " ".join(paths)})
        if code in centroids:
            pts = np.array([p for d in paths for p in _points(d)])
            if len(pts):
                (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
                if x1 - x0 < 80 and y1 - y0 < 80:  # small shapes: box centre ~ centroid
                    lat, lon = centroids[code]
                    fit_rows.append((lon, lat, (x0 + x1) / 2, (y0 + y1) / 2))
    projection, error = _fit(np.array(fit_rows))
    return {
        "width": width,
        "height": height,
        "shapes": shapes,
        "projection": projection,
        "median_error_px": round(error, 1),
        "source": "pygal_maps_world worldmap.svg (installed package)",
    }


def _fit(rows: np.ndarray) -> tuple[dict[str, list[float]], float]:
    lon, lat, x, y = (rows[:, i] for i in range(4))
    lat_r = np.radians(lat)
    ax = np.column_stack([np.ones_like(lon), lon, lon * lat_r**2, lon * lat_r**4])
    ay = np.column_stack([np.ones_like(lat_r), lat_r, lat_r**3, lat_r**5])
    cx = np.linalg.lstsq(ax, x, rcond=None)[0]
    cy = np.linalg.lstsq(ay, y, rcond=None)[0]
    err = np.hypot(ax @ cx - x, ay @ cy - y)
    return {"x": cx.round(6).tolist(), "y": cy.round(6).tolist()}, float(np.median(err))


def project(projection: dict[str, list[float]], lat: float, lon: float) -> tuple[float, float]:
    """The same formula the map page uses (kept here for tests)."""
    r = np.radians(lat)
    cx, cy = projection["x"], projection["y"]
    x = cx[0] + lon * (cx[1] + cx[2] * r**2 + cx[3] * r**4)
    y = cy[0] + cy[1] * r + cy[2] * r**3 + cy[3] * r**5
    return float(x), float(y)
