"""OII notifier service: event delivery to CRM (IciEvent)."""
