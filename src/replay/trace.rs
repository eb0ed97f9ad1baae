//! The parts of our trace besides its steps, as `output::trace` writes them: the points
//! (`data`) and the settings (their schema type is the writer's), read back by the JSON
//! reader's visitors.

use super::sink::LoggedData;
use crate::run::{Dataset, MAX_POINTS, MAX_VALUE};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// `{"x": [...], "y": [...], "truth": [slope, intercept], "limits": "lesson"}`: the points,
/// checked as a CSV's are, and what a trace says of how they were drawn.
pub(super) struct DataSeed;

impl<'de> DeserializeSeed<'de> for DataSeed {
    type Value = LoggedData;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DataSeed {
    type Value = LoggedData;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with the points' \"x\" and \"y\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut x, mut y, mut truth, mut lesson_limits) = (None, None, None, false);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "x" => x = Some(map.next_value_seed(Points("x"))?),
                "y" => y = Some(map.next_value_seed(Points("y"))?),
                "truth" => truth = map.next_value::<Option<(f64, f64)>>()?,
                "limits" => {
                    lesson_limits = match map.next_value::<String>()?.as_str() {
                        "lesson" => true,
                        "data" => false,
                        other => {
                            let other = crate::error::cut(other);
                            return Err(de::Error::custom(format!(
                                "\"limits\" is \"lesson\" or \"data\", not \"{other}\""
                            )));
                        }
                    };
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let (Some(x), Some(y)) = (x, y) else {
            return Err(de::Error::custom("expected both \"x\" and \"y\""));
        };
        if x.len() != y.len() {
            return Err(de::Error::custom(format!("{} x values but {} y values", x.len(), y.len())));
        }
        if x.len() < 2 {
            return Err(de::Error::custom(format!("need at least 2 points, found {}", x.len())));
        }
        let truth = truth.filter(|(s, i): &(f64, f64)| s.is_finite() && i.is_finite());
        Ok(LoggedData { points: Dataset { x, y }, truth, lesson_limits })
    }
}

/// One coordinate of the points: finite numbers within ±[`MAX_VALUE`], at most [`MAX_POINTS`].
struct Points(&'static str);

impl<'de> DeserializeSeed<'de> for Points {
    type Value = Vec<f64>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<f64>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Points {
    type Value = Vec<f64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of {} values", self.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
        let mut values = vec![];
        while let Some(v) = seq.next_element::<Option<f64>>()? {
            let at = values.len();
            match v {
                _ if at == MAX_POINTS => {
                    return Err(de::Error::custom(format!(
                        "more than {MAX_POINTS} points, the most a dataset may have"
                    )));
                }
                Some(v) if v.abs() <= MAX_VALUE => values.push(v),
                Some(v) => {
                    return Err(de::Error::custom(format!(
                        "{} value {v} (index {at}) is beyond ±{MAX_VALUE:e}; rescale the data",
                        self.0
                    )));
                }
                None => {
                    return Err(de::Error::custom(format!("{} value null (index {at}); points are finite", self.0)))
                }
            }
        }
        Ok(values)
    }
}

/// A trace's settings: the one schema type `output::trace` writes.
pub(super) use crate::run::TraceSettings as SettingsJson;
