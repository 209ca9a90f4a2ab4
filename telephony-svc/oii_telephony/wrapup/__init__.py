"""Wrap-up rules of phone calls."""
