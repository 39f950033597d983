"""Photos and documents in questions: which files the bot passes on, and how they are cleaned.

A photo sent as a photo is passed on by its Telegram file id: Telegram has already re-encoded
it and taken its hidden details off. A file is different: it arrives as it left the phone or
the scanner, with the place it was taken, the device and the author inside. So an image sent
as a file is drawn again from its pixels alone (and sent on as a photo), and a PDF is rebuilt
from its pages without its document properties; nothing here imports telegram.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

log = logging.getLogger(__name__)

# Telegram's cloud Bot API lets a bot download files up to 20 MB.
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
# A question or an answer carries at most this many photos or files (an album holds 10).
MAX_FILES = 10
# Longest side of a cleaned image: a page stays readable, and Telegram takes it as a photo.
MAX_IMAGE_SIDE = 2560
# The name every cleaned PDF goes on with: the sender's own name for it may say who they are.
PDF_NAME = "document.pdf"
IMAGE_NAME = "photo.jpg"
IMAGE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff"}
)
IMAGE_ENDINGS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff")
# Per page: the page's own XMP metadata, and an editor's private data.
_PAGE_DETAILS = ("/Metadata", "/PieceInfo")
# Per annotation (a comment, a highlight): who wrote it.
_ANNOTATION_DETAILS = ("/T",)


class FileProblem(Enum):
    TOO_BIG = "too_big"  # over what the bot may download
    UNSUPPORTED = "unsupported"  # not a photo, an image or a PDF
    UNREADABLE = "unreadable"  # says it is an image or a PDF, but cannot be opened
    PROTECTED = "protected"  # a PDF with a password


class Unusable(Exception):
    def __init__(self, problem: FileProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Cleaned:
    """A file ready to go on: as a photo (`kind` "photo") or a document, under `name`."""

    kind: str
    content: bytes
    name: str


def document_kind(mime_type: str | None, file_name: str | None, size: int | None) -> str:
    """ "image" or "pdf" for a document the bot can pass on; Unusable otherwise."""
    if size is not None and size > MAX_DOWNLOAD_BYTES:
        raise Unusable(FileProblem.TOO_BIG)
    name = (file_name or "").lower()
    if mime_type == "application/pdf" or name.endswith(".pdf"):
        return "pdf"
    if mime_type in IMAGE_TYPES or name.endswith(IMAGE_ENDINGS):
        return "image"
    raise Unusable(FileProblem.UNSUPPORTED)


def clean(kind: str, content: bytes) -> Cleaned:
    """The file without its hidden details, for `document_kind`'s answer. CPU work: run it in
    a thread."""
    if len(content) > MAX_DOWNLOAD_BYTES:
        raise Unusable(FileProblem.TOO_BIG)
    if kind == "pdf":
        return Cleaned("document", clean_pdf(content), PDF_NAME)
    return Cleaned("photo", clean_image(content), IMAGE_NAME)


def clean_image(content: bytes) -> bytes:
    """The image drawn again from its pixels alone, as a JPEG: no EXIF (GPS position,
    device, author), no XMP, no colour profile, no comments. It is turned the way the phone
    meant it (the orientation tag) before the tags go."""
    try:
        with Image.open(BytesIO(content)) as image:
            image.seek(0)  # an animated GIF or a multi-page TIFF: its first picture
            upright = ImageOps.exif_transpose(image) or image
            upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            pixels = upright.convert("L" if upright.mode in ("1", "L", "LA", "I;16") else "RGB")
            bare = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        log.info("an image could not be read: %s", error)
        raise Unusable(FileProblem.UNREADABLE) from None
    out = BytesIO()
    bare.save(out, "JPEG", quality=88)
    return out.getvalue()


def clean_pdf(content: bytes) -> bytes:
    """The PDF rebuilt from its pages: without its document properties (author, creator,
    producer, title), its XMP metadata, attachments, scripts and form data, and without the
    author of each comment. A PDF with a password cannot be opened, so it is refused."""
    try:
        reader = PdfReader(BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unusable(FileProblem.PROTECTED)
        writer = PdfWriter()
        for page in reader.pages:
            for detail in _PAGE_DETAILS:
                if detail in page:
                    del page[NameObject(detail)]
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                for detail in _ANNOTATION_DETAILS:
                    if detail in annotation:
                        del annotation[NameObject(detail)]
            writer.add_page(page)
        writer.metadata = None
        out = BytesIO()
        writer.write(out)
    except Unusable:
        raise
    except Exception as error:  # a damaged or hostile file: pypdf raises many kinds of error
        log.info("a PDF could not be read: %r", error)
        raise Unusable(FileProblem.UNREADABLE) from None
    return out.getvalue()
