"""Point-in-polygon against the county outline and town areas (shapely), cached per process."""

from __future__ import annotations

import math
from functools import lru_cache

import shapely
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


# Distances in metres on a local plane: an equirectangular projection about the county (≈50 km across, where
# it is off by far less than a phone's GPS error). Metres per degree of latitude; of longitude, times cos(lat).
_M_PER_DEG_LAT = 110_574.0


@lru_cache(maxsize=1)
def _town_planes():
    """Each town's area on the local plane, and the projection (lng, lat) → (x, y) in metres."""
    from org.choices import RegionLevel
    from org.models import Region

    towns = [(r.pk, shape(r.boundary)) for r in Region.objects.filter(level=RegionLevel.TOWNSHIP).exclude(boundary=None)]
    if not towns:
        return [], None
    lat0 = sum(g.centroid.y for _, g in towns) / len(towns)
    kx, ky = _M_PER_DEG_LAT * math.cos(math.radians(lat0)), _M_PER_DEG_LAT

    def project(lng, lat):
        return lng * kx, lat * ky

    return [(pk, shapely.transform(g, lambda xy: xy * (kx, ky))) for pk, g in towns], project


def clear_cache() -> None:
    _shapes.cache_clear()
    _town_planes.cache_clear()


def towns_near(lng: float, lat: float, metres: float, *, besides=None) -> list[tuple[object, int]]:
    """The towns other than ``besides`` whose area lies within ``metres`` of the point, nearest first, each
    with its distance in whole metres: a report this close to a border may have happened in either town
    (the areas are drawn, not surveyed, and a phone's position is off by tens of metres)."""
    from org.models import Region

    planes, project = _town_planes()
    if project is None or metres <= 0:
        return []
    pt = Point(*project(lng, lat))
    near = sorted((geom.distance(pt), pk) for pk, geom in planes
                  if pk != getattr(besides, "pk", None) and geom.distance(pt) <= metres)
    regions = Region.objects.in_bulk([pk for _, pk in near])
    return [(regions[pk], round(d)) for d, pk in near]


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


TOWN_SUFFIXES = ("街道", "镇", "乡")


def town_named_in(text: str):
    """The one 乡镇(街道) an address names, or None: by its full name (辉埠镇), else by its name without
    镇/乡/街道 (辉埠) when that is at least two characters. None when no town or more than one is named,
    so an address that mentions two places is left to a person rather than guessed."""
    from org.choices import RegionLevel
    from org.models import Region

    text = "".join((text or "").split())
    if not text:
        return None
    towns = list(Region.objects.filter(level=RegionLevel.TOWNSHIP))
    full = {t.pk: t for t in towns if t.name in text}
    if len(full) == 1:
        return next(iter(full.values()))
    if full:
        return None
    short = {}
    for t in towns:
        stem = next((t.name[: -len(s)] for s in TOWN_SUFFIXES if t.name.endswith(s)), t.name)
        if len(stem) >= 2 and stem in text:
            short[t.pk] = t
    return next(iter(short.values())) if len(short) == 1 else None
