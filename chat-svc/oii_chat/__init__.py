"""OII chat service: chat (IciChatLine, IciChatSession, IciItem for chats)."""
