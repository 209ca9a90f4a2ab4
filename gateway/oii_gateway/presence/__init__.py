"""IciSystem presence: getPresenceQueueInfo (9.1.3) and getUserPresence (9.1.4)."""
