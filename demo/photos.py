"""Synthetic photos for the demo's manhole-cover reports (窨井盖破损): a drawn road with a cover, broken
before the work and whole after it, stamped "SYNTHETIC DEMO IMAGE" so nobody takes one for a real scene."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont

SIZE = (640, 480)


def manhole_photo(seed: int, *, fixed: bool) -> bytes:
    rng = random.Random(seed)
    grey = rng.randint(85, 115)
    image = Image.new("RGB", SIZE, (grey, grey, grey + 4))
    draw = ImageDraw.Draw(image)
    for _ in range(900):  # asphalt grain
        x, y, shade = rng.randrange(SIZE[0]), rng.randrange(SIZE[1]), grey + rng.randint(-25, 25)
        draw.point((x, y), fill=(shade, shade, shade))
    draw.rectangle((0, 400, SIZE[0], 412), fill=(225, 225, 210))  # lane marking
    cx, cy, r = 320 + rng.randint(-40, 40), 230 + rng.randint(-20, 20), 120
    box = (cx - r, cy - r * 0.6, cx + r, cy + r * 0.6)
    if fixed:
        draw.ellipse(box, fill=(70, 72, 78), outline=(40, 40, 44), width=8)
        for k in range(-3, 4):  # the new cover's pattern
            draw.line((cx - r + 25, cy + k * 12, cx + r - 25, cy + k * 12), fill=(95, 97, 104), width=3)
        draw.rectangle((cx + r + 20, cy - 90, cx + r + 34, cy + 60), fill=(240, 140, 20))  # a cone left on site
    else:
        draw.ellipse(box, fill=(20, 20, 22), outline=(40, 40, 44), width=8)  # the hole
        for _ in range(6):  # cracked pieces of the old cover
            px, py = cx + rng.randint(-r + 20, r - 60), cy + rng.randint(-50, 20)
            draw.polygon([(px, py), (px + rng.randint(30, 60), py + rng.randint(-10, 10)),
                          (px + rng.randint(10, 40), py + rng.randint(20, 40))], fill=(75, 75, 80))
    font = ImageFont.load_default(size=22)
    draw.rectangle((0, 0, SIZE[0], 34), fill=(0, 0, 0))
    draw.text((10, 6), "SYNTHETIC DEMO IMAGE - " + ("after repair" if fixed else "as reported"), font=font,
              fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
