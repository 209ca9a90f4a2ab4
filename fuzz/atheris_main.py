"""``python -m fuzz.atheris_main TARGET WORK_DIR [libFuzzer arguments...]``: one harness.

The modules of the suite (``oii_*``) are imported under atheris' instrumentation, so
that the fuzzer is guided by the branches of our code; lxml and the other libraries
are not instrumented.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

from fuzz.targets import TARGETS


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in TARGETS:
        raise SystemExit(f"usage: python -m fuzz.atheris_main {{{','.join(TARGETS)}}} WORK_DIR ...")
    name, work_dir, libfuzzer_args = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    with atheris.instrument_imports(include=["oii_shared", "oii_gateway", "oii_telephony"]):
        from fuzz.targets import harness

        one_input = harness(name).setup(work_dir)
    atheris.Setup([sys.argv[0], *libfuzzer_args], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
