"""IciContainer (9.5): subscriptions to phone lines, folders, chat lines and inboxes."""
