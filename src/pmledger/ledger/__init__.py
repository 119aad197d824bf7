"""The application layer: the Ledger facade over eventsourcing storage."""
