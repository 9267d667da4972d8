"""Voting's own machinery that is neither a table nor a use case: receipts, voter identity, rate limits.

The vote tables live in `mirrorball.store.votes`, the use cases in `mirrorball.service.votes`, the HTTP
API and the vote page in `mirrorball.web.votes`; the cap rules themselves in `mirrorball.scoring.votes`.
"""
