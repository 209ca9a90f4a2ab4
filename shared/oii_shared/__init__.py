"""Library shared by every OII service."""

PRODUCT_NAME = "OII"
PRODUCT_VERSION = "0.1.0"
