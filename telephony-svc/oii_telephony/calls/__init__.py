"""Phone call items: their model, state machine, storage and every operation on them."""
