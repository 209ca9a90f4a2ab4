"""Runs the real supervisor, as ``python -m oii_shared.embedded`` does, on a stand-in catalog.

STAND_IN_LAYOUT (JSON) names the module of the gateway, of each internal service
and of init, and the startup and stop timeouts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys

from oii_shared.embedded.catalog import Catalog, JobSpec, ServiceSpec
from oii_shared.embedded.options import StackOptions
from oii_shared.embedded.supervisor import run_stack


def main() -> int:
    layout = json.loads(os.environ["STAND_IN_LAYOUT"])
    catalog = Catalog(
        gateway=ServiceSpec("gateway", layout["gateway"], "gateway"),
        internal=tuple(
            ServiceSpec(name, module, name, f"OII_{name.upper()}_URL")
            for name, module in layout["internal"].items()
        ),
        init=JobSpec("init", layout["init"], "gateway"),
    )
    options = dataclasses.replace(
        StackOptions.from_env(os.environ),
        startup_timeout_s=layout.get("startup_timeout_s", 30.0),
        stop_timeout_s=layout.get("stop_timeout_s", 1.0),
        restart_pauses_s=tuple(layout.get("restart_pauses_s", (0.2, 0.4))),
        crash_limit=layout.get("crash_limit", 5),
        crash_window_s=layout.get("crash_window_s", 60.0),
    )
    return asyncio.run(run_stack(options, catalog))


if __name__ == "__main__":
    sys.exit(main())
