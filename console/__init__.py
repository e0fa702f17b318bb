"""12345 Hotline Console."""
