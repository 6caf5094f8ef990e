"""One JSON error shape for every failure: {"error": {"status", "code", "message",
"parameter"}}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from sitroom.errors import SitroomError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter


def error_body(status: int, code: str, message: str, parameter: str | None = None) -> dict:
    return {"error": {"status": status, "code": code, "message": message, "parameter": parameter}}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.status, exc.code, exc.message, exc.parameter), status_code=exc.status
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        # ("query", "quad", 0): the parameter is "quad" (its first item was bad)
        loc = [p for p in first.get("loc", ()) if p not in ("query", "path", "body", "header")]
        name = next((str(p) for p in loc if isinstance(p, str)), None)
        message = f"bad parameter {name}: {first.get('msg', 'invalid')}" if name else "bad request"
        return JSONResponse(error_body(422, "bad_parameter", message, name), status_code=422)

    @app.exception_handler(SitroomError)
    async def _domain(_: Request, exc: SitroomError) -> JSONResponse:
        return JSONResponse(error_body(400, "bad_request", str(exc)), status_code=400)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> JSONResponse:
        code = {401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            error_body(exc.status_code, code, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
