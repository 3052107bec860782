"""The type of an upload, from its first bytes (the client's Content-Type is only recorded).

Magic numbers of the formats an incident-response app takes as evidence; anything else
is ``application/octet-stream``. Text is UTF-8 without NUL bytes; markup that a browser
would run (HTML, SVG, XML) is told apart from plain text so it can be refused.
"""

from __future__ import annotations

SNIFF_BYTES = 512

DEFAULT_ALLOWED = (
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
    "application/zip",
    "application/gzip",
    "text/plain",
    "application/json",
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),  # also docx/xlsx/pptx, which are zip files
    (b"PK\x05\x06", "application/zip"),  # an empty zip
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"MZ", "application/x-msdownload"),
    (b"\x7fELF", "application/x-executable"),
)
_MARKUP = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<head", b"<body")


def sniff(head: bytes) -> str:
    """The media type of content starting with ``head`` (give at least 512 bytes, or all)."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if b"\x00" in head:
        return "application/octet-stream"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not just a character cut at the end of the head
            return "application/octet-stream"
        text = head[: error.start].decode("utf-8")
    lowered = text.lstrip("\ufeff \t\r\n").lower().encode()
    if lowered.startswith(b"<svg") or (lowered.startswith(b"<?xml") and b"<svg" in lowered):
        return "image/svg+xml"
    if lowered.startswith(_MARKUP):
        return "text/html" if not lowered.startswith(b"<?xml") else "application/xml"
    if lowered[:1] in (b"{", b"["):
        return "application/json"
    return "text/plain"
