"""Training logs as the tools people train with write them, small, for `sgd-anim replay`'s tests
(tests/it/logs.rs). Event files are written by the real writers: the `tensorboard` package's
own EventFileWriter (PyTorch's SummaryWriter writes through it) and tensorboardX. The other
layouts are written here to match their documented formats:

- Lightning's CSVLogger `metrics.csv`: a row per log call, `epoch` and `step` on each, blank
  cells for what that call did not log; a validation row repeats its training row's step.
- Hugging Face Trainer's `trainer_state.json`: `json.dumps(..., indent=2, sort_keys=True)` of
  the state, `log_history` holding train entries, eval entries at the same step, and the
  final summary (`train_loss`, `train_runtime`, ...).
- Keras' CSVLogger: `epoch` then the sorted metric names, a row an epoch.
- TensorBoard's CSV download: `Wall time,Step,Value`.
- W&B's panel export: every cell quoted, `<run> - <metric>`, with `__MIN` and `__MAX`.
- MLflow's run folder: `metrics/<name>`, a line `timestamp value step` a logged value.
- A run that blew up, logged with `json.dumps` (which writes NaN and Infinity).

Beside them, expected.json says, per log, the step axis and every series (steps and values,
null for NaN) as written, float32-rounded where the format stores float32.

    pip install tensorboard tensorboardX numpy
    cd tests/data/logs && python3 make_logs.py

Run from scratch (the script empties its output folders first); event files name the host
and the time, so their bytes change from run to run, never their contents.
"""

import csv
import json
import math
import os
import shutil
import struct

from tensorboard.compat.proto import event_pb2, summary_pb2, tensor_pb2, types_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter

HERE = os.path.dirname(os.path.abspath(__file__))
expected = {}


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def num(v):
    return None if isinstance(v, float) and math.isnan(v) else v


def expect(log, axis, series, last_step):
    expected[log] = {
        "axis": axis,
        "last_step": last_step,
        "series": {name: [[s, num(v)] for s, v in points] for name, points in series.items()},
    }


def fresh(path):
    full = os.path.join(HERE, path)
    if os.path.isdir(full):
        shutil.rmtree(full)
    os.makedirs(full)
    return full


def loss_at(step, start=2.0, rate=0.02):
    return start * math.exp(-rate * step) + 0.05


# PyTorch's SummaryWriter: simple_value scalars, a step per event, through tensorboard's writer.
def pytorch_run():
    folder = fresh("tb_pytorch")
    writer = EventFileWriter(folder)
    series = {"Loss/train": [], "lr": []}
    for step in range(0, 100, 10):
        for tag, value in [("Loss/train", loss_at(step)), ("lr", 0.1 if step < 50 else 0.01)]:
            value_pb = summary_pb2.Summary.Value(tag=tag, simple_value=value)
            writer.add_event(event_pb2.Event(step=step, wall_time=1.7e9 + step, summary=summary_pb2.Summary(value=[value_pb])))
            series[tag].append([step, f32(value)])
    # An image and a text value: passed over and counted.
    image = summary_pb2.Summary.Image(height=1, width=1, colorspace=1, encoded_image_string=b"\x89PNG")
    writer.add_event(event_pb2.Event(step=90, summary=summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="sample", image=image)])))
    writer.close()
    expect("tb_pytorch", "step", series, 90)


def scalar_value(tag, value, first, double):
    if double:
        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_DOUBLE, tensor_content=struct.pack("<d", value))
    else:
        tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_FLOAT, float_val=[value])
    value_pb = summary_pb2.Summary.Value(tag=tag, tensor=tensor)
    if first:
        # TF2 names the plugin with a tag's first value only.
        value_pb.metadata.plugin_data.plugin_name = "scalars"
        value_pb.metadata.data_class = summary_pb2.DATA_CLASS_SCALAR
    return value_pb


# Keras' TensorBoard callback: train/ and validation/ folders, scalar tensors of the scalars plugin.
def keras_run():
    root = fresh("tb_keras")
    series = {}
    for split, offset in [("train", 0.0), ("validation", 0.1)]:
        writer = EventFileWriter(os.path.join(root, split))
        for epoch in range(6):
            values = [
                ("epoch_loss", loss_at(epoch * 10) + offset, False),
                ("epoch_accuracy", 0.5 + 0.08 * epoch - offset / 2, True),
            ]
            pbs = []
            for tag, value, double in values:
                pbs.append(scalar_value(tag, value, epoch == 0, double))
                stored = value if double else f32(value)
                series.setdefault(f"{split}/{tag}", []).append([epoch, stored])
            writer.add_event(event_pb2.Event(step=epoch, wall_time=1.7e9 + epoch, summary=summary_pb2.Summary(value=pbs)))
        writer.close()
    expect("tb_keras", "step", series, 5)


# tensorboardX's SummaryWriter.add_scalar and add_text.
def tensorboardx_run():
    from tensorboardX import SummaryWriter

    folder = fresh("tb_x")
    writer = SummaryWriter(logdir=folder)
    series = {"train/loss": [], "train/acc": []}
    for step in range(0, 40, 4):
        loss, acc = loss_at(step, 1.5, 0.05), 0.4 + step / 100
        writer.add_scalar("train/loss", loss, step)
        writer.add_scalar("train/acc", acc, step)
        series["train/loss"].append([step, f32(loss)])
        series["train/acc"].append([step, f32(acc)])
    writer.add_text("notes", "a run", 0)
    writer.close()
    expect("tb_x", "step", series, 36)


# Lightning's CSVLogger: rows per log call, the same step twice, blank cells.
def lightning_run():
    folder = fresh("lightning")
    keys = ["epoch", "step", "train_loss", "val_acc", "val_loss"]
    series = {"train_loss": [], "val_acc": [], "val_loss": []}
    rows = []
    for epoch in range(4):
        for k in range(3):
            step = epoch * 30 + k * 10 + 9
            rows.append({"epoch": epoch, "step": step, "train_loss": loss_at(step)})
            series["train_loss"].append([step, loss_at(step)])
        rows.append({"epoch": epoch, "step": step, "val_loss": loss_at(step) + 0.1, "val_acc": 0.6 + epoch / 10})
        series["val_loss"].append([step, loss_at(step) + 0.1])
        series["val_acc"].append([step, 0.6 + epoch / 10])
    with open(os.path.join(folder, "metrics.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=keys)
        writer.writeheader()
        writer.writerows(rows)
    expect("lightning", "step", series, 119)


# Hugging Face Trainer's trainer_state.json.
def trainer_run():
    folder = fresh("hf")
    history, series = [], {"grad_norm": [], "learning_rate": [], "loss": [], "eval_loss": []}
    for step in range(10, 70, 10):
        lr = 5e-5 * (1 - step / 60)
        entry = {"epoch": step / 20, "grad_norm": 1.0 + 10 / step, "learning_rate": lr, "loss": loss_at(step), "step": step}
        history.append(entry)
        for key in ["grad_norm", "learning_rate", "loss"]:
            series[key].append([step, entry[key]])
        if step % 20 == 0:
            history.append({"epoch": step / 20, "eval_loss": loss_at(step) + 0.2, "eval_runtime": 1.25, "eval_samples_per_second": 80.0, "eval_steps_per_second": 10.0, "step": step})
            series["eval_loss"].append([step, loss_at(step) + 0.2])
    history.append({"epoch": 3.0, "step": 60, "total_flos": 123456789.0, "train_loss": 0.7, "train_runtime": 30.5, "train_samples_per_second": 50.0, "train_steps_per_second": 2.0})
    state = {"best_metric": None, "best_model_checkpoint": None, "epoch": 3.0, "eval_steps": 20, "global_step": 60, "is_hyper_param_search": False, "log_history": history, "logging_steps": 10, "max_steps": 60, "num_train_epochs": 3, "total_flos": 123456789.0, "train_batch_size": 8, "trial_name": None}
    with open(os.path.join(folder, "trainer_state.json"), "w") as f:
        f.write(json.dumps(state, indent=2, sort_keys=True) + "\n")
    expect("hf", "step", series, 60)


# Keras' CSVLogger: epoch, then the metric names sorted.
def keras_csv_run():
    folder = fresh("keras_csv")
    series = {"accuracy": [], "loss": [], "val_accuracy": [], "val_loss": []}
    with open(os.path.join(folder, "training.log"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch", "accuracy", "loss", "val_accuracy", "val_loss"])
        for epoch in range(8):
            row = {"accuracy": 0.5 + epoch / 20, "loss": loss_at(epoch * 10), "val_accuracy": 0.45 + epoch / 20, "val_loss": loss_at(epoch * 10) + 0.15}
            writer.writerow([epoch] + [row[k] for k in ["accuracy", "loss", "val_accuracy", "val_loss"]])
            for k, v in row.items():
                series[k].append([epoch, v])
    expect("keras_csv/training.log", "epoch", series, 7)


# TensorBoard's CSV download of one tag.
def tensorboard_csv():
    folder = fresh("tb_csv")
    points = [[step, f32(loss_at(step))] for step in range(0, 200, 25)]
    with open(os.path.join(folder, "run-train-tag-epoch_loss.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["Wall time", "Step", "Value"])
        for step, value in points:
            writer.writerow([1701590000.123456 + step, step, value])
    expect("tb_csv/run-train-tag-epoch_loss.csv", "Step", {"run-train-tag-epoch_loss": points}, 175)


# W&B's panel export: quoted, the run's name before " - ", a band from __MIN and __MAX.
def wandb_csv():
    folder = fresh("wandb")
    points = []
    with open(os.path.join(folder, "wandb_export.csv"), "w", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(["Step", "adam - train/loss", "adam - train/loss__MIN", "adam - train/loss__MAX"])
        for step in range(0, 300, 30):
            v = loss_at(step, 1.8, 0.01)
            writer.writerow([step, v, v - 0.1, v + 0.1])
            points.append([step, v])
    expect("wandb/wandb_export.csv", "Step", {"train/loss": points}, 270)


# MLflow's run folder.
def mlflow_run():
    root = fresh("mlruns")
    metrics = os.path.join(root, "0", "4f2a", "metrics")
    os.makedirs(metrics)
    series = {"loss": [], "val_loss": []}
    with open(os.path.join(metrics, "loss"), "w") as a, open(os.path.join(metrics, "val_loss"), "w") as b:
        for step in range(0, 50, 5):
            a.write(f"{1701590000000 + step} {loss_at(step)} {step}\n")
            series["loss"].append([step, loss_at(step)])
            if step % 10 == 0:
                b.write(f"{1701590000000 + step} {loss_at(step) + 0.1} {step}\n")
                series["val_loss"].append([step, loss_at(step) + 0.1])
    expect("mlruns/0/4f2a", "step", series, 45)


# A run that blew up, logged with json.dumps: NaN and Infinity.
def diverged_jsonl():
    folder = fresh("diverged")
    points = []
    with open(os.path.join(folder, "train.jsonl"), "w") as f:
        loss = 1.0
        for step in range(8):
            loss = loss * 10 if step < 5 else (float("inf") if step == 5 else float("nan"))
            f.write(json.dumps({"step": step, "loss": loss, "lr": 3.0}) + "\n")
            points.append([step, loss])
    expected["diverged/train.jsonl"] = {
        "axis": "step",
        "last_step": 7,
        "series": {"loss": [[s, v if math.isfinite(v) else str(v)] for s, v in points], "lr": [[s, 3.0] for s, _ in points]},
    }


for make in [pytorch_run, keras_run, tensorboardx_run, lightning_run, trainer_run, keras_csv_run, tensorboard_csv, wandb_csv, mlflow_run, diverged_jsonl]:
    make()
with open(os.path.join(HERE, "expected.json"), "w") as f:
    f.write(json.dumps(expected, sort_keys=True) + "\n")
