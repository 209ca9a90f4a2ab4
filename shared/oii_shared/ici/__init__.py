"""ICI as data: interfaces, operations, content types, status and capability tables."""
