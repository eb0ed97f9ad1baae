//! What a frame may be: its size, trail and caption cadence, checked before any drawing.

use super::scene::{SceneSettings, MAX_SIZE, MIN_SIZE};
use crate::error::{Error, Field, Result};

/// The most earlier lines a trail may show.
pub const MAX_TRAIL: usize = 100;

impl SceneSettings {
    /// Checks the frame size, trail and caption cadence; the error names the field.
    pub fn validate(&self) -> Result<()> {
        self.validate_panels(self.view.panels())
    }

    /// [`SceneSettings::validate`] for a frame of `panels` panels (a logged run's).
    pub(crate) fn validate_panels(&self, panels: u32) -> Result<()> {
        let s = self;
        if s.caption_every == Some(0) {
            return Err(Error::invalid(Field::SceneCaptionEvery, 0, "a number of frames, 1 or more (1: every frame)"));
        }
        if s.trail > MAX_TRAIL {
            return Err(Error::invalid(Field::SceneTrail, s.trail, format!("at most {MAX_TRAIL} earlier lines")));
        }
        let min_width = MIN_SIZE * panels;
        for (field, v, min) in [(Field::SceneWidth, s.width, min_width), (Field::SceneHeight, s.height, MIN_SIZE)] {
            if !(min..=MAX_SIZE).contains(&v) {
                let per = if field == "scene.width" && panels > 1 {
                    format!(" ({MIN_SIZE} per panel)")
                } else {
                    String::new()
                };
                return Err(Error::invalid(field, v, format!("between {min}{per} and {MAX_SIZE} pixels")));
            }
        }
        Ok(())
    }
}
