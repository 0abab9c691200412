"""Chart of calls/s per server from a results.json written by benches/run.py.

    python chart.py results.json OUT_STEM     # writes OUT_STEM.png and OUT_STEM.svg

Runs in benches/.venvs/tools, where run.py installs matplotlib.
"""

from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLOURS = {
    "ferromcp": "#d9480f",
    "sdk1": "#1c7ed6",
    "sdk2": "#4dabf7",
    "fastmcp": "#37b24d",
    "rmcp": "#868e96",
}
LABELS = {
    "ferromcp": "ferromcp",
    "sdk1": "SDK v1 FastMCP",
    "sdk2": "SDK v2 MCPServer",
    "fastmcp": "fastmcp",
    "rmcp": "rmcp (Rust ceiling)",
}


SECTION_NAMES = {
    "stdio": "stdio",
    "http-sse": "HTTP SSE",
    "http-json": "HTTP JSON",
    "http-stateless": "HTTP stateless",
    "async": "async 10 ms",
}


def label(key: str, metric: dict) -> str:
    if metric["section"].startswith("http-") or metric["section"] == "stdio":
        return f"{SECTION_NAMES[metric['section']]}, {metric['label']}"
    return metric["label"]


def main() -> None:
    src, stem = sys.argv[1], sys.argv[2]
    result = json.load(open(src))
    summary, metrics = result["summary"], result["metrics"]
    keys = [k for k, m in metrics.items() if m["unit"] == "calls/s" and k in summary]
    servers = [s for s in COLOURS if s in result["servers"]]
    if not keys:
        return
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(keys) * max(len(servers), 3) / 3 + 1.5))
    height = 0.8 / len(servers)
    for j, s in enumerate(servers):
        ys, meds, lo, hi = [], [], [], []
        for i, k in enumerate(keys):
            v = summary[k].get(s)
            if not v:
                continue
            ys.append(i + (j - (len(servers) - 1) / 2) * height)
            meds.append(v["median"])
            lo.append(v["median"] - v["min"])
            hi.append(v["max"] - v["median"])
        ax.barh(
            ys,
            meds,
            height=height,
            xerr=[lo, hi],
            color=COLOURS[s],
            label=LABELS[s],
            error_kw={"elinewidth": 0.8, "capsize": 2},
        )
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels([label(k, metrics[k]) for k in keys])
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("tool calls per second (log scale; bar = median, whiskers = min-max)")
    meta = result["meta"]
    other = max(
        (v["median"] for k, p in summary.items() if k.startswith("other_cpu_") for v in p.values()),
        default=0.0,
    )
    ax.set_title(
        f"MCP servers, same tools: calls/s ({meta['cpus']} cores, {meta['date'][:10]},"
        f" other processes' CPU <= {other:.2f} cores)"
    )
    ax.grid(axis="x", which="both", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(f"{stem}.png", dpi=110)
    fig.savefig(f"{stem}.svg")


if __name__ == "__main__":
    main()
