"""Checkpoints: the Merkle tree over the whole log and its signed tree heads."""
