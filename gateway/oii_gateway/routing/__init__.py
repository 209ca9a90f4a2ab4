"""Routing of ICI requests from the one CRM URL to the service that owns them."""
