"""OII messaging service: e-mail (IciFolder, IciMessage, IciItem for messages)."""
