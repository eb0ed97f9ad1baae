//! The library names settings by field (`train.lr`, `grid.threads`); the command line names
//! them by flag. The table is the library's ([`sgd_anim::cli::FLAGS`]: the provenance comment in
//! every GIF spells its command from it too); here errors are told in flags.

use sgd_anim::cli::cut;
use sgd_anim::Error;

/// The flag that sets a library field (the library's table, [`sgd_anim::cli::FLAGS`]); a field
/// without one is named as it is.
pub fn flag_of(field: &str) -> &str {
    sgd_anim::cli::flag_of(field).unwrap_or(field)
}

/// Library field names inside a message's advice, as flags ("in lrs or `gd_lrs`").
fn flags_in(text: &str) -> String {
    // "a different file from grid.out_dir (both name ...)": the other setting, as its flag.
    let named = sgd_anim::cli::FLAGS.iter().fold(text.to_string(), |text, (field, flag)| {
        text.replace(&format!("from {field} "), &format!("from {flag} "))
    });
    named
        .replace("lrs or gd_lrs", "--lrs or --gd-lrs")
        .replace("or show_batch", "or --show-batch")
        .replace("None loops forever", "leave --loop-count out to loop forever")
}

/// The error as the command line says it: flags, not fields.
pub fn describe(e: &Error) -> String {
    match e {
        Error::InvalidSetting { field, value, allowed } => {
            format!("invalid value '{}' for {}: {}", cut(value), flag_of(field), flags_in(allowed))
        }
        Error::OverBudget { field, value, estimate } => {
            format!("invalid value '{}' for {}: {}, or pass --force", cut(value), flag_of(field), flags_in(estimate))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_the_library_names_has_a_flag() {
        // Each field is one the library's checks use (grep `Error::invalid(` and `field:`).
        for field in [
            "train.lr",
            "train.batch_size",
            "train.steps",
            "train.start.0 (slope)",
            "train.start.1 (intercept)",
            "train.optimizer.momentum",
            "train.optimizer.beta1",
            "train.optimizer.beta2",
            "data",
            "data.n",
            "data.slope",
            "data.intercept",
            "data.noise",
            "scene.width",
            "scene.height",
            "scene.trail",
            "scene.caption_every",
            "timing.delay_ms",
            "timing.hold_ms",
            "timing.loop_count",
            "output",
            "trace",
            "grid.lrs",
            "grid.gd_lrs",
            "grid.batch_sizes",
            "grid.threads",
            "grid.out_dir",
            "grid.trace_dir",
            "grid.check",
            "grid.base_url",
            "replay.every",
        ] {
            assert!(flag_of(field).starts_with("--"), "{field} has no flag");
        }
        assert_eq!(flag_of("info.file"), "<FILE.gif>");
        assert_eq!(flag_of("replay.log"), "<RUN>", "the log is the argument");
        let e = Error::invalid("train.lr", "0", "a finite number above 0, such as 0.1");
        assert_eq!(describe(&e), "invalid value '0' for --lr: a finite number above 0, such as 0.1");
    }
}
