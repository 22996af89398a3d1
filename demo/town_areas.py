"""Build APPROXIMATE town areas for the 常山县 demo.

There are no official town boundaries in our data. Each town gets the Voronoi cell of a hand-placed
seed point near its seat, clipped to the real county outline. The result is written to
``data/regions/changshan_towns_approx.geojson`` with ``"approximate": true`` on every feature, and
every map that shows it says so. Run: ``python -m demo.town_areas``.
"""

from __future__ import annotations

import json
from pathlib import Path

from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import voronoi_diagram

DATA = Path(__file__).resolve().parent.parent / "data" / "regions"

# Approximate seats (lng, lat), placed by hand from public maps; NOT survey data.
SEEDS = {
    "330822001": (118.515, 28.905),  # 天马街道
    "330822002": (118.550, 28.930),  # 紫港街道
    "330822003": (118.475, 28.890),  # 金川街道
    "330822104": (118.620, 28.990),  # 白石镇
    "330822108": (118.660, 28.910),  # 招贤镇
    "330822109": (118.410, 28.890),  # 青石镇
    "330822111": (118.330, 28.912),  # 球川镇
    "330822115": (118.470, 29.020),  # 辉埠镇
    "330822116": (118.570, 29.080),  # 芳村镇
    "330822200": (118.660, 29.050),  # 何家乡
    "330822211": (118.590, 28.880),  # 同弓乡
    "330822213": (118.370, 28.840),  # 大桥头乡
    "330822219": (118.630, 29.160),  # 新昌乡
    "330822221": (118.450, 28.810),  # 东案乡
}


def build() -> dict:
    outline = json.loads((DATA / "changshan_county_outline.geojson").read_text(encoding="utf-8"))
    county = shape(outline["features"][0]["geometry"])
    points = MultiPoint([Point(*xy) for xy in SEEDS.values()])
    cells = voronoi_diagram(points, envelope=county.envelope.buffer(0.2))
    features = []
    for code, xy in SEEDS.items():
        pt = Point(*xy)
        cell = next(c for c in cells.geoms if c.contains(pt))
        area = cell.intersection(county)
        features.append({
            "type": "Feature",
            "properties": {"code": code, "approximate": True, "seat": list(xy),
                           "note": "示意范围，非官方边界 (approximate, not an official boundary)"},
            "geometry": mapping(area.simplify(0.0005)),
        })
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    (DATA / "changshan_towns_approx.geojson").write_text(json.dumps(build(), ensure_ascii=False), encoding="utf-8")
    print("written", DATA / "changshan_towns_approx.geojson")
