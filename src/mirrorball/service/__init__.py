"""Use cases: each one a single transaction over the store, using the scoring engines, audited.

Callers (web, cli) open the transaction (`mirrorball.store.db.transaction`) and pass the session in;
a service function never commits, so a use case is all-or-nothing.
"""
