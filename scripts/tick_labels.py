#!/usr/bin/env python3
"""Record the ticks matplotlib chooses, as test data for src/render/ticks.rs.

A development script (numpy + matplotlib; users of sgd-anim never need it). It regenerates
tests/data/ticks.json, which is committed and read by the tests in src/render/ticks.rs:

    python3 -m pip install matplotlib
    python3 scripts/tick_labels.py            # writes tests/data/ticks.json
    cargo test --lib render::ticks            # checks every case

A wider one-off check (random axes, not committed): write them elsewhere and point the test
there with TICKS_JSON:

    python3 scripts/tick_labels.py --random 2000 --seed 7 --out /tmp/random.json
    TICKS_JSON=/tmp/random.json cargo test --lib render::ticks::tests::every

For every case (a linear, integer or log axis, horizontal or vertical, some length in pixels
at 100 dpi with matplotlib's default 10 pt tick labels, and its limits) it makes a figure
whose axes are exactly that long, sets the limits, draws the figure (fig.canvas.draw(), so
the ticks are the ones matplotlib really draws), and records:

- tick_space: Axis.get_tick_space(), the tick count the axis length allows;
- min, max: the view limits;
- major: the visible major ticks, each [value, label text, label as shown];
- minor: the visible minor ticks (log axes), the same way; a label is "" when unlabelled;
- offset: the offset / multiplier text drawn at the axis end ("" when none);
- offset_math: the same note with axes.formatter.use_mathtext = True, as shown ("×10⁻⁷+3.3").

Values (limits and ticks) are written as Python's repr strings, not JSON numbers, so that a
reader parsing them with a correctly rounded parser gets matplotlib's exact bits back.

"Label as shown" turns matplotlib's mathtext (log axes: "$\\mathdefault{10^{-3}}$") into the
plain Unicode string it renders ("10⁻³", with U+207B for the superscript minus); plain labels
(linear axes) are kept as they are (matplotlib already writes U+2212 for minus).

Only matplotlib's defaults are used (rcParams as shipped), except that integer axes use
MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True), the AutoLocator with
integer=True, as a step axis would.
"""

import argparse
import json
import os
import random
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

DPI = 100
MARGIN = 100  # pixels around the axes, so no label is clipped (clipping changes nothing here)

# (min, max) of linear axes; each is drawn at several lengths, on x and on y.
LINEAR = [
    (0, 1),
    (-1, 1),
    (9.1, 12.9),
    (0, 100),
    (0, 0.02),
    (-3e-7, 5e-7),
    (1e6, 1.0002e6),
    (0, 1e11),
    (-1.05, 1.05),
    (0, 84.8),
    (-0.5, 3.7),
    (2.5, 4.5),
    (-1000, 1.5),
    (1e-9, 3e-9),
    (0.999, 1.001),
    (-12.3, -4.4),
    (123456, 123789),
    (-5e5, 5e6),
    (0, 7),
    (0.0001, 0.00035),
    (0, 250),
    (37, 41),
    (-0.02, 0.03),
    (3.3, 3.3000001),
    (-2e-5, -1e-5),
    (0, 1e5),
    (0, 1e6),
    (99990, 100010),
    (-1.0002e6, -1e6),
    (1234500, 1234600),
]
# Axis lengths in pixels: the default 640x480 axes (496 x 369.6), a 200 px panel's axes, small.
LINEAR_LENGTHS = [("x", 496), ("y", 370), ("x", 150), ("y", 120), ("x", 60)]

# Integer axes (the step axis): (min, max).
INTEGER = [(0, 100), (0, 10), (0, 3), (0, 1), (0, 1000), (-0.5, 20.5), (0, 7), (0.2, 1.8)]
INTEGER_LENGTHS = [("x", 496), ("x", 150), ("y", 120)]

LOG = [
    (0.3, 92),
    (1e-3, 1e5),
    (2, 30),
    (1, 10),
    (1e-12, 1e12),
    (3.69, 84.8),
    (0.05, 4719),
    (2, 9),
    (2, 2.9),
    (1e-7, 1e-3),
    (1e-30, 1e30),
    (0.9, 1.1e3),
    (15, 95),
    (1e-3, 1e10),
]
LOG_LENGTHS = [("y", 370), ("x", 496), ("y", 120), ("x", 80)]

SUPERSCRIPT = str.maketrans("0123456789-−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁻")


def shown(text):
    """The plain Unicode that matplotlib renders for a label's (math)text."""
    if not text.startswith("$"):
        return text
    assert text.endswith("$"), text
    body, out, i = text[1:-1], "", 0
    while i < len(body):
        if body.startswith("\\mathdefault", i):
            i += len("\\mathdefault")
        elif body.startswith("\\times", i):
            out, i = out + "×", i + len("\\times")
        elif body.startswith("^{", i):
            end = body.index("}", i)
            out, i = out + body[i + 2 : end].translate(SUPERSCRIPT), end + 1
        elif body[i] in "{} ":
            i += 1
        else:
            # In math mode a hyphen is drawn as a minus sign.
            out, i = out + body[i].replace("-", "−"), i + 1
    assert all(c in "0123456789.+×⁰¹²³⁴⁵⁶⁷⁸⁹⁻−" for c in out), (text, out)
    return out


def draw_axis(kind, direction, length, lo, hi):
    """Draws one axis and returns what it shows."""
    if direction == "x":
        size = (length + 2 * MARGIN, 2 * MARGIN + 50)
        rect = (MARGIN / size[0], MARGIN / size[1], length / size[0], 50 / size[1])
    else:
        size = (2 * MARGIN + 50, length + 2 * MARGIN)
        rect = (MARGIN / size[0], MARGIN / size[1], 50 / size[0], length / size[1])
    fig = plt.figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI)
    ax = fig.add_axes(rect)
    axis = ax.xaxis if direction == "x" else ax.yaxis
    if kind == "log":
        axis._set_axes_scale("log")
    if kind == "integer":
        axis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    (ax.set_xlim if direction == "x" else ax.set_ylim)(lo, hi)
    fig.canvas.draw()
    assert tuple(axis.get_view_interval()) == (lo, hi), (axis.get_view_interval(), lo, hi)
    drawn = axis._update_ticks()
    majors = {id(t) for t in axis.majorTicks}
    major, minor = [], []
    for tick in drawn:
        text = tick.label1.get_text()
        row = [repr(float(tick.get_loc())), text, shown(text)]
        (major if id(tick) in majors else minor).append(row)
    offset = axis.get_offset_text().get_text()
    offset_math = ""
    if kind != "log":
        # The same note as matplotlib writes it with axes.formatter.use_mathtext = True.
        axis.get_major_formatter().set_useMathText(True)
        fig.canvas.draw()
        offset_math = shown(axis.get_offset_text().get_text())
    case = {
        "scale": kind,
        "axis": direction,
        "length_px": length,
        "dpi": DPI,
        "font_pt": float(matplotlib.font_manager.FontProperties(size=matplotlib.rcParams["xtick.labelsize"]).get_size_in_points()),
        "min": repr(float(lo)),
        "max": repr(float(hi)),
        "tick_space": int(axis.get_tick_space()),
        "major": major,
        "minor": minor,
        "offset": offset,
        "offset_math": offset_math,
    }
    plt.close(fig)
    return case


def random_cases(count, seed):
    """`count` random axes (linear, integer, log; any length): a wider check than the fixed
    list, for a one-off run (`--random`), not for the committed data."""
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        kind = rng.choice(["linear", "linear", "integer", "log"])
        direction = rng.choice(["x", "y"])
        length = rng.choice([40, 60, 80, 100, 120, 150, 200, 250, 300, 370, 496, 800, 1500])
        if kind == "log":
            lo = 10 ** rng.uniform(-15, 15)
            hi = lo * 10 ** rng.choice([rng.uniform(0.001, 0.5), rng.uniform(0.05, 3), rng.uniform(1, 30)])
        elif kind == "integer":
            lo = rng.choice([0, 0, -0.5, rng.uniform(-50, 50)])
            hi = lo + 10 ** rng.uniform(-0.3, 4)
        else:
            e = rng.uniform(-12, 12)
            centre = rng.choice([0, 0, rng.uniform(-1, 1) * 10 ** rng.uniform(0, 8)])
            lo = float("%.6g" % ((centre + rng.uniform(-1, 1)) * 10**e))
            hi = float("%.6g" % (lo + 10 ** (e + rng.uniform(-7, 1))))
        if hi > lo:
            cases.append(draw_axis(kind, direction, length, lo, hi))
    return cases


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--random", type=int, metavar="N", help="N random axes instead of the fixed list")
    parser.add_argument("--seed", type=int, default=1, help="seed for --random (default 1)")
    parser.add_argument("--out", help="where to write (default tests/data/ticks.json)")
    args = parser.parse_args()
    cases = []
    if args.random:
        cases = random_cases(args.random, args.seed)
    else:
        for lo, hi in LINEAR:
            for direction, length in LINEAR_LENGTHS:
                cases.append(draw_axis("linear", direction, length, lo, hi))
        for lo, hi in INTEGER:
            for direction, length in INTEGER_LENGTHS:
                cases.append(draw_axis("integer", direction, length, lo, hi))
        for lo, hi in LOG:
            for direction, length in LOG_LENGTHS:
                cases.append(draw_axis("log", direction, length, lo, hi))
    data = {
        "generator": "scripts/tick_labels.py",
        "matplotlib": matplotlib.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    path = args.out or os.path.join(root, "tests", "data", "ticks.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        # One case per line: reviewable diffs when matplotlib changes its mind.
        f.write('{"generator": %s, "matplotlib": %s, "numpy": %s, "cases": [\n' % tuple(
            json.dumps(data[k]) for k in ("generator", "matplotlib", "numpy")))
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print(f"{len(cases)} axes -> {os.path.relpath(path)}", file=sys.stderr)


if __name__ == "__main__":
    main()
