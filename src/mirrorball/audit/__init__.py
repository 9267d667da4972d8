"""The append-only, hash-chained audit log: appending (`chain`) and checking (`verify`)."""
