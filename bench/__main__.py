"""``python -m bench [mode] [options]``: the benchmark modes; ``--help`` of each tells more.

busy-hour (default)  a contact center's busy hour against the embedded stack
action               CRM routes action items, agents accept and end them
compare              IciUser.getAttributes: gateway vs spyne vs one-hop ceiling
login                10,000 agents log in and subscribe: time and memory
soap                 request throughput of three SOAP paths (local, forwarded, direct)
"""

from __future__ import annotations

import importlib
import sys

MODES = {
    "busy-hour": "bench.busy_hour",
    "action": "bench.action_load",
    "compare": "bench.compare",
    "login": "bench.login_storm",
    "soap": "bench.soap_load",
}


def main() -> None:
    args = sys.argv[1:]
    mode = "busy-hour"
    if args and args[0] in MODES:
        mode, args = args[0], args[1:]
    elif (args and args[0] in ("-h", "--help")) or (args and not args[0].startswith("-")):
        print(__doc__)
        raise SystemExit(0 if args[0] in ("-h", "--help") else 2)
    importlib.import_module(MODES[mode]).main(args)


main()
