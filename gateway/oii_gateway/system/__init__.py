"""IciSystem operations answered by the gateway itself (spec 9.1.1 to 9.1.4)."""
