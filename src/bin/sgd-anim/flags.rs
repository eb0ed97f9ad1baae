//! The library names settings by [`Field`] (`train.lr`, `grid.threads`), in an error's field
//! and in the advice that points to other settings; the command line names them by flag. The
//! table is the library's ([`Field::flag`]: the provenance comment in every GIF spells its
//! command from it too); here errors are told in flags.

use sgd_anim::cli::cut;
use sgd_anim::{Advice, Error, Piece};

/// The advice as the command line says it: other settings by flag, one left unset as a flag
/// left out ("leave --loop-count out").
fn in_flags(advice: &Advice) -> String {
    advice.naming(|piece| match piece {
        Piece::Field(field) => field.flag().to_string(),
        Piece::Unset(field) => format!("leave {} out", field.flag()),
        Piece::Text(text) => text.clone(),
        other => format!("{other:?}"),
    })
}

/// The error as the command line says it: flags, not fields.
pub fn describe(e: &Error) -> String {
    match e {
        Error::InvalidSetting { field, value, allowed } => {
            format!("invalid value '{}' for {}: {}", cut(value), field.flag(), in_flags(allowed))
        }
        Error::OverBudget { field, value, estimate } => {
            format!("invalid value '{}' for {}: {}, or pass --force", cut(value), field.flag(), in_flags(estimate))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sgd_anim::Field;

    /// Every field the library can name, in an error or in its advice, is a [`Field`]: each
    /// has its flag (or, for the operands, the argument's name), so no message names a field
    /// the command line does not have.
    #[test]
    fn every_field_the_library_names_has_a_flag() {
        assert!(Field::ALL.len() > 40);
        for &field in Field::ALL {
            let flag = field.flag();
            let operand = flag.starts_with('<') && flag.ends_with('>');
            assert!(flag.starts_with("--") || operand, "{field} has no flag: {flag}");
            let e = Error::invalid(field, "x", Advice::from("not ").field(field));
            assert_eq!(describe(&e), format!("invalid value 'x' for {flag}: not {flag}"));
        }
        assert_eq!(Field::InfoFile.flag(), "<FILE.gif>");
        assert_eq!(Field::ReplayLog.flag(), "<RUN>", "the log is the argument");
        let e = Error::invalid(Field::TrainLr, "0", "a finite number above 0, such as 0.1");
        assert_eq!(describe(&e), "invalid value '0' for --lr: a finite number above 0, such as 0.1");
    }

    /// The advice's references to other settings become flags, whatever its words.
    #[test]
    fn advice_names_other_settings_by_flag() {
        let allowed = Advice::from("at least one learning rate in ")
            .field(Field::GridLrs)
            .text(" or ")
            .field(Field::GridGdLrs)
            .text("; ")
            .unset(Field::TimingLoopCount)
            .text(" to loop forever");
        let e = Error::invalid(Field::GridLrs, "", allowed);
        assert_eq!(
            describe(&e),
            "invalid value '' for --lrs: at least one learning rate in --lrs or --gd-lrs; leave --loop-count out \
             to loop forever"
        );
        assert_eq!(
            e.to_string(),
            "invalid value '' for grid.lrs: at least one learning rate in grid.lrs or grid.gd_lrs; set \
             timing.loop_count to None to loop forever",
            "the library names them by key"
        );
        let over = Error::OverBudget {
            field: Field::TrainSteps,
            value: "9".into(),
            estimate: Advice::from("kept for ").field(Field::SceneShowBatch),
        };
        assert_eq!(describe(&over), "invalid value '9' for --steps: kept for --show-batch, or pass --force");
    }
}
