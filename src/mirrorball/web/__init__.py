"""The web layer: the HTTP API, the server-rendered pages and the live event streams."""
