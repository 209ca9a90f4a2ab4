"""The status page as plain server-rendered HTML (spec 3.4.2)."""

from __future__ import annotations

from oii_gateway.status.snapshot import ServiceLine, StatusSnapshot
from oii_shared.soap.text import escape

_STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
    "td{border:1px solid #ccc;padding:.3em .8em;vertical-align:top}"
    "td:first-child{font-weight:bold;white-space:nowrap}.down{color:#b00}.up{color:#070}"
)


def render_status_page(snapshot: StatusSnapshot) -> str:
    objects = " ".join(f"{name}:{value}" for name, value in snapshot.objects.items())
    rows = [
        ("Title", escape(snapshot.title)),
        ("Version", escape(snapshot.version)),
        ("Instance", escape(snapshot.instance)),
        ("Application state", escape(snapshot.application_state)),
        ("NATS state", escape(snapshot.nats_state)),
        ("Database state", escape(snapshot.database_state)),
        ("Objects", escape(objects)),
        ("Services", _services(snapshot.services)),
        ("Events to CRM", escape(snapshot.events)),
        ("Server time", f"{snapshot.server_time:%Y-%m-%d %H:%M:%S.%f}"[:-3]),
        ("Server UTC time", f"{snapshot.server_utc_time:%Y-%m-%d %H:%M:%S.%f}"[:-3]),
        ("Log file", escape(snapshot.log_file)),
        ("Log level", escape(snapshot.log_level)),
        ("Last Err", escape(snapshot.last_error)),
    ]
    body = "".join(f"<tr><td>{name}</td><td>{value}</td></tr>" for name, value in rows)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="60">'
        f"<title>{escape(snapshot.title)} Status</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(snapshot.title)} Status</h1><table>{body}</table></body></html>"
    )


def _services(services: list[ServiceLine]) -> str:
    lines = []
    for service in services:
        state = "up" if service.ok else "down"
        uptime = f", up {service.uptime_s:.0f} s" if service.uptime_s is not None else ""
        detail = f": {escape(service.detail)}" if service.detail else ""
        lines.append(
            f'<span class="{state}">{escape(service.name)} {state.upper()}</span>{uptime}{detail}'
        )
    return "<br>".join(lines)
