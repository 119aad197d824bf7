"""integrity layer."""
