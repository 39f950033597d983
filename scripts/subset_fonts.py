"""Make the fonts the report pictures need: small subsets of Noto Sans Arabic and Noto Sans
Ethiopic, from Debian's fonts-noto-core, into bot/reports/fonts/.

Matplotlib (3.10) does no OpenType shaping: the pictures draw Arabic and Persian as
presentation forms (arabic-reshaper picks them, python-bidi puts them in visual order), so the
Arabic subset keeps the Arabic block and both presentation-form blocks, and nothing of the
layout tables. The Ethiopic subset keeps the Ethiopic block (Tigrinya needs no shaping).
Latin letters and digits stay with matplotlib's own DejaVu Sans. The families are renamed
(the Open Font License asks that a modified font not pass for the original, and a system-wide
Noto font of the same name must not be picked instead of these).

    apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb noto
    python scripts/subset_fonts.py noto/usr/share/fonts/truetype/noto
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "bot" / "reports" / "fonts"
FONTS = {
    # source file stem: (family name of the subset, code point ranges)
    "NotoSansArabic": (
        "Landgenoot Arabic",
        [(0x0600, 0x06FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFE)],
    ),
    "NotoSansEthiopic": ("Landgenoot Ethiopic", [(0x1200, 0x139F)]),
}
STYLES = ("Regular", "Bold")


def rename(font: TTFont, family: str, style: str) -> None:
    names = font["name"]
    full = f"{family} {style}" if style != "Regular" else family
    for name_id, value in {
        1: family,
        2: style,
        3: f"{family.replace(' ', '')}-{style}",
        4: full,
        6: f"{family.replace(' ', '')}-{style}",
        16: family,
        17: style,
    }.items():
        names.removeNames(nameID=name_id)
        names.setName(value, name_id, 3, 1, 0x409)


def make(source_dir: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for stem, (family, ranges) in FONTS.items():
        for style in STYLES:
            font = TTFont(source_dir / f"{stem}-{style}.ttf")
            options = subset.Options()
            options.layout_features = []  # matplotlib does no shaping: the tables are dead weight
            options.hinting = False
            options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]  # keep copyright and licence
            options.notdef_outline = True
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=[c for low, high in ranges for c in range(low, high + 1)])
            subsetter.subset(font)
            rename(font, family, style)
            target = OUT / f"{family.replace(' ', '')}-{style}.ttf"
            font.save(target)
            print(f"{target.name}: {target.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    make(Path(sys.argv[1]))
