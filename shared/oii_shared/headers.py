"""HTTP headers the suite's own processes set on their requests to each other."""

from __future__ import annotations

# Every event POST of the notifier carries it: the gateway refuses such a request on its
# admin and operator paths, so no event URL can ever drive an admin operation.
EVENT_DELIVERY_HEADER = "X-OII-Event-Delivery"
# The gateway's proof, on every request it sends an internal service (OII_INTERNAL_TOKEN):
# their ports answer nobody else, so the gateway's filters cannot be walked around.
INTERNAL_TOKEN_HEADER = "X-OII-Internal-Token"  # noqa: S105 - a header name
