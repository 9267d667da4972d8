"""Use cases: each composes the store and the scoring engines for one thing a person wants done.

Server use cases take a Session from their caller (web, cli), which opens the transaction
(`mirrorball.store.db.transaction`); they never commit, so a use case is all-or-nothing.
"""
