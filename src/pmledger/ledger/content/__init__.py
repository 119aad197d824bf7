"""Personal content at rest: the data-key table behind crypto-shredding."""
