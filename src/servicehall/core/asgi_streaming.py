"""Streaming under ASGI (uvicorn): Django consumes a synchronous streaming response — a static file from
WhiteNoise, a FileResponse download — in the event loop, warning "StreamingHttpResponse must consume
synchronous iterators". This middleware (outermost) hands such a response to the server as an async
iterator that reads each chunk in a worker thread, so the file is streamed and the loop is not blocked.
Under WSGI (gunicorn, runserver) it changes nothing. The hall display stream is async under ASGI already.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponseBase


def _next_chunk(iterator: Iterator[bytes]) -> bytes | None:
    return next(iterator, None)


async def chunks_async(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    iterator = iter(chunks)
    read = sync_to_async(_next_chunk, thread_sensitive=False)
    while (chunk := await read(iterator)) is not None:
        yield chunk


class AsyncStreamingUnderASGI:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            isinstance(request, ASGIRequest)
            and response.streaming
            and not getattr(response, "is_async", False)
        ):
            response.streaming_content = chunks_async(response.streaming_content)  # type: ignore[attr-defined]
        return response
