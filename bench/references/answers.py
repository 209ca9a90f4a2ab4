"""The gateway's captured answers a reference serves: one file, or a folder of them."""

from __future__ import annotations

from pathlib import Path


def answer_files(path: Path) -> list[Path]:
    """``path`` itself, or every file in the folder ``path``, in name order."""
    return sorted(path.iterdir()) if path.is_dir() else [path]
