//! The command line's name for each settings field. The library names settings by field
//! (`train.lr`, `grid.threads`) in its errors; the `sgd-anim` command names them by flag
//! (`--lr`, `--jobs`). Both the binary's error messages and the command a GIF's comment
//! carries (`output::provenance`) spell flags from this one table, so a flag is renamed in
//! one place.

/// Each settings field the command line sets, with its flag: the animation's settings in the
/// order the canonical command gives them, then the others.
pub const FLAGS: &[(&str, &str)] = &[
    ("train.lr", "--lr"),
    ("train.batch_size", "--batch-size"),
    ("train.steps", "--steps"),
    ("train.seed", "--seed"),
    ("train.start.0 (slope)", "--start-slope"),
    ("train.start.1 (intercept)", "--start-intercept"),
    ("train.sampling", "--sampling"),
    ("train.optimizer", "--optimizer"),
    ("train.optimizer.momentum", "--momentum"),
    ("train.optimizer.beta1", "--beta1"),
    ("train.optimizer.beta2", "--beta2"),
    ("data.n", "--n"),
    ("data.slope", "--true-slope"),
    ("data.intercept", "--true-intercept"),
    ("data.noise", "--noise"),
    ("data", "--data"),
    ("scene.view", "--view"),
    ("scene.width", "--width"),
    ("scene.height", "--height"),
    ("scene.caption", "--no-caption"),
    ("scene.caption_every", "--caption-every"),
    ("scene.trail", "--trail"),
    ("scene.show_batch", "--show-batch"),
    ("timing.delay_ms", "--delay-ms"),
    ("timing.hold_ms", "--hold-ms"),
    ("timing.loop_count", "--loop-count"),
    ("force", "--force"),
    ("output", "--output"),
    ("trace", "--trace"),
    ("grid.lrs", "--lrs"),
    ("grid.gd_lrs", "--gd-lrs"),
    ("grid.batch_sizes", "--batch-sizes"),
    ("grid.threads", "--jobs"),
    ("grid.out_dir", "--out"),
    ("grid.trace_dir", "--trace-dir"),
    ("grid.check", "--check"),
    ("grid.base_url", "--base-url"),
    ("grid.formats", "--format"),
    ("info.file", "<FILE.gif>"),
    ("replay.log", "<RUN>"),
    ("replay.every", "--every"),
    ("replay.metrics", "--metrics"),
    ("replay.x", "--x"),
    ("replay.name", "--name"),
];

/// The flag that sets a settings field (`train.lr` -> `--lr`), if the command line has one.
///
/// ```
/// assert_eq!(sgd_anim::flag_of("train.lr"), Some("--lr"));
/// assert_eq!(sgd_anim::flag_of("scene.theme"), None);
/// ```
#[must_use]
pub fn flag_of(field: &str) -> Option<&'static str> {
    FLAGS.iter().find(|(f, _)| *f == field).map(|&(_, flag)| flag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_and_each_flag_appears_once() {
        for (i, (field, flag)) in FLAGS.iter().enumerate() {
            assert!(!FLAGS[..i].iter().any(|(f, _)| f == field), "{field} twice");
            assert!(!FLAGS[..i].iter().any(|(_, g)| g == flag), "{flag} twice");
            assert!(flag.starts_with("--") || flag.starts_with('<'), "{flag}");
        }
    }
}
