"""The lesson's loop ("SGD from scratch": a line fitted by gradient descent from (-1, 1)) with a
Huber loss instead of the MSE, in numpy, logging every second step as JSON Lines the way a
PyTorch loop would, for `sgd-anim replay`. Huber's gradient is clipped, so it takes lr 1.0
where the lesson's MSE took 0.1.

    python3 tests/data/huber_log.py > tests/data/huber.jsonl

The first line holds the points; then one object per logged step: its step, the line there and
the Huber loss of that line. The log is kept beside this script (tests/it/replay.rs reads it), so the
tests need no Python; run the script again to check it still writes the same bytes.
"""

import json

import numpy as np

rng = np.random.default_rng(42)
n = 50
x = rng.uniform(-1.0, 1.0, n)
y = 3.0 * x + 10.0 + 0.6 * rng.standard_normal(n)
# A few far-off points: what Huber is for.
y[::10] += 6.0


def huber(errors, delta=1.0):
    small = np.abs(errors) <= delta
    return np.where(small, 0.5 * errors**2, delta * (np.abs(errors) - 0.5 * delta)).mean()


def huber_grad(errors, delta=1.0):
    # d loss / d y_hat, per point, over the mean.
    return np.clip(errors, -delta, delta) / len(errors)


def log(record):
    # json.dumps writes NaN and Infinity, which are not JSON: a diverged loss is written as null.
    clean = {k: (v if not isinstance(v, float) or np.isfinite(v) else None) for k, v in record.items()}
    print(json.dumps(clean))


log({"data": {"x": x.round(6).tolist(), "y": y.round(6).tolist()}})
x, y = np.round(x, 6), np.round(y, 6)
a = np.array([-1.0, 1.0])  # slope, intercept
lr = 1.0
for t in range(61):
    errors = a[0] * x + a[1] - y
    loss = huber(errors)
    if t % 2 == 0:
        log({"step": t, "slope": float(a[0]), "intercept": float(a[1]), "loss": float(loss), "lr": lr})
    g = huber_grad(errors)
    a = a - lr * np.array([(g * x).sum(), g.sum()])
