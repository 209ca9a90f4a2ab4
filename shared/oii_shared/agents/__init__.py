"""Live agent state shared by every service (KV bucket ``oii_agents``)."""
