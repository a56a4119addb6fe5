"""Zip archives whose bytes depend only on their contents (fixed entry times and permissions).

Word, Excel and the agreement pack are zip files; the same model must give the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from typing import Iterable

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def zip_entries(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A deflated archive of ``(name, data)`` entries, in the order given."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return out.getvalue()


def with_fixed_times(data: bytes) -> bytes:
    """The same archive rewritten with fixed entry times (for writers that stamp the current time)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        return zip_entries((info.filename, src.read(info.filename)) for info in src.infolist())
