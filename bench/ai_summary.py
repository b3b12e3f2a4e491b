"""Benchmark of `POST /api/v1/ai/summary`: what the server adds to the model's own latency.

Starts bench/ai_model.py and `make serve` pointed at it (AI_RATE_LIMIT=off). Each run sends
`--requests` summary requests one after another through the server, and as many JSON-schema chat
requests straight to the fake model, alternating, from one client on keep-alive connections; the
overhead is the p50 through the server minus the model's own p50. `--repeat` runs, medians.
Usage: `make bench-ai` or `.venv/bin/python -m bench.ai_summary -h`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    HttpConnection,
    ai_server_env,
    fake_model,
    machine_line,
    median,
    percentile,
    serve,
    verdict,
    write_report,
)

# The target: p50 overhead over the model's own latency, in milliseconds.
TARGET_OVERHEAD_MS = 5.0
# A chat request like the one the server sends for a summary (JSON schema response format).
MODEL_REQUEST = {
    "model": "fake-model",
    "messages": [
        {"role": "system", "content": "Summarise the film as JSON."},
        {"role": "user", "content": '{"title": "ACADEMY DINOSAUR", "rating": "PG"}'},
    ],
    "response_format": {
        "type": "json_schema",
        "json_schema": {
            "name": "FilmSummary",
            "strict": True,
            "schema": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "rating": {"type": "string"},
                    "recommended": {"type": "boolean"},
                },
                "required": ["title", "rating", "recommended"],
                "additionalProperties": False,
            },
        },
    },
}


async def timed(connection: HttpConnection, path: str, body: bytes) -> float:
    started = time.perf_counter()
    status, _ = await connection.request("POST", path, body, {"Content-Type": "application/json"})
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise SystemExit(f"POST {path} answered {status}")
    return elapsed


async def one_run(server_url: str, model_url: str, requests: int) -> tuple[list[float], ...]:
    server = await HttpConnection.open(server_url)
    model = await HttpConnection.open(model_url.removesuffix("/v1"))
    model_body = json.dumps(MODEL_REQUEST).encode()
    through_server, direct = [], []
    try:
        for i in range(requests):
            film = json.dumps({"film_id": 1 + i % 1000}).encode()
            through_server.append(await timed(server, "/api/v1/ai/summary", film))
            direct.append(await timed(model, "/v1/chat/completions", model_body))
    finally:
        server.close()
        model.close()
    return through_server, direct


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per run (300)")
    parser.add_argument("--repeat", type=int, default=3, help="runs (median)")
    parser.add_argument("--workers", type=int, default=0, help="server workers (Makefile's)")
    args = parser.parse_args()
    runs = []
    with (
        fake_model(chunks=20, chunk_delay=0.05) as model_url,
        serve(workers=args.workers, env=ai_server_env(model_url)) as server,
    ):
        asyncio.run(one_run(server.url, model_url, 20))  # warm-up: kernels, pools, imports
        for _ in range(args.repeat):
            runs.append(asyncio.run(one_run(server.url, model_url, args.requests)))
    lines = [
        f"AI summary benchmark, {machine_line()}",
        f"`make serve` + fake model; {args.requests} summaries and as many direct model requests "
        f"per run, one at a time; {args.repeat} runs",
        "",
        f"{'run':<6}{'server p50':>11}{'server p99':>11}{'model p50':>10}{'model p99':>10}"
        f"{'overhead p50':>13}",
    ]
    overheads = []
    for number, (through_server, direct) in enumerate(runs, 1):
        overhead = percentile(through_server, 50) - percentile(direct, 50)
        overheads.append(overhead)
        lines.append(
            f"{number:<6}{percentile(through_server, 50):>11.2f}"
            f"{percentile(through_server, 99):>11.2f}{percentile(direct, 50):>10.2f}"
            f"{percentile(direct, 99):>10.2f}{overhead:>13.2f}"
        )
    overhead = median(overheads)
    lines += [
        "",
        verdict(
            f"p50 overhead {overhead:.2f} ms",
            f"< {TARGET_OVERHEAD_MS:.0f}",
            overhead < TARGET_OVERHEAD_MS,
        ),
    ]
    text = "\n".join(lines)
    print(text)
    write_report("ai_summary", text)


if __name__ == "__main__":
    main()
