"""Loading the areas: points are placed by the new shapes from the moment they are loaded — also later in
the same transaction, as the demo loader places its reports — not by a process's earlier ones."""

import json

from org import geo
from org.services import regions_load

# 天马街道's area redrawn north of the world's towns (the world's 天马 is the east half of the county square)
MOVED = {"type": "Polygon", "coordinates": [[[118.6, 29.6], [118.8, 29.6], [118.8, 29.8], [118.6, 29.8], [118.6, 29.6]]]}


def test_new_town_areas_place_points_at_once(world, tmp_path):
    assert geo.locate_town(118.7, 28.9) == world.tianma  # the shapes are cached now
    assert geo.locate_town(118.7, 29.7) is None  # in no town's area yet
    divisions = tmp_path / "divisions.csv"
    divisions.write_text("code,name,level,parent_code\n330822001,天马街道,township,\n", encoding="utf-8")
    areas = tmp_path / "towns.geojson"
    areas.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": MOVED, "properties": {"code": "330822001", "seat": [118.7, 29.7]}}]}),
        encoding="utf-8")
    regions_load(actor=world.admin, divisions_csv=divisions, town_areas=areas)  # inside the test's transaction
    assert geo.locate_town(118.7, 29.7) == world.tianma
    assert geo.locate_town(118.7, 28.9) is None
