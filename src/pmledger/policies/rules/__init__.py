"""Reusable rule kinds that packs parameterise with their own limits, roles and sources."""
