"""Configuration tables, engines, migrations and queries."""
