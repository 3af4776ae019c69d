"""Recognising what a file or zip member is by its bytes (never by its name), and atomic writes."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import tempfile
import zipfile
import zlib
from pathlib import Path

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# What reading a damaged, encrypted or exotic zip raises: such a zip cannot be scrubbed.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    EOFError,
    ValueError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
    OSError,
)
GZIP_MAGIC = b"\x1f\x8b"
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13}


def is_zip(data: bytes) -> bool:
    """True when `data` starts like a zip archive (an attachment that lost its `.zip`, too)."""
    return data.startswith(ZIP_MAGICS)


def is_gzip(data: bytes) -> bool:
    return data.startswith(GZIP_MAGIC)


def as_text(data: bytes) -> str | None:
    """`data` decoded as UTF-8 when it looks like text (no NULs, few control bytes), else None."""
    if b"\0" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    sample = data[:4096]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return text if controls <= len(sample) // 100 else None


def gunzip(data: bytes, limit: int = 256 * 1024 * 1024) -> bytes | None:
    """The decompressed body of a gzip stream (up to `limit` bytes), or None when corrupt."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            return stream.read(limit)
    except (OSError, EOFError, zlib.error):
        return None


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` through a temporary file in the same folder (mkstemp makes it
    0600: evidence is for its owner only, see `_owner_only`)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
