"""A temporary file that holds fetched conversation objects while a source streams them: only a small index
(id → updated_at, offset, length) stays in memory, whatever the window's size."""

from __future__ import annotations

import json
import tempfile
from typing import Any, Iterator

from feedback_assets.sources.base import timestamp_seconds


class DetailSpool:
    """Fetched details in a temporary file, indexed by id (updated_at, offset, length); a replaced or
    dropped detail leaves dead bytes behind, which is fine for one fetch."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._index: dict[str, tuple[float, int, int]] = {}

    def __len__(self) -> int:
        return len(self._index)

    def __setitem__(self, conversation_id: str, detail: dict[str, Any]) -> None:
        data = json.dumps(detail, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
        offset = self._file.seek(0, 2)
        self._file.write(data)
        self._index[conversation_id] = (timestamp_seconds(detail["updated_at"]), offset, len(data))

    def updated_at(self, conversation_id: str) -> float | None:
        entry = self._index.get(conversation_id)
        return None if entry is None else entry[0]

    def pop(self, conversation_id: str, default: object = None) -> object:
        return self._index.pop(conversation_id, default)

    def entries(self) -> list[tuple[float, str, tuple[int, int]]]:
        return [(updated_at, key, (offset, length)) for key, (updated_at, offset, length) in self._index.items()]

    def read(self, entries: list[tuple[float, str, tuple[int, int]]]) -> Iterator[dict[str, Any]]:
        for _, _, (offset, length) in entries:
            self._file.seek(offset)
            yield json.loads(self._file.read(length).decode("utf-8", errors="surrogatepass"))

    def close(self) -> None:
        self._index.clear()
        self._file.close()
