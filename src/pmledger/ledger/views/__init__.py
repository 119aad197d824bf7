"""Stored read models: case views kept current from the log with eventsourcing tracking."""
