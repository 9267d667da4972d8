"""The HTTP side: the FastAPI app, one router per resource, roles, live events. Thin over `service`."""
