"""OII action service: action items (IciActionItem, IciItem for action items)."""
