#!/usr/bin/env python3
"""Measures the scatter's marker in matplotlib's frame of the lesson's figure and writes it to
tests/data/markers.json, which `tests/it/unhidden.rs` compares our frame with.

A development script (numpy + matplotlib, as scripts/compare_matplotlib.py, whose figure it
draws). The diameter of a marker is measured as the test measures ours: around each data point
that has no other point within 16 px, the orange coverage (1 - blue / 255, orange being
(255, 165, 0) over white) summed over a 20 px square is a disc's area; the median of
2 * sqrt(area / pi) over those points is written.

Usage:
    sgd-anim render --trace t.json -o a.gif
    python3 scripts/marker_size.py t.json [tests/data/markers.json]
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main():
    trace = json.load(open(sys.argv[1]))
    out = sys.argv[2] if len(sys.argv) > 2 else "tests/data/markers.json"
    x = np.array(trace["data"]["x"])
    y = np.array(trace["data"]["y"])
    start = trace["settings"]["start"]
    # The lesson's figure at step 0, as compare_matplotlib.py draws it.
    fig = plt.figure(figsize=(6.4, 4.8), dpi=100)
    plt.scatter(x, y, c="orange")
    plt.plot(x, start[0] * x + start[1])
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    height = rgba.shape[0]
    centres = fig.axes[0].transData.transform(np.column_stack([x, y]))
    centres[:, 1] = height - centres[:, 1]
    plt.close(fig)
    coverage = 1.0 - rgba[:, :, 2].astype(float) / 255.0
    diameters = []
    for i, (cx, cy) in enumerate(centres):
        others = np.delete(centres, i, axis=0)
        if np.min(np.hypot(others[:, 0] - cx, others[:, 1] - cy)) < 16.0:
            continue
        x0, y0 = int(round(cx)) - 10, int(round(cy)) - 10
        area = coverage[y0 : y0 + 20, x0 : x0 + 20].sum()
        diameters.append(2.0 * np.sqrt(area / np.pi))
    result = {
        "what": "matplotlib's scatter marker (plt.scatter(x, y, c='orange'), 640x480 at 100 dpi)",
        "matplotlib": matplotlib.__version__,
        "isolated_markers": len(diameters),
        "diameter_px": round(float(np.median(diameters)), 3),
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
