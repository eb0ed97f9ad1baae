//! The numbers a run logged at each step besides its line (losses, the learning rate, an
//! accuracy), and which of them share a panel.

/// One logged number over the frames: `loss`, `val_loss`, `lr`.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its name in the log.
    pub name: String,
    /// One entry per frame: `None` where that step did not log it (a validation loss logged
    /// every 100 steps); a logged non-finite value (JSON `null`, CSV `nan`) is NaN or infinite.
    pub values: Vec<Option<f64>>,
    /// The least and the most value at each frame, where the log gives a band around the
    /// series (W&B's `__MIN` and `__MAX` columns over runs or smoothing windows).
    pub band: Option<[Vec<Option<f64>>; 2]>,
    /// The run it was logged by, when several runs are animated together.
    pub run: Option<String>,
}

impl Series {
    /// What a legend and a caption call it: its name, after its run's when there are several.
    #[must_use]
    pub fn label(&self) -> String {
        match &self.run {
            Some(run) if *run != self.name => format!("{run} {}", self.name),
            _ => self.name.clone(),
        }
    }

    /// For each frame, the latest frame at or before it that logged a value, if any: what the
    /// caption shows there, and where the curve's newest segment starts.
    #[must_use]
    pub fn latest(&self) -> Vec<Option<usize>> {
        let mut last = None;
        self.values
            .iter()
            .enumerate()
            .map(|(k, v)| {
                if v.is_some() {
                    last = Some(k);
                }
                last
            })
            .collect()
    }
}

/// The series a run logged, a value per frame.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Curves {
    /// The logged step of each frame, increasing (gaps allowed).
    pub steps: Vec<usize>,
    /// What the steps count, as the log names its step column (`step`, `Step`, `epoch`);
    /// empty: the log gives no steps, and they are counted.
    pub axis: String,
    /// The series, in the order the log first names them.
    pub series: Vec<Series>,
    /// Where each frame sits on the axis when not at its step (`--x epoch` on Hugging Face's
    /// fractional epochs, `--x time`: seconds from the first record); empty: at its step.
    pub x: Vec<f64>,
}

/// Series that share a panel: a metric and its validation and test forms.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// What the panel's axis says: `loss`, `lr`, `accuracy`.
    pub name: String,
    /// Indices into [`Curves::series`], in log order.
    pub members: Vec<usize>,
}

/// The group a series belongs to: every loss together (`loss`, `val_loss`, `huber_loss`), and
/// otherwise the name without a split's prefix or suffix (`val_acc` and `acc` together, `lr`
/// alone). `learning_rate` is `lr`; `acc` and `accuracy` are one.
#[must_use]
pub fn group_name(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    if lower.contains("loss") {
        return "loss".into();
    }
    let mut base = lower.as_str();
    for split in ["train", "training", "val", "valid", "validation", "test", "eval"] {
        for sep in ['_', '/', '-', '.'] {
            if let Some(rest) = base.strip_prefix(&format!("{split}{sep}")).filter(|r| !r.is_empty()) {
                base = rest;
            }
            if let Some(rest) = base.strip_suffix(&format!("{sep}{split}")).filter(|r| !r.is_empty()) {
                base = rest;
            }
        }
    }
    match base {
        "lr" | "learning_rate" | "learning-rate" => "lr".into(),
        "acc" | "accuracy" => "accuracy".into(),
        other => other.into(),
    }
}

impl Curves {
    /// The panels' groups, in the order their first series appear in the log.
    #[must_use]
    pub fn groups(&self) -> Vec<Group> {
        let mut groups: Vec<Group> = vec![];
        for (i, series) in self.series.iter().enumerate() {
            let name = group_name(&series.name);
            match groups.iter_mut().find(|g| g.name == name) {
                Some(g) => g.members.push(i),
                None => groups.push(Group { name, members: vec![i] }),
            }
        }
        groups
    }

    /// Where frame `k` sits on the axis: [`Curves::x`]'s, or its step.
    #[must_use]
    pub fn x_of(&self, k: usize) -> f64 {
        self.x.get(k).copied().unwrap_or_else(|| self.steps.get(k).map_or(0.0, |&s| s as f64))
    }

    /// The series called `name`, if logged.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Series> {
        self.series.iter().find(|s| s.name == name)
    }

    /// Number of frames.
    #[must_use]
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether there are no frames.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losses_share_a_panel_and_splits_join_their_metric() {
        for (name, group) in [
            ("loss", "loss"),
            ("val_loss", "loss"),
            ("Huber_Loss", "loss"),
            ("lr", "lr"),
            ("learning_rate", "lr"),
            ("accuracy", "accuracy"),
            ("val_acc", "accuracy"),
            ("train/accuracy", "accuracy"),
            ("acc_test", "accuracy"),
            ("grad_norm", "grad_norm"),
            ("val", "val"),
        ] {
            assert_eq!(group_name(name), group, "{name}");
        }
        let series = |name: &str| Series { name: name.into(), values: vec![Some(1.0)], band: None, run: None };
        let curves = Curves {
            steps: vec![0],
            axis: String::new(),
            series: ["loss", "lr", "val_loss", "val_acc"].map(series).into_iter().collect(),
            x: vec![],
        };
        let groups: Vec<(String, Vec<usize>)> = curves.groups().into_iter().map(|g| (g.name, g.members)).collect();
        assert_eq!(
            groups,
            vec![("loss".into(), vec![0, 2]), ("lr".into(), vec![1]), ("accuracy".into(), vec![3])],
            "in the order the log names them"
        );
    }

    #[test]
    fn latest_holds_the_last_logged_value() {
        let s = Series {
            name: "val_loss".into(),
            values: vec![None, Some(2.0), None, None, Some(1.0), None],
            band: None,
            run: None,
        };
        assert_eq!(s.latest(), vec![None, Some(1), Some(1), Some(1), Some(4), Some(4)]);
    }
}
