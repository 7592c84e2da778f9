#!/usr/bin/env python3
"""Draws the bar charts docs/benchmarks.md shows, as dependency-free SVG.

Usage: bench/plot.py [--lower-is-better] OUT.svg "Title" "unit" label=value[:target] ...
A bar per label; an optional target draws a dashed line across that bar, and the bar is red when
it misses the target (below it, or above it with --lower-is-better, e.g. for latencies).
Example: bench/plot.py docs/img/ingest.svg "Ingest, 100k accounts" "events/s" "ours=17000:20000" "COPY / 4=67000"
"""
import sys
from xml.sax.saxutils import escape


def main(out, title, unit, *bars, lower_is_better=False):
    parsed = []
    for bar in bars:
        label, _, rest = bar.partition("=")
        value, _, target = rest.partition(":")
        parsed.append((label, float(value), float(target) if target else None))
    top = max(max(v, t or 0) for _, v, t in parsed) * 1.15
    width, height, left, bottom, bar_w, gap = max(140 + 170 * len(parsed), 8 * len(title) + 60), 320, 70, 260, 90, 80
    scale = (bottom - 40) / top
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">{escape(title)}</text>',
           f'<line x1="{left - 10}" y1="{bottom}" x2="{width - 20}" y2="{bottom}" stroke="#333"/>',
           f'<text x="14" y="{bottom - (bottom - 40) / 2}" transform="rotate(-90 14,{bottom - (bottom - 40) / 2})" text-anchor="middle">{escape(unit)}</text>']
    for i, (label, value, target) in enumerate(parsed):
        x = left + i * (bar_w + gap)
        h = value * scale
        missed = target is not None and (value > target if lower_is_better else value < target)
        colour = "#c8553d" if missed else "#4878a8"
        svg.append(f'<rect x="{x}" y="{bottom - h:.1f}" width="{bar_w}" height="{h:.1f}" fill="{colour}"/>')
        # The value sits inside the bar when it is tall enough, so it never collides with a target line.
        if h > 24:
            text_y = bottom - h + 17
            # Below the target line when the line or its label would cross the value (a bar ending near it).
            if target is not None and abs(text_y - (bottom - target * scale)) < 22 and bottom - target * scale + 20 < bottom:
                text_y = bottom - target * scale + 20
            svg.append(f'<text x="{x + bar_w / 2}" y="{text_y:.1f}" text-anchor="middle" fill="white" font-weight="bold">{value:,.6g}</text>')
        else:
            svg.append(f'<text x="{x + bar_w / 2}" y="{bottom - h - 6:.1f}" text-anchor="middle">{value:,.6g}</text>')
        svg.append(f'<text x="{x + bar_w / 2}" y="{bottom + 18}" text-anchor="middle">{escape(label)}</text>')
        if target is not None:
            y = bottom - target * scale
            svg.append(f'<line x1="{x - 12}" y1="{y:.1f}" x2="{x + bar_w + 12}" y2="{y:.1f}" stroke="#222" stroke-dasharray="6 4"/>')
            svg.append(f'<text x="{x + bar_w / 2}" y="{y - 5:.1f}" text-anchor="middle" font-size="11">target {target:,.6g}</text>')
    svg.append("</svg>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    lower = bool(args) and args[0] == "--lower-is-better"
    if lower:
        args = args[1:]
    if len(args) < 4:
        sys.exit(__doc__)
    main(*args, lower_is_better=lower)
