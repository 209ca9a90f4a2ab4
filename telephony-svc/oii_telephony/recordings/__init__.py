"""Call recordings: the log the call engine writes, IciSystem.getCallRecordings (spec 9.1.5)."""
