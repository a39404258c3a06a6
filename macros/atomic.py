"""One way to write a cache or build file that concurrent builds may read: a temporary file of
this process and thread, then a rename, so a reader sees the old file or the whole new one."""
from __future__ import annotations

import os
import threading
from pathlib import Path


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
