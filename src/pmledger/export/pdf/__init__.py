"""bundle.pdf: the hearing bundle a tribunal, a solicitor or the employee reads."""
