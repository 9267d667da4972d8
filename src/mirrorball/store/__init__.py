"""Storage: tables, migrations and the database engine (SQLite by default, PostgreSQL by URL).

`store` knows tables and transactions, not rules (DESIGN.md): nothing here decides a place or a recall.
"""
