"""Phone lines and the configuration telephony reads (users, queues, parameters)."""
