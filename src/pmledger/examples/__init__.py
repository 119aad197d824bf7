"""Realistic example histories, used by the demo and by tests that need a lived-in ledger."""
