"""NATS helpers: connection, JetStream topology, KV compare-and-set, events.

Import the flat modules directly (``from oii_shared.bus.kv import cas_update``).
"""
