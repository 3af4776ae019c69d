"""Every byte a run left, opened up: files, zip members (nested too) and gzip streams; and a
search of those bytes for every spelling of some secrets. Independent of the bot's own scanner:
the tests check the bot with this, not with itself."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest


def streams(path: Path) -> Iterator[tuple[str, bytes]]:
    """(where, bytes) for every file under `path` and, inside them, every zip member and gzip
    stream (recursively): what a byte scan must look at."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for item in files:
        yield from expand(str(item), item.read_bytes())


def expand(where: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    yield where, data
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:  # unreadable: the test errors, loudly
            for info in archive.infolist():
                yield from expand(f"{where}!{info.filename}", archive.read(info))
    elif data.startswith(b"\x1f\x8b"):
        try:
            inflated = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pytest.fail(f"{where}: a gzip stream that cannot be read cannot be proven clean")
        yield from expand(f"{where}!<gzip>", inflated)


def found_in(sources: Iterable[tuple[str, bytes]], spellings: dict[str, set[str]]) -> list[str]:
    """'where: which secret (which spelling, by number)' for every spelling found; [] = clean."""
    assert all(spellings.values()), "a secret without spellings cannot be searched for"
    ordered = {name: sorted(forms) for name, forms in spellings.items()}
    hits = []
    for where, data in sources:
        for name, forms in ordered.items():
            for number, form in enumerate(forms):
                if form.encode("utf-8") in data:
                    hits.append(f"{where}: {name} (spelling #{number} of {len(forms)})")
    return hits
