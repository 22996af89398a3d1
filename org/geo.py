"""Point-in-polygon against the county outline and town areas (shapely), cached per process."""

from __future__ import annotations

from functools import lru_cache

from shapely.geometry import Point, shape
from shapely.prepared import prep


@lru_cache(maxsize=1)
def _shapes():
    from org.choices import RegionLevel
    from org.models import Region

    county = None
    towns = []
    for region in Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]).exclude(boundary=None):
        geom = prep(shape(region.boundary))
        if region.level == RegionLevel.COUNTY:
            county = geom
        else:
            towns.append((region.pk, geom))
    return county, towns


def clear_cache() -> None:
    _shapes.cache_clear()


def inside_county(lng: float, lat: float) -> bool:
    county, _ = _shapes()
    return county is not None and county.contains(Point(lng, lat))


def locate_town(lng: float, lat: float):
    from org.models import Region

    _, towns = _shapes()
    pt = Point(lng, lat)
    for pk, geom in towns:
        if geom.contains(pt):
            return Region.objects.get(pk=pk)
    return None
