"""Audit services over stored rows: integrity verification."""
