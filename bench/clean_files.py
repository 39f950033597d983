"""How long cleaning a file takes: the CPU a person's photo or PDF costs before it goes on.

A phone photo sent as a file (12 megapixels, with EXIF) is redrawn from its pixels; a scanned
letter as a PDF (pages with an image each) is rebuilt without its properties. The work runs
in a thread beside the event loop, so other people are not held up, but it is the wait of
the person who sent it (plus the download and the upload back). Prints milliseconds per file
at 1x and 10x the page count. Run: `python -m bench.clean_files`.
"""

from __future__ import annotations

import argparse
import time
from io import BytesIO

from PIL import Image
from pypdf import PdfWriter

from bot.questions.files import clean_image, clean_pdf


def phone_photo(width: int = 4000, height: int = 3000) -> bytes:
    image = Image.effect_noise((width, height), 64).convert("RGB")  # noise: no easy JPEG
    exif = Image.Exif()
    exif[0x013B] = "Author Name"
    exif[0x8825] = {1: "N", 2: (51.0, 53.0, 12.5), 3: "E", 4: (5.0, 25.0, 48.0)}
    out = BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def scanned_letter(pages: int) -> bytes:
    page = Image.effect_noise((1240, 1754), 32).convert("L")  # A4 at 150 dpi
    out = BytesIO()
    page.save(out, "PDF", save_all=True, append_images=[page] * (pages - 1))
    writer = PdfWriter(clone_from=BytesIO(out.getvalue()))
    writer.add_metadata({"/Author": "Author Name", "/Creator": "Scanner"})
    result = BytesIO()
    writer.write(result)
    return result.getvalue()


def timed(work, content: bytes, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        work(content)
    return (time.perf_counter() - start) / repeat * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    photo = phone_photo()
    print(f"phone photo as a file: {len(photo) / 1e6:.1f} MB, "
          f"cleaned in {timed(clean_image, photo, args.repeat):.0f} ms")  # fmt: skip
    for pages in (2, 20):
        letter = scanned_letter(pages)
        print(f"scanned letter, {pages} pages: {len(letter) / 1e6:.1f} MB, "
              f"cleaned in {timed(clean_pdf, letter, args.repeat):.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
