#!/usr/bin/env python3
"""Plots /metrics scrapes (one Prometheus text file per second, named by its epoch time) as the panels
docs/operations.md describes. Usage: bench/metrics-plot.py SCRAPE_DIR OUT.png "subtitle"."""
import os
import re
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})? (\S+)', re.M)


def load(directory):
    scrapes = []
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            text = f.read()
        if text.strip():
            scrapes.append((float(name[:-5]), text))
    return scrapes


def value(text, metric, *labels):
    """Sum of the samples of one metric whose label text contains every one of labels; None when absent."""
    total = None
    for m in SAMPLE.finditer(text):
        if m.group(1) == metric and all(l in (m.group(2) or "") for l in labels):
            total = (total or 0) + float(m.group(3))
    return total


WINDOW = 5.0  # seconds a rate is taken over (Prometheus's rate() over a short range): requests carry 5,000 events each


def series(scrapes, metric, *labels, rate=False):
    t0 = scrapes[0][0]
    xs, ys, seen = [], [], []
    for at, text in scrapes:
        v = value(text, metric, *labels)
        if v is None:
            v = 0.0 if rate else None  # a counter not yet created has counted nothing
        if v is None:
            continue
        if rate:
            seen.append((at, v))
            start = next((p for p in seen if at - p[0] <= WINDOW), seen[-1])
            if at > start[0]:
                xs.append(at - t0)
                ys.append(max(0.0, (v - start[1]) / (at - start[0])))
        else:
            xs.append(at - t0)
            ys.append(v)
    return xs, ys


def main(directory, out, subtitle):
    scrapes = load(directory)
    if len(scrapes) < 3:
        sys.exit(f"only {len(scrapes)} scrapes in {directory}")
    panels = [
        ("Events ingested / s (5 s rate)", [("signals_events_ingested_total", (), True, "events/s")]),
        ("HTTP requests / s, POST /api/events (5 s rate)", [("http_server_request_duration_seconds_count", ('http_route="/api/events"',), True, "requests/s")]),
        ("Outbox (transitions not yet fanned out)", [("signals_outbox_rows", (), False, "rows"), ("signals_outbox_lag_seconds", (), False, "lag, s (right axis)")]),
        ("Orleans activations", [("orleans_catalog_activations", (), False, "activations")]),
        ("PostgreSQL pool (Npgsql)", [("db_client_connection_count", ('db_client_connection_state="used"',), False, "used"),
                                      ("db_client_connection_count", ('db_client_connection_state="idle"',), False, "idle")]),
        ("Grain calls / s, Orleans (5 s rate)", [("orleans_app_requests_latency_milliseconds_count", (), True, "calls/s")]),
    ]
    fig, axes = plt.subplots(3, 2, figsize=(12, 10), constrained_layout=True)
    for ax, (title, lines) in zip(axes.flat, panels):
        for metric, labels, rate, label in lines:
            xs, ys = series(scrapes, metric, *labels, rate=rate)
            if "right axis" in label:
                twin = ax.twinx()
                twin.plot(xs, ys, label=label, color="tab:orange")
                twin.set_ylabel("seconds")
                twin.legend(loc="upper center", fontsize=8)
            else:
                ax.plot(xs, ys, label=label)
        ax.set_title(title)
        ax.set_xlabel("seconds")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right", fontsize=8)
    fig.suptitle(f"OrleansSignals /metrics during a short ingest benchmark\n{subtitle}")
    fig.savefig(out, dpi=80)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
