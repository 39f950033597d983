"""Files a phone sends, with the hidden details a real one carries: for the photo tests."""

from __future__ import annotations

from io import BytesIO

from PIL import Image
from pypdf import PdfWriter

ASKER_NAME = "Xandrilla"
# What a phone or a scanner writes into a file, and must not reach a helper.
AUTHOR = f"{ASKER_NAME} Qorbani"
DEVICE = "PhoneModelZ9"
CREATOR = "ScannerAppQ7"
GPS_MARK = b"GPSVersionMark"
TAGS = [AUTHOR, DEVICE, CREATOR, ASKER_NAME]

ARTIST, MODEL, ORIENTATION, GPS_IFD = 0x013B, 0x0110, 0x0112, 0x8825


def jpeg_with_tags(size: tuple[int, int] = (640, 480)) -> bytes:
    """A photo of a letter as a file: GPS position, device and author in its EXIF."""
    image = Image.new("RGB", size, "white")
    exif = Image.Exif()
    exif[ARTIST] = AUTHOR
    exif[MODEL] = DEVICE
    exif[ORIENTATION] = 6  # taken sideways: the cleaned copy is turned upright
    exif[GPS_IFD] = {1: "N", 2: (51.0, 53.0, 12.5), 3: "E", 4: (5.0, 25.0, 48.0)}
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=AUTHOR.encode())
    return out.getvalue()


def pdf_with_author() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Author": AUTHOR, "/Creator": CREATOR, "/Title": f"Brief {ASKER_NAME}"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("secret-password")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def photo(file_id: str, caption: str | None = None) -> dict:
    content: dict = {
        "photo": [
            {"file_id": f"{file_id}-small", "file_unique_id": f"{file_id}s", "width": 90,
             "height": 120},
            {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 960},
        ]
    }  # fmt: skip
    if caption:
        content["caption"] = caption
    return content


def document(file_id: str, name: str, mime: str, size: int, caption: str | None = None) -> dict:
    content: dict = {
        "document": {
            "file_id": file_id,
            "file_unique_id": file_id[-16:],
            "file_name": name,
            "mime_type": mime,
            "file_size": size,
        }
    }
    if caption:
        content["caption"] = caption
    return content
