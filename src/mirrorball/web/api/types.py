"""Request field types shared by the routers: ids within what both databases store (32-bit)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2**31 - 1

#: A row id in a URL path.
PathId = Annotated[int, Path(ge=1, le=MAX_ID, examples=[1])]
#: A row id in a request body.
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A count or small number in a request body (recall sizes, seeds).
Count = Annotated[int, Field(ge=0, le=MAX_ID)]
