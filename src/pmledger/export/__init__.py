"""Case bundles for tribunals and solicitors: a PDF to read and a zip to verify offline.

Export sits above the Ledger and never below it: nothing in the domain (events, packs,
projections) imports this package, so the record never depends on how it is presented.
"""
