"""Logging set-up shared by the services, with the last error kept for the status page."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from oii_shared.redaction import redact_text

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(slots=True)
class LastError:
    at: float = 0.0
    text: str = ""
    count: int = 0


class LastErrorHandler(logging.Handler):
    """Remembers the most recent ERROR record (spec 3.4.2 shows "Last Err")."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.last = LastError()

    def emit(self, record: logging.LogRecord) -> None:
        self.last.at = time.time()
        self.last.text = redact_text(f"{record.name}: {record.getMessage()}"[:500])
        self.last.count += 1


class RedactingFormatter(logging.Formatter):
    """Every line without credentials (see oii_shared.redaction), tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return redact_text(super().format(record))


def configure_logging(level: str) -> LastErrorHandler:
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    stream = logging.StreamHandler()
    stream.setFormatter(RedactingFormatter(LOG_FORMAT))
    root.addHandler(stream)
    last_error = LastErrorHandler()
    root.addHandler(last_error)
    set_level(level)
    return last_error


def set_level(level: str) -> str:
    name = normalize_level(level)
    logging.getLogger().setLevel(name)
    return name


def normalize_level(level: str) -> str:
    name = level.strip().upper()
    aliases = {"WARN": "WARNING", "TRACE": "DEBUG", "TRC": "DEBUG", "INF": "INFO", "ERR": "ERROR"}
    name = aliases.get(name, name)
    if name not in LEVELS:
        raise ValueError(f"unknown log level {level!r}; use one of {', '.join(LEVELS)}")
    return name
