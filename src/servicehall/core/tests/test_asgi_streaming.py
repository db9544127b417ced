"""Under ASGI a file response streams without Django's "must consume synchronous iterators" warning (部署)."""

from __future__ import annotations

import asyncio
import io
import warnings

from django.http import FileResponse
from django.test import AsyncRequestFactory, RequestFactory

from servicehall.core.asgi_streaming import AsyncStreamingUnderASGI


def _file_response(request):
    return FileResponse(io.BytesIO(b"x" * 200_000), content_type="text/css")


def test_asgi_file_response_becomes_async_and_streams_every_byte_without_warning():
    response = AsyncStreamingUnderASGI(_file_response)(AsyncRequestFactory().get("/static/site.css"))
    assert response.is_async

    async def consume() -> bytes:
        return b"".join([part async for part in response.streaming_content])

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django's warning would fail the test
        body = asyncio.run(consume())
    assert body == b"x" * 200_000


def test_wsgi_response_is_left_alone():
    response = AsyncStreamingUnderASGI(_file_response)(RequestFactory().get("/static/site.css"))
    assert not response.is_async
    assert b"".join(response.streaming_content) == b"x" * 200_000
