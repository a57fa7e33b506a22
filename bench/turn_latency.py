"""p50/p95 of an offline-mode turn in-process, and the time spent per graph node.

Run: .venv/bin/python bench/turn_latency.py [--turns 60]
Uses a temporary data dir (SQLite, in-memory coordination) and the real knowledge index.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.checkpoint import thread_config
from api.container import build_container
from api.schemas import ConversationCreate, MessageCreate
from api.services import conversations
from api.services.records import seed_tenants
from core.settings import Settings

MESSAGES = [
    "高血压患者每天吃多少盐合适？",
    "糖化血红蛋白是什么意思？",
    "How much physical activity should adults do each week?",
    "你好",
    "我要做透析，10万元，医保报60%，月收入5000，怎么分期？",
    "血糖低于多少算低血糖？",
    "BMI多少算肥胖？",
    "我头疼两天了，有点发烧",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def main(turns: int, kb_index_dir: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            data_dir=Path(tmp),
            kb_index_dir=kb_index_dir,  # type: ignore[call-arg]
            rate_limit_per_minute=100_000,
        )
        async with build_container(settings) as c:
            await asyncio.to_thread(c.knowledge.ensure_index)
            async with c.sessions() as session:
                await seed_tenants(session)
            c.knowledge.retriever()  # load once, outside the timings
            node_times: dict[str, list[float]] = defaultdict(list)
            original = c.graph.astream

            async def timed_astream(*args: Any, **kwargs: Any) -> Any:
                last = time.perf_counter()
                async for update in original(*args, **kwargs):
                    now = time.perf_counter()
                    for node in update:
                        node_times[node].append((now - last) * 1000)
                    last = now
                    yield update

            c.graph.astream = timed_astream
            warm = await conversations.create_conversation(c, ConversationCreate())
            await conversations.post_message(c, warm.id, MessageCreate(content="你好"))
            node_times.clear()
            latencies: list[float] = []
            for i in range(turns):
                conv = await conversations.create_conversation(c, ConversationCreate())
                started = time.perf_counter()
                await conversations.post_message(
                    c, conv.id, MessageCreate(content=MESSAGES[i % len(MESSAGES)])
                )
                latencies.append((time.perf_counter() - started) * 1000)
            await c.graph.aget_state(thread_config(warm.id))
    print(
        f"offline turns: n={turns}  p50={percentile(latencies, 0.5):.1f} ms  "
        f"p95={percentile(latencies, 0.95):.1f} ms  max={max(latencies):.1f} ms"
    )
    print("per node (ms, includes checkpoint write):  node        p50     p95    mean")
    for node, values in sorted(node_times.items(), key=lambda kv: -statistics.mean(kv[1])):
        print(
            f"  {node:<14}{percentile(values, 0.5):8.2f}{percentile(values, 0.95):8.2f}"
            f"{statistics.mean(values):8.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--kb-index-dir", type=Path, default=None)
    args = parser.parse_args()
    asyncio.run(main(args.turns, args.kb_index_dir))
