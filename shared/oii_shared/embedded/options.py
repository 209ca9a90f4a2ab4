"""What ``python -m oii_shared.embedded`` reads from its environment."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from oii_shared.embedded.catalog import StackSecrets

DEFAULT_GATEWAY_PORT = 8080


@dataclass(frozen=True)
class StackOptions:
    data_dir: Path
    gateway_port: int = DEFAULT_GATEWAY_PORT
    config: Path | None = None
    log_level: str = "INFO"
    # Empty: SQLite under data_dir.
    database_url: str = ""
    nats_server_bin: Path | None = None
    host: str = "127.0.0.1"
    # Internal services always listen on loopback; the gateway may face CRM.
    gateway_host: str = "127.0.0.1"
    startup_timeout_s: float = 60.0
    stop_timeout_s: float = 10.0
    nats_stop_timeout_s: float = 30.0
    # A dead child is started again after these pauses in turn (the last one repeats);
    # more than ``crash_limit`` deaths of one child within ``crash_window_s`` end the stack.
    restart_pauses_s: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0)
    crash_limit: int = 5
    crash_window_s: float = 60.0
    python: str = sys.executable
    # Every console line is copied here; None means <data_dir>/logs/oii.log.
    log_file: Path | None = None
    # The log file is rotated past this size; rotated files are kept this long (LogKeepLogDays).
    log_max_bytes: int = 10 * 1024 * 1024
    log_keep_days: float = 14.0
    secrets: StackSecrets = field(default_factory=lambda: StackSecrets.from_env({}))

    @property
    def gateway_probe_host(self) -> str:
        """Where the supervisor reaches the gateway (a wildcard bind answers on loopback)."""
        return self.host if self.gateway_host in {"0.0.0.0", "::", ""} else self.gateway_host

    @property
    def resolved_log_file(self) -> Path:
        return self.log_file or self.data_dir / "logs" / "oii.log"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'oii.sqlite3'}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> StackOptions:
        """Read ``OII_GATEWAY_PORT``, ``OII_DATA_DIR``, ``OII_CONFIG``, ``OII_LOG_LEVEL``,
        ``OII_DATABASE_URL``, ``OII_NATS_SERVER_BIN``, ``OII_LOG_FILE``, ``OII_LOG_MAX_BYTES``,
        ``OII_LOG_KEEP_DAYS`` and ``OII_GATEWAY_HOST``; raise ValueError on bad values."""
        port_text = environ.get("OII_GATEWAY_PORT") or str(DEFAULT_GATEWAY_PORT)
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise ValueError(f"OII_GATEWAY_PORT must be a port number, not {port_text!r}")
        config = environ.get("OII_CONFIG")
        nats_bin = environ.get("OII_NATS_SERVER_BIN")
        log_file = environ.get("OII_LOG_FILE")
        return cls(
            # Absolute, because children get these paths and stack.json shows them.
            data_dir=Path(environ.get("OII_DATA_DIR") or "var").resolve(),
            gateway_port=int(port_text),
            config=Path(config).resolve() if config else None,
            log_level=environ.get("OII_LOG_LEVEL") or "INFO",
            database_url=environ.get("OII_DATABASE_URL", ""),
            nats_server_bin=Path(nats_bin) if nats_bin else None,
            log_file=Path(log_file).resolve() if log_file else None,
            log_max_bytes=int(_positive(environ, "OII_LOG_MAX_BYTES", "10485760")),
            log_keep_days=_positive(environ, "OII_LOG_KEEP_DAYS", "14"),
            gateway_host=environ.get("OII_GATEWAY_HOST") or "127.0.0.1",
            secrets=StackSecrets.from_env(environ),
        )


def _positive(environ: Mapping[str, str], name: str, default: str) -> float:
    text = environ.get(name) or default
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise ValueError(f"{name} must be a positive number, not {text!r}")
    return value
