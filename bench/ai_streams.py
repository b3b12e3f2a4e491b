"""Benchmark of `GET /api/v1/ai/ask`: many concurrent SSE streams against the fake model.

Starts bench/ai_model.py (a fake OpenAI server whose streamed chunks carry their send time) and
`make serve` pointed at it with AI_RATE_LIMIT=off, raises the open-files limit, then opens
`--streams` streams over `--ramp` seconds and reads them to the end. It reports how many were
open at once, the `start` event's latency after the request was sent, the time each chunk took
from the model's write to the client (what the server adds), the workers' memory per open stream
and their CPU per chunk; `--repeat` runs, medians. Usage: `make bench-ai` or
`.venv/bin/python -m bench.ai_streams -h`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ai_model import stamp_text
from bench.common import (
    HttpConnection,
    Server,
    ai_server_env,
    cpu_seconds,
    fake_model,
    machine_line,
    median,
    percentile,
    raise_open_files_limit,
    serve,
    verdict,
    write_report,
)

QUESTION = "What is the rental rate of ACADEMY DINOSAUR?"
# The targets (milliseconds).
TARGET_STREAMS = 1000
TARGET_CHUNK_P99_MS = 20.0
TARGET_START_MS = 10.0


@dataclass
class Run:
    start_ms: list[float] = field(default_factory=list)
    first_ms: list[float] = field(default_factory=list)  # first `message` event after the request
    chunk_ms: list[float] = field(default_factory=list)
    completed: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    open_now: int = 0
    open_peak: int = 0
    rss_idle: int = 0
    rss_at_peak: int = 0
    server_cpu: float = 0.0
    chunks: int = 0
    wall: float = 0.0  # seconds from the first request to the last stream's end

    def fail(self, why: str) -> None:
        self.failed[why] = self.failed.get(why, 0) + 1


async def one_stream(url: str, run: Run) -> None:
    try:
        connection = await HttpConnection.open(url)
    except OSError as exc:
        run.fail(type(exc).__name__)
        return
    run.open_now += 1
    run.open_peak = max(run.open_peak, run.open_now)
    sent = time.time()
    try:
        status, _ = await connection.send("GET", f"/api/v1/ai/ask?question={quote(QUESTION)}")
        if status != 200:
            run.fail(f"status {status}")
            return
        buffer, first = b"", True
        async for frame in connection.frames():
            arrived = time.time()
            buffer += frame
            *events, buffer = buffer.split(b"\n\n")
            for event in events:
                kind, _, data = event.partition(b"\ndata: ")
                if kind == b"event: start":
                    run.start_ms.append((arrived - sent) * 1000)
                elif kind == b"event: message":
                    if first:
                        run.first_ms.append((arrived - sent) * 1000)
                        first = False
                    stamp = stamp_text(json.loads(data)["content"])
                    if stamp is not None:
                        run.chunk_ms.append((arrived - stamp) * 1000)
                        run.chunks += 1
                elif kind == b"event: error":
                    error = json.loads(data)  # ours: {"code", ...}; the peer's: {"message"}
                    run.fail(error.get("code") or f"error: {error.get('message', '')[:80]}")
                    return
        run.completed += 1
    except (OSError, asyncio.IncompleteReadError) as exc:
        run.fail(type(exc).__name__)
    finally:
        run.open_now -= 1
        connection.close()


async def watch_memory(server: Server, run: Run, target: int) -> None:
    """Note the workers' RSS at the moment the most streams are open."""
    while True:
        await asyncio.sleep(0.25)
        if run.open_now >= max(run.open_peak, 1) and run.open_now >= target * 0.9:
            rss = server.workers_rss()
            run.rss_at_peak = max(run.rss_at_peak, rss)


async def load(server: Server, args: argparse.Namespace) -> Run:
    run = Run(rss_idle=server.workers_rss())
    watcher = asyncio.create_task(watch_memory(server, run, args.streams))
    cpu_before = cpu_seconds(server.workers())
    started = time.perf_counter()
    tasks = []
    for i in range(args.streams):
        tasks.append(asyncio.create_task(one_stream(server.url, run)))
        if args.ramp:
            await asyncio.sleep(args.ramp / args.streams)
        if i % 50 == 0:
            await asyncio.sleep(0)
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=args.timeout)
    except TimeoutError:  # the streams still open are cancelled and count as failed
        unfinished = args.streams - run.completed - sum(run.failed.values())
        run.failed["unfinished at --timeout"] = unfinished
    run.wall = time.perf_counter() - started
    run.server_cpu = cpu_seconds(server.workers()) - cpu_before
    watcher.cancel()
    return run


def report(runs: list[Run], args: argparse.Namespace) -> str:
    rows = []
    for run in runs:
        open_at_peak = max(run.open_peak, 1)
        rows.append(
            {
                "streams completed": run.completed,
                "most open at once": run.open_peak,
                "start p50 ms": percentile(run.start_ms, 50),
                "start p99 ms": percentile(run.start_ms, 99),
                "chunk added p50 ms": percentile(run.chunk_ms, 50),
                "chunk added p99 ms": percentile(run.chunk_ms, 99),
                "idle RSS MB": run.rss_idle / 2**20,
                "RSS per stream kB": max(run.rss_at_peak - run.rss_idle, 0) / open_at_peak / 1024,
                # Microseconds: a tenth of a millisecond is a third of what a chunk costs.
                "server CPU us/chunk": 1e6 * run.server_cpu / max(run.chunks, 1),
            }
        )
    lines = [
        f"AI streams benchmark, {machine_line()}",
        f"`make serve` ({args.workers or 'Makefile'} workers) + fake model "
        f"({args.chunks} chunks, {args.chunk_delay * 1000:.0f} ms apart); {args.streams} streams "
        f"opened over {args.ramp:g}s; {len(runs)} runs, medians",
        "",
        f"{'figure':<22}{'median':>9}  runs (RSS per stream: the first run's, fresh workers)",
    ]
    for name in rows[0]:
        values = [row[name] for row in rows]
        # Workers keep (and reuse) the memory of the first run's streams: only its growth counts.
        shown = values[0] if name == "RSS per stream kB" else median(values)
        lines.append(f"{name:<22}{shown:>9.1f}  {' '.join(f'{v:.1f}' for v in values)}")
    failures = {why: n for run in runs for why, n in run.failed.items()}
    peak = median([row["most open at once"] for row in rows])
    chunk_p99 = median([row["chunk added p99 ms"] for row in rows])
    start_p99 = median([row["start p99 ms"] for row in rows])
    lines += [
        "",
        f"failures: {failures or 'none'}",
        "; ".join(
            [
                verdict(
                    f"open at once {peak:.0f}",
                    f"{TARGET_STREAMS}, none failing",
                    peak >= TARGET_STREAMS and not failures,
                ),
                verdict(
                    f"chunk p99 {chunk_p99:.1f} ms",
                    f"< {TARGET_CHUNK_P99_MS:.0f}",
                    chunk_p99 < TARGET_CHUNK_P99_MS,
                ),
                verdict(
                    f"start p99 {start_p99:.1f} ms",
                    f"< {TARGET_START_MS:.0f}",
                    start_p99 < TARGET_START_MS,
                ),
            ]
        ),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=TARGET_STREAMS, help="streams per run")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds to open them all")
    parser.add_argument("--chunks", type=int, default=200, help="chunks per answer (200)")
    parser.add_argument("--chunk-delay", type=float, default=0.05, help="model's chunk gap (s)")
    parser.add_argument("--repeat", type=int, default=3, help="runs (median)")
    parser.add_argument("--workers", type=int, default=0, help="server workers (Makefile's)")
    parser.add_argument("--worker-class", default="", help="gunicorn worker class (Makefile's)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a run may take")
    args = parser.parse_args()
    raise_open_files_limit()
    runs = []
    with (
        fake_model(chunks=args.chunks, chunk_delay=args.chunk_delay) as model_url,
        serve(
            workers=args.workers, worker_class=args.worker_class, env=ai_server_env(model_url)
        ) as server,
    ):
        asyncio.run(load_warm(server))
        for _ in range(args.repeat):
            runs.append(asyncio.run(load(server, args)))
    text = report(runs, args)
    print(text)
    write_report("ai_streams", text)


async def load_warm(server: Server) -> None:
    """A few streams first, so every worker has built its kernel and opened its pools."""
    await asyncio.gather(*(one_stream(server.url, Run()) for _ in range(8)))


if __name__ == "__main__":
    main()
