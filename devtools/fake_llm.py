"""Fake OpenAI-compatible chat-completions server (asyncio, stdlib only) for tests and benches."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import functools
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

Json = dict[str, Any]
Responder = Callable[[Json], "Script | None"]
_ids = itertools.count(1)


class _Close(Exception):
    """Drop the connection without finishing the response."""


class _ClientGone(Exception):
    """The client disconnected before the response was complete."""


def split(text: str, n: int) -> list[str]:
    """Split ``text`` into ``n`` pieces at word starts (anywhere if there are too few words)."""
    words = re.split(r"(?<=\s)(?=\S)", text)
    units = words if len(words) >= n else list(text)
    n = max(1, min(n, len(units)))
    return ["".join(units[i * len(units) // n : (i + 1) * len(units) // n]) for i in range(n)]


# What a bare chunk (Script.bare_text) leaves out.
BARE_OMITS = frozenset({"created", "model", "system_fingerprint"})


@dataclass
class Script:
    """One scripted reply, consumed by one chat request. Build it with the classmethods."""

    kind: str = "text"  # text | tool_calls | error | hang
    chunks: list[str] = field(default_factory=list)
    calls: list[Json] = field(default_factory=list)  # {"id", "name", "arguments", "parts"}
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float | None = None  # seconds before each content chunk; None: the server's default
    fault: str | None = None  # "malformed" | "cut", injected after `fault_after` content chunks
    fault_after: int = 1
    hang_seconds: float = 300.0
    # Streamed chunks without `created`, `model` and `system_fingerprint`, as some
    # OpenAI-compatible servers send them (the SDK's types require the first two).
    bare: bool = False

    @classmethod
    def text(cls, text: str | list[str], chunks: int = 3, delay: float | None = None) -> Script:
        """Reply ``text`` split into ``chunks`` pieces, or exactly the given list of pieces."""
        pieces = list(text) if isinstance(text, list) else split(text, chunks)
        return cls(chunks=pieces, delay=delay)

    @classmethod
    def json(cls, obj: Any, chunks: int = 1, delay: float | None = None) -> Script:
        """Reply with ``obj`` serialised as the message content (for ``response_format``)."""
        return cls.text(json.dumps(obj), chunks, delay)

    @classmethod
    def tool_calls(
        cls, calls: list[tuple[str, Any]], chunks: int = 3, delay: float | None = None
    ) -> Script:
        """Reply with tool calls ``[(function_name, arguments_dict_or_json_str), ...]``."""
        made = []
        for name, args in calls:
            arguments = args if isinstance(args, str) else json.dumps(args or {})
            call = {"id": f"call_fake{next(_ids)}", "name": name, "arguments": arguments}
            made.append(call | {"parts": split(arguments, chunks)})
        return cls(kind="tool_calls", calls=made, delay=delay)

    @classmethod
    def tool_call(cls, name: str, arguments: Any = None, chunks: int = 3) -> Script:
        return cls.tool_calls([(name, arguments)], chunks)

    @classmethod
    def error(
        cls, status: int = 500, message: str = "fake error", retry_after: float | None = None
    ) -> Script:
        headers = {} if retry_after is None else {"retry-after": f"{retry_after:g}"}
        return cls(kind="error", status=status, headers=headers, chunks=[message])

    @classmethod
    def hang(cls, seconds: float = 300.0) -> Script:
        """Read the request, then send nothing until the client leaves or ``seconds`` pass."""
        return cls(kind="hang", hang_seconds=seconds)

    @classmethod
    def malformed(cls, after: int = 1, text: str = "partial answer then junk") -> Script:
        """Stream ``after`` chunks, then ``data: {not json`` (non-streaming: a broken body)."""
        return dataclasses.replace(cls.text(text), fault="malformed", fault_after=after)

    @classmethod
    def bare_text(cls, text: str, chunks: int = 3) -> Script:
        """Reply ``text`` in streamed chunks that leave out fields OpenAI's own server sends."""
        return dataclasses.replace(cls.text(text, chunks), bare=True)

    @classmethod
    def cut(cls, after: int = 1, text: str = "partial answer then a cut") -> Script:
        """Stream ``after`` chunks, then close the socket without ``[DONE]`` (or mid-body)."""
        return dataclasses.replace(cls.text(text), fault="cut", fault_after=after)


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: Any  # parsed JSON, or None


def sample_for_schema(schema: Json, root: Json | None = None, depth: int = 0) -> Any:
    """A minimal value satisfying simple JSON schemas (objects, arrays, enums, $ref, scalars)."""
    root = schema if root is None else root
    for _ in range(10):  # follow $ref and the first branch of anyOf/oneOf/allOf
        if "$ref" in schema:
            path = schema["$ref"].removeprefix("#/").split("/")
            schema = functools.reduce(lambda node, key: node.get(key, {}), path, root)
        elif branches := schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf"):
            schema = branches[0]
        else:
            break
    if "const" in schema or schema.get("enum"):
        return schema.get("const", schema.get("enum", [None])[0])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" and depth < 10:
        props = schema.get("properties", {})
        return {k: sample_for_schema(v, root, depth + 1) for k, v in props.items()}
    if kind == "array" and depth < 10:
        item = sample_for_schema(schema.get("items", {}), root, depth + 1)
        return [item] * schema.get("minItems", 0)
    return {"string": "fake", "integer": 0, "number": 0.0, "boolean": False}.get(kind)


def last_user_text(body: Json) -> str:
    for msg in reversed(body.get("messages") or []):
        if msg.get("role") == "user":
            content = msg.get("content") or ""
            if isinstance(content, list):
                return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
            return str(content)
    return ""


def _frame(text: str) -> bytes:
    """One HTTP/1.1 chunked-encoding frame."""
    data = text.encode()
    return b"%x\r\n%s\r\n" % (len(data), data)


def _head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", "x-request-id: fake"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _send_json(writer: asyncio.StreamWriter, status: int, payload: Any, **hdrs: str) -> None:
    data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"content-type": "application/json", "content-length": str(len(data))} | hdrs
    writer.write(_head(status, headers) + data)
    await writer.drain()


async def _until_eof(reader: asyncio.StreamReader) -> None:
    """Ends when the client closes: an HTTP/1.1 client sends nothing while awaiting a response."""
    with contextlib.suppress(ConnectionError):
        while await reader.read(65536):
            pass


class FakeLLM:
    """Fake OpenAI server: queued scripts are used FIFO, then ``responder``, then a default."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        chunks: int = 3,
        chunk_delay: float = 0.0,
        model: str = "fake-model",
        responder: Responder | None = None,
    ) -> None:
        self.host, self.port, self.model = host, port, model
        self.chunks, self.chunk_delay, self.responder = chunks, chunk_delay, responder
        self.scripts: deque[Script] = deque()
        self.requests: list[Recorded] = []
        self.open_connections = 0  # chat responses in flight (not finished yet)
        self.max_open_connections = 0
        self.open_sockets = 0  # TCP connections, idle keep-alive ones included
        self.sockets_accepted = 0
        self.cancelled_streams = 0  # responses the client abandoned before they completed
        self._server: asyncio.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/v1"

    @property
    def chat_requests(self) -> list[Json]:
        return [r.body for r in self.requests if r.path.endswith("/chat/completions")]

    def push(self, *scripts: Script) -> None:
        self.scripts.extend(scripts)

    def reset(self) -> None:
        self.scripts.clear()
        self.requests.clear()
        self.max_open_connections = self.cancelled_streams = 0

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Poll ``predicate`` until true (returns True) or ``timeout`` seconds (returns False)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    async def open(self) -> None:
        """Listen on the running loop (``start`` does this on a thread of its own)."""
        self._server = await asyncio.start_server(self._handle, self.host, self.port, backlog=4096)
        self.port = self._server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        if self._server:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.sleep(0)

    def start(self) -> FakeLLM:
        ready = threading.Event()

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(self.open())
            finally:
                ready.set()
            loop.run_forever()
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-llm", daemon=True)
        self._thread.start()
        if not ready.wait(10) or self._server is None:
            raise RuntimeError("fake LLM server failed to start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self.close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = self._thread = self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.open_sockets += 1
        self.sockets_accepted += 1
        try:
            while await self._serve_one(reader, writer):
                pass
        except (_Close, ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except asyncio.CancelledError:  # close(): ending quietly avoids noise from asyncio.streams
            pass
        finally:
            self.open_sockets -= 1
            self._tasks.discard(task)
            writer.transport.abort()

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        method, target, _ = head[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:])}
        raw = await reader.readexactly(int(headers.get("content-length") or 0))
        path = target.split("?", 1)[0].rstrip("/")
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self.requests.append(Recorded(method, path, headers, body))
        if method == "POST" and path.endswith("/chat/completions") and isinstance(body, dict):
            await self._chat(body, reader, writer)
        elif method == "GET" and path.endswith("/models"):
            model = {"id": self.model, "object": "model", "created": 0, "owned_by": "fake"}
            await _send_json(writer, 200, {"object": "list", "data": [model]})
        else:
            error = {"message": f"no fake route for {method} {path}", "type": "invalid_request"}
            await _send_json(writer, 404, {"error": error})
        return headers.get("connection", "").lower() != "close"

    def _next_script(self, body: Json) -> Script:
        with contextlib.suppress(IndexError):
            return self.scripts.popleft()
        if self.responder is not None and (script := self.responder(body)) is not None:
            return script
        fmt = body.get("response_format") or {}
        if fmt.get("type") in ("json_schema", "json_object"):
            return Script.json(sample_for_schema((fmt.get("json_schema") or {}).get("schema", {})))
        return Script.text(f"Fake answer to: {last_user_text(body)}", self.chunks)

    async def _chat(self, body: Json, reader: asyncio.StreamReader, writer: Any) -> None:
        script = self._next_script(body)
        self.open_connections += 1
        self.max_open_connections = max(self.max_open_connections, self.open_connections)
        gone = asyncio.ensure_future(_until_eof(reader))
        try:
            if script.kind == "error":
                error = {"message": script.chunks[0], "type": "fake_error", "code": script.status}
                await _send_json(writer, script.status, {"error": error}, **script.headers)
            elif script.kind == "hang":
                await asyncio.wait({gone}, timeout=script.hang_seconds)
                raise _ClientGone if gone.done() else _Close
            elif body.get("stream"):
                await self._stream(script, body, writer, gone)
            else:
                await self._complete(script, body, writer)
        except (_ClientGone, ConnectionError):
            self.cancelled_streams += 1
            raise _Close from None
        finally:
            self.open_connections -= 1
            gone.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await gone  # the reader must be free before the next request is read

    def _envelope(self, script: Script, body: Json) -> tuple[Json, Json]:
        """The fields common to every chunk of one reply, and its usage block."""
        base = {"id": f"chatcmpl-fake{next(_ids)}", "created": int(time.time())}
        base |= {"model": body.get("model") or self.model, "system_fingerprint": "fake"}
        text = "".join(script.chunks) or "".join(c["arguments"] for c in script.calls)
        prompt = sum(len(str(m.get("content") or "").split()) for m in body.get("messages") or [])
        made = max(1, len(text.split()))
        return base, {
            "prompt_tokens": prompt,
            "completion_tokens": made,
            "total_tokens": prompt + made,
        }

    async def _complete(self, script: Script, body: Json, writer: Any) -> None:
        base, usage = self._envelope(script, body)
        message: Json = {"role": "assistant", "content": "".join(script.chunks), "refusal": None}
        if script.calls:
            message["content"] = None
            message["tool_calls"] = [
                {
                    "id": c["id"],
                    "type": "function",
                    "function": {"name": c["name"], "arguments": c["arguments"]},
                }
                for c in script.calls
            ]
        finish = "tool_calls" if script.calls else "stop"
        choice = {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
        payload = base | {"object": "chat.completion", "choices": [choice], "usage": usage}
        data = b"{not json" if script.fault == "malformed" else json.dumps(payload).encode()
        if script.fault != "cut":
            return await _send_json(writer, 200, data)
        writer.write(_head(200, {"content-length": str(len(data))}) + data[: len(data) // 2])
        await writer.drain()
        raise _Close

    def _events(self, script: Script, body: Json) -> list[tuple[str, bool]]:
        """The SSE events of a streamed reply, each flagged if it carries content (is delayed)."""
        base, usage = self._envelope(script, body)

        def event(delta: Json | None, finish: str | None = None, **extra: Any) -> str:
            choices = [] if delta is None else [{"index": 0, "delta": delta, "logprobs": None}]
            for choice in choices:
                choice["finish_reason"] = finish
            chunk = base | {"object": "chat.completion.chunk", "choices": choices} | extra
            if script.bare:
                chunk = {k: v for k, v in chunk.items() if k not in BARE_OMITS}
            return f"data: {json.dumps(chunk)}\n\n"

        events = [(event({"role": "assistant", "content": None if script.calls else ""}), False)]
        events += [(event({"content": piece}), True) for piece in script.chunks]
        for i, c in enumerate(script.calls):
            function = {"name": c["name"], "arguments": ""}
            first = {"index": i, "id": c["id"], "type": "function", "function": function}
            events.append((event({"tool_calls": [first]}), True))
            for part in c["parts"]:
                events.append(
                    (event({"tool_calls": [{"index": i, "function": {"arguments": part}}]}), True)
                )
        events.append((event({}, "tool_calls" if script.calls else "stop"), False))
        if (body.get("stream_options") or {}).get("include_usage"):
            events.append((event(None, usage=usage), False))
        if script.fault == "malformed":
            events.insert(1 + script.fault_after, ("data: {not json\n\n", False))
        elif script.fault == "cut":
            del events[1 + script.fault_after :]
        return events

    async def _stream(
        self, script: Script, body: Json, writer: Any, gone: asyncio.Future[None]
    ) -> None:
        headers = {"content-type": "text/event-stream", "cache-control": "no-cache"}
        writer.write(_head(200, headers | {"transfer-encoding": "chunked"}))
        delay = self.chunk_delay if script.delay is None else script.delay
        for text, delayed in self._events(script, body):
            if delayed and delay > 0:
                await asyncio.wait({gone}, timeout=delay)
            if gone.done():
                raise _ClientGone
            writer.write(_frame(text))
            await writer.drain()
        if script.fault == "cut":
            raise _Close
        writer.write(_frame("data: [DONE]\n\n") + b"0\r\n\r\n")
        await writer.drain()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--chunks", type=int, default=20, help="chunks per default answer")
    parser.add_argument("--chunk-delay", type=float, default=0.05, help="seconds before each chunk")
    args = parser.parse_args(argv)

    async def serve() -> None:
        fake = FakeLLM(args.host, args.port, chunks=args.chunks, chunk_delay=args.chunk_delay)
        await fake.open()
        print(f"fake LLM listening on {fake.base_url}", flush=True)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
