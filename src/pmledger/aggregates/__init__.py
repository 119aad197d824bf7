"""aggregates layer."""
