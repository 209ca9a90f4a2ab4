"""Connectors to a telephone network."""
