"""One module per procedure; each exports PACK."""
