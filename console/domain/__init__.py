"""Pure-Python core: entities, rules and validation. No Qt, no SQL."""
