"""One router per resource; `ROUTERS` is what the app factory mounts (add new resources here)."""

from fastapi import APIRouter

from mirrorball.web.api import auth, health, live

ROUTERS: list[APIRouter] = [health.router, auth.router, live.router]
