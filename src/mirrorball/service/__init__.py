"""Use cases: each composes the store and the scoring engines for one thing a person wants done."""
