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
