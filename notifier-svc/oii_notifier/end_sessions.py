"""``python -m oii_notifier.end_sessions``: the operator ends every CRM session before a stop.

Run where the notifier runs (``docker compose exec notifier python -m
oii_notifier.end_sessions`` before ``docker compose down``): every session gets
subscriptionEnded (reason 1, "subscribe again") and the subscriptions are
removed. A notifier that stops or restarts by itself keeps them all; the embedded
stack (``make run``) does this itself when the operator stops it.
"""

from __future__ import annotations

import json
import sys
import urllib.request

from oii_shared.headers import INTERNAL_TOKEN_HEADER
from oii_shared.paths import END_SESSIONS
from oii_shared.settings import Settings

TIMEOUT_S = 15


def main() -> int:
    settings = Settings()
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    request = urllib.request.Request(
        f"http://{host}:{settings.port}{END_SESSIONS}",
        method="POST",
        headers={INTERNAL_TOKEN_HEADER: settings.internal_token},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:  # noqa: S310
            ended = json.loads(answer.read())["sessions_ended"]
    except OSError as error:
        print(f"the notifier did not end the sessions: {error}", file=sys.stderr)
        return 1
    print(f"subscriptionEnded sent, subscriptions removed: {ended} session(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
