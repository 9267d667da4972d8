"""Every error is a JSON body `{"error": {"code", "message", "where"}}` with a 4xx status.

`where` names what to fix (judge, dance, couple, line, field). Engine and file errors
(ScoringError, InputError) are the client's input: 422, never a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mirrorball.formats.errors import InputError
from mirrorball.scoring.errors import ScoringError
from mirrorball.service import errors as service_errors

log = logging.getLogger(__name__)

STATUS = {
    service_errors.NotFound: 404,
    service_errors.Conflict: 409,
    service_errors.Invalid: 422,
    service_errors.Forbidden: 403,
    service_errors.Unauthenticated: 401,
    service_errors.TooManyAttempts: 429,
}


class ErrorDetail(BaseModel):
    code: str
    message: str
    where: dict[str, Any] = Field(default_factory=dict)


class ErrorBody(BaseModel):
    error: ErrorDetail


# Declared on every route so the OpenAPI document (and schemathesis) knows the error shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 404, 409, 422)
}


def error_response(status: int, code: str, message: str, where: dict[str, Any] | None = None) -> JSONResponse:
    where = {key: value for key, value in (where or {}).items() if value is not None}
    body = ErrorBody(error=ErrorDetail(code=code, message=message, where=where))
    return JSONResponse(body.model_dump(), status_code=status)


def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, service_errors.ServiceError)
    response = error_response(STATUS.get(type(exc), 400), exc.code, exc.message, exc.where)
    if isinstance(exc, service_errors.TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def _scoring_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ScoringError)
    where = {"judge": exc.judge, "dance": exc.dance, "couple": exc.couple}
    return error_response(422, "invalid_marks", exc.describe(), where)


def _input_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    where = {"source": exc.source, "line": exc.line, "field": exc.field}
    return error_response(422, "invalid_input", exc.describe(), where)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = exc.errors()
    first = problems[0] if problems else {"loc": (), "msg": "invalid request"}
    location = ".".join(str(part) for part in first.get("loc", ()))
    message = f"{location}: {first.get('msg', 'invalid')}" if location else str(first.get("msg"))
    return error_response(422, "invalid_request", message, {"field": location, "problems": len(problems)})


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {401: "unauthenticated", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
    response = error_response(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    # A race the use case's own checks could not see (two requests creating the same thing at once):
    # the database refused the second; nothing was written.
    log.info("integrity error: %s", exc)
    return error_response(409, "conflict", "this conflicts with something stored meanwhile; reload and retry")


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return error_response(500, "internal", "unexpected server error; the scrutineer's data is unchanged")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(service_errors.ServiceError, _service_error)
    app.add_exception_handler(ScoringError, _scoring_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(Exception, _unexpected)
