"""IciUser (9.2): agents' workmode, channels, queues, addresses and user subscriptions."""
