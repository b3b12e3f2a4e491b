"""The AI benchmarks' model server: devtools.fake_llm, each chunk stamped with its send time.

A streamed answer is `--chunks` pieces, `--chunk-delay` seconds apart, each the time.time() at
which the fake model wrote it: the benchmark compares it with when the piece reached the client,
so what it reports is the time our server added. Non-streamed requests (the summary's
`response_format` JSON) get devtools.fake_llm's usual answers. Run as its own process:
`python -m bench.ai_model --port P --chunk-delay 0.05 --chunks 200`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvloop

from devtools.fake_llm import FakeLLM, Script

# Stands in a chunk for its send time: as wide as f"{time.time():17.6f}" (until 2286).
STAMP = b"@" * 17


def stamp_text(text: str) -> float | None:
    """The send time a chunk carries, or None when it carries none."""
    with contextlib.suppress(ValueError):
        return float(text.strip()[:17])
    return None


class StampingWriter:
    """Wraps the fake model's socket writer: each STAMP becomes the time it is written."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def write(self, data: bytes) -> None:
        if STAMP in data:
            data = data.replace(STAMP, f"{time.time():17.6f}".encode())
        self._writer.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._writer, name)


class StampingFakeLLM(FakeLLM):
    """devtools.fake_llm whose streamed answers are `chunks` send-time stamps."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, responder=self._stamped, **kwargs)

    def _stamped(self, body: dict[str, Any]) -> Script | None:
        if not body.get("stream"):
            return None
        return Script.text([STAMP.decode() + " "] * self.chunks)

    async def _chat(self, body: dict[str, Any], reader: asyncio.StreamReader, writer: Any) -> None:
        await super()._chat(body, reader, StampingWriter(writer))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--chunks", type=int, default=200, help="pieces per streamed answer")
    parser.add_argument("--chunk-delay", type=float, default=0.05, help="seconds between pieces")
    args = parser.parse_args()

    async def serve() -> None:
        fake = StampingFakeLLM(
            args.host, args.port, chunks=args.chunks, chunk_delay=args.chunk_delay
        )
        await fake.open()
        print(f"fake LLM listening on {fake.base_url}", flush=True)
        await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        uvloop.run(serve())  # the fake model should not be what limits the benchmark


if __name__ == "__main__":
    main()
