//! Encoding: frames in, a file format out. An encoder is told each frame whole plus the
//! rectangle that changed since the previous one, and how long it shows; the timing is given
//! in milliseconds and stored in the unit the format has. GIF is the one format today
//! ([`gif::DeltaEncoder`], with our own LZW in `lzw`); the next is one more file beside it.
//! `inspect` reads a GIF's blocks back (size, delays, loop count, comments) without its pixels.

pub mod gif;
pub mod inspect;
mod lzw;

use crate::error::{Advice, Error, Field, Result};
use crate::raster::{Canvas, Rect};

pub use self::gif::DeltaEncoder;
#[doc(hidden)]
pub use lzw::{leading, min_code_size, LzwEncoder};

/// What the frame loop needs of an encoder.
pub trait AnimationEncoder {
    /// Adds the next frame. `canvas` is the whole frame; `changed` holds every pixel that
    /// differs from the previous frame (for the first frame, anything: it is written whole);
    /// the frame shows for `delay_cs` centiseconds.
    fn push(&mut self, canvas: &Canvas, changed: Rect, delay_cs: u16) -> Result<()>;
}

/// Timing and looping of an animation, whatever its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Delay of every frame but the last, in milliseconds (the post: 20).
    pub delay_ms: u32,
    /// Delay of the last frame, in milliseconds, so a viewer sees where the run ended.
    pub hold_ms: u32,
    /// How many times the animation plays; `None` loops forever.
    pub loop_count: Option<u32>,
}

impl Default for Timing {
    fn default() -> Self {
        Timing { delay_ms: 20, hold_ms: 1000, loop_count: None }
    }
}

/// Browsers play delays of 0 or 1 centisecond at 10 cs: the shortest delay we write.
pub const MIN_DELAY_CS: u16 = 2;
/// The longest delay the GIF's 16-bit centisecond field holds, in milliseconds.
pub const MAX_DELAY_MS: u32 = u16::MAX as u32 * 10;
/// The most plays the NETSCAPE loop extension can express (65535 repeats after the first).
pub const MAX_LOOP_COUNT: u32 = u16::MAX as u32 + 1;

impl Timing {
    /// The delay of every frame but the last, in centiseconds.
    #[must_use]
    pub fn frame_delay_cs(&self) -> u16 {
        ms_to_cs(self.delay_ms)
    }

    /// The delay of the last frame: the hold, never shorter than a normal frame.
    #[must_use]
    pub fn last_delay_cs(&self) -> u16 {
        ms_to_cs(self.hold_ms).max(self.frame_delay_cs())
    }
}

fn ms_to_cs(ms: u32) -> u16 {
    let cs = (u64::from(ms) + 5) / 10;
    u16::try_from(cs).unwrap_or(u16::MAX).max(MIN_DELAY_CS)
}

impl Timing {
    /// Checks the delays and the loop count; the error names the field.
    pub fn validate(&self) -> Result<()> {
        let g = self;
        for (option, v) in [(Field::TimingDelayMs, g.delay_ms), (Field::TimingHoldMs, g.hold_ms)] {
            if v > MAX_DELAY_MS {
                return Err(Error::invalid(
                    option,
                    v,
                    format!("at most {MAX_DELAY_MS} ms (the GIF's 16-bit centisecond field)"),
                ));
            }
        }
        match g.loop_count {
            Some(n) if n == 0 || n > MAX_LOOP_COUNT => Err(Error::invalid(
                Field::TimingLoopCount,
                n,
                Advice::from(format!("a number of plays from 1 to {MAX_LOOP_COUNT}; "))
                    .unset(Field::TimingLoopCount)
                    .text(" to loop forever"),
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_round_and_floor_at_two_centiseconds() {
        let o = Timing::default();
        assert_eq!((o.frame_delay_cs(), o.last_delay_cs()), (2, 100));
        let fast = Timing { delay_ms: 0, hold_ms: 0, loop_count: None };
        assert_eq!((fast.frame_delay_cs(), fast.last_delay_cs()), (2, 2));
        assert_eq!(ms_to_cs(MAX_DELAY_MS), u16::MAX);
        assert_eq!(ms_to_cs(45), 5);
    }
}
