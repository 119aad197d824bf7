"""Per-case, per-category encryption of personal content (crypto-shredding)."""
