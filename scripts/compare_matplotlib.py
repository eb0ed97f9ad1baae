#!/usr/bin/env python3
"""Side by side: the lesson's own matplotlib figure and our frame, for the same run and step.

A development script (numpy + matplotlib + pillow; users need none of them). It reads a trace
written by `sgd-anim render --trace t.json -o a.gif`, draws the lesson's figure for the chosen
steps exactly as the notebook does (`plt.scatter(x[:,0], y, c='orange')`, then
`plt.plot(x[:,0], x@a)` for the step's parameters, default 6.4x4.8 in at 100 dpi), pulls the same
steps out of our GIF, and writes one PNG: a row per step, matplotlib left, ours right.

Usage:
    sgd-anim render --lr 0.1 --batch-size 16 --trace t.json -o a.gif
    python3 scripts/compare_matplotlib.py t.json a.gif compare.png [--steps 0,10,100]
"""
import argparse
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageSequence  # noqa: E402


def lesson_figure(x, y, start, slope, intercept, size):
    """The notebook's figure at one step, as an RGB image of `size` pixels: drawn with the
    start line, then the line moved to the step's parameters, as the lesson's
    `FuncAnimation` does (so the axes keep the limits the first frame had)."""
    dpi = 100
    fig = plt.figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi)
    plt.scatter(x, y, c="orange")
    (line,) = plt.plot(x, start[0] * x + start[1])
    line.set_ydata(slope * x + intercept)
    fig.canvas.draw()
    img = Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba()).convert("RGB")
    plt.close(fig)
    return img


def our_frames(gif_path):
    """Every frame of our GIF, composed (GIF frames are patches over the ones before)."""
    with Image.open(gif_path) as gif:
        return [frame.convert("RGB") for frame in ImageSequence.Iterator(gif)]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("trace", help="trace JSON from `sgd-anim render --trace`")
    p.add_argument("gif", help="the GIF made with that trace")
    p.add_argument("out", help="PNG to write")
    p.add_argument("--steps", default="0,10,100", help="comma-separated steps [0,10,100]")
    args = p.parse_args()

    trace = json.load(open(args.trace))
    x = np.array(trace["data"]["x"])
    y = np.array(trace["data"]["y"])
    by_step = {s["step"]: s for s in trace["steps"]}
    frames = our_frames(args.gif)
    steps = [int(s) for s in args.steps.split(",")]
    rows = []
    for step in steps:
        if step not in by_step or step >= len(frames):
            raise SystemExit(f"step {step} is not in the trace and the GIF (they have {len(frames)} frames)")
        ours = frames[step]
        snap = by_step[step]
        theirs = lesson_figure(x, y, trace["settings"]["start"], snap["slope"], snap["intercept"], ours.size)
        rows.append((step, theirs, ours))

    w, h = rows[0][2].size
    head = 24
    sheet = Image.new("RGB", (2 * w + 10, len(rows) * (h + head)), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (step, theirs, ours) in enumerate(rows):
        top = i * (h + head)
        draw.text((4, top + 6), f"matplotlib (the lesson), step {step}", fill="black")
        draw.text((w + 14, top + 6), f"sgd-anim, step {step}", fill="black")
        sheet.paste(theirs, (0, top + head))
        sheet.paste(ours, (w + 10, top + head))
    sheet.save(args.out)
    print(f"wrote {args.out}: steps {', '.join(map(str, steps))}")


if __name__ == "__main__":
    main()
