"""The embedded stack: ``python -m oii_shared.embedded`` runs the whole suite on 127.0.0.1."""
