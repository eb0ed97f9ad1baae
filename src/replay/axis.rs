//! Which column of a log is its step axis, and which columns are clocks or bookkeeping rather
//! than metrics, as the tools people train with name them: `step` (Lightning, Hugging Face),
//! `Step` (TensorBoard's and W&B's CSV), `global_step`, `iteration`, `iter`, `_step` (W&B's
//! history), `epoch` (Keras' CSVLogger; only when no finer column is there).

/// The step-axis names, finest first; matched ignoring case.
const STEP_NAMES: [&str; 6] = ["step", "global_step", "_step", "iteration", "iter", "epoch"];

/// The column to read steps from among `names`: the one `wanted` names (ignoring case;
/// `step` is the finest step column there is), else the finest step column there is.
/// Returns its index.
#[must_use]
pub(crate) fn step_column<S: AsRef<str>>(names: &[S], wanted: Option<&str>) -> Option<usize> {
    let find = |want: &str| names.iter().position(|n| n.as_ref().trim().eq_ignore_ascii_case(want));
    match wanted {
        Some(w) if w.eq_ignore_ascii_case("step") => STEP_NAMES[..5].iter().find_map(|s| find(s)),
        Some(w) => find(w),
        None => STEP_NAMES.iter().find_map(|s| find(s)),
    }
}

/// Whether `name` is a step axis's name (drawn as a metric only when named).
#[must_use]
pub(crate) fn is_step_name(name: &str) -> bool {
    STEP_NAMES.iter().any(|s| name.trim().eq_ignore_ascii_case(s))
}

/// Whether `name` is a clock or bookkeeping column, never drawn unless named: the wall time,
/// a timestamp, a runtime, a throughput (`*_per_second`), Hugging Face's `total_flos`, or
/// another step axis.
#[must_use]
pub(crate) fn is_bookkeeping(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    let bare = lower.trim_start_matches('_');
    is_step_name(&lower)
        || matches!(bare, "wall time" | "wall_time" | "walltime" | "timestamp" | "time" | "runtime" | "total_flos")
        || bare.ends_with("_runtime")
        || bare.ends_with("_per_second")
        || bare.ends_with(" time")
        || bare.ends_with("_timestamp")
}

/// Whether `name` is a clock: what `--x time` reads (wall time, a timestamp, a runtime).
#[must_use]
pub(crate) fn is_clock(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    let bare = lower.trim_start_matches('_');
    matches!(bare, "wall time" | "wall_time" | "walltime" | "timestamp" | "time" | "runtime")
}

/// Whether the column `name` is the axis `--x x` names: a clock for `time`, else the column
/// of that name (ignoring case).
#[must_use]
pub(crate) fn is_x(x: &str, name: &str) -> bool {
    if x.eq_ignore_ascii_case("time") {
        is_clock(name)
    } else {
        name.trim().eq_ignore_ascii_case(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_finest_step_column_is_the_axis_and_epoch_only_alone() {
        assert_eq!(step_column(&["epoch", "step", "loss"], None), Some(1));
        assert_eq!(step_column(&["Wall time", "Step", "Value"], None), Some(1));
        assert_eq!(step_column(&["epoch", "accuracy", "loss"], None), Some(0));
        assert_eq!(step_column(&["loss", "Iteration"], None), Some(1));
        assert_eq!(step_column(&["loss", "GLOBAL_STEP", "iter"], None), Some(1));
        assert_eq!(step_column(&["loss", "lr"], None), None);
        assert_eq!(step_column(&["epoch", "step"], Some("epoch")), Some(0));
        assert_eq!(step_column(&["epoch", "iter"], Some("step")), Some(1));
        assert_eq!(step_column(&["epoch", "loss"], Some("step")), None);
    }

    #[test]
    fn clocks_and_bookkeeping_are_not_metrics() {
        for name in [
            "Wall time",
            "wall_time",
            "timestamp",
            "time",
            "_runtime",
            "eval_runtime",
            "train_samples_per_second",
            "total_flos",
            "epoch",
            "_timestamp",
        ] {
            assert!(is_bookkeeping(name), "{name}");
        }
        for name in ["loss", "val_loss", "lr", "train_loss", "grad_norm", "Value"] {
            assert!(!is_bookkeeping(name), "{name}");
        }
    }
}
