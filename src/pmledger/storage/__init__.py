"""Where the ledger's records are kept: every table beside eventsourcing's, and the address
of the database that holds them."""
