"""The event catalogue: what a case can record, as frozen pydantic models."""
