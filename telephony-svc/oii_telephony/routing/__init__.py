"""Queues and the allocation of waiting calls to agents."""
