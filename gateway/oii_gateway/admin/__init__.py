"""The local-only admin operations of ``OII.asmx`` (spec 3.4.1)."""
