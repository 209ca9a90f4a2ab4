"""``python -m oii_shared.embedded`` (what ``make run`` runs): the whole suite, supervised."""

from __future__ import annotations

import asyncio
import os
import sys

from oii_shared.embedded.catalog import default_catalog
from oii_shared.embedded.options import StackOptions
from oii_shared.embedded.supervisor import run_stack
from oii_shared.settings import OWNER_ONLY_UMASK


def main() -> int:
    # The data directory holds the database, JetStream, secrets and logs: the owner's only.
    os.umask(OWNER_ONLY_UMASK)
    try:
        options = StackOptions.from_env(os.environ)
    except ValueError as error:
        print(f"oii: {error}", file=sys.stderr)
        return 2
    return asyncio.run(run_stack(options, default_catalog()))


if __name__ == "__main__":
    sys.exit(main())
