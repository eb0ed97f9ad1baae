//! Encoding: frames in, a file format out. An encoder is told each frame whole plus the
//! rectangle that changed since the previous one, and how long it shows (a [`Duration`]; each
//! format stores it in its own unit); the provenance comment goes in as metadata, and
//! `finish` ends the file. [`Format`] names the formats and starts their encoders: GIF
//! ([`gif::DeltaEncoder`], with our own LZW in `lzw`) and lossless animated WebP
//! ([`webp::WebpEncoder`]). `inspect` reads a GIF's or WebP's blocks back (size, delays,
//! loop count, comments) without its pixels. `delta` finds what changed between frames,
//! `stretches` fills a frame's unchanged pixels the second way (both formats use it).

mod delta;
mod format;
pub mod gif;
pub mod inspect;
mod lzw;
mod stretches;
mod vp8l;
pub mod webp;

use crate::error::{Advice, Error, Field, Result};
use crate::raster::{Canvas, Rect};
use std::time::Duration;

pub use format::Format;
#[doc(hidden)]
pub use lzw::{leading, min_code_size, stream_codes, LzwEncoder};

/// The GIF encoder's diff, for the stage benchmark (`benches/stages.rs`): the bounding box of
/// the pixels inside `regions` that differ between `canvas` and `shown` (the previous frame).
#[doc(hidden)]
#[must_use]
pub fn changed_box(shown: &[u8], canvas: &Canvas, regions: &[Rect]) -> Rect {
    delta::changed_spans(shown, canvas, regions, &mut Vec::new())
}

/// What the frame loop needs of an encoder that writes into a `W`.
pub trait AnimationEncoder<W> {
    /// Sets the file's metadata: the provenance comment (see `output::provenance`), which
    /// `sgd-anim info` reads back. Called before the first frame, at most once.
    fn comment(&mut self, text: &str) -> Result<()>;

    /// Adds the next frame. `canvas` is the whole frame; `changed` holds every pixel that
    /// differs from the previous frame (for the first frame, anything: it is written whole);
    /// the frame shows for `duration` (see [`Timing::frame_delay`]).
    fn push(&mut self, canvas: &Canvas, changed: Rect, duration: Duration) -> Result<()>;

    /// [`AnimationEncoder::push`], told where the frame may differ as several rectangles
    /// (they may overlap; every differing pixel lies in one): the same file, and an encoder
    /// that compares frames (GIF's) reads only them, not the rows and columns between them
    /// that their union holds. By default, the union is pushed.
    fn push_regions(&mut self, canvas: &Canvas, regions: &[Rect], duration: Duration) -> Result<()> {
        let changed = regions.iter().fold(Rect::EMPTY, |union, &r| union.union(r));
        self.push(canvas, changed, duration)
    }

    /// Ends the file and returns the writer.
    fn finish(self: Box<Self>) -> Result<W>;
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

    /// How long every frame but the last shows, in every format: the delay as it plays
    /// (whole centiseconds, at least [`MIN_DELAY_CS`]; see [`Timing::frame_delay_cs`]), so a
    /// WebP plays as its GIF does.
    #[must_use]
    pub fn frame_delay(&self) -> Duration {
        Duration::from_millis(u64::from(self.frame_delay_cs()) * 10)
    }

    /// How long the last frame shows, the same way.
    #[must_use]
    pub fn last_delay(&self) -> Duration {
        Duration::from_millis(u64::from(self.last_delay_cs()) * 10)
    }

    /// How long a frame shows: [`Timing::last_delay`] if it is the `last`, else
    /// [`Timing::frame_delay`].
    #[must_use]
    pub fn delay(&self, last: bool) -> Duration {
        if last {
            self.last_delay()
        } else {
            self.frame_delay()
        }
    }
}

/// A duration in whole centiseconds (rounded), at least [`MIN_DELAY_CS`]: GIF's unit.
pub(crate) fn duration_to_cs(duration: Duration) -> u16 {
    ms_to_cs(u32::try_from(duration.as_millis()).unwrap_or(u32::MAX))
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
        assert_eq!((o.frame_delay(), o.last_delay()), (Duration::from_millis(20), Duration::from_secs(1)));
        assert_eq!(duration_to_cs(o.last_delay()), 100);
        let odd = Timing { delay_ms: 33, hold_ms: 1004, loop_count: None };
        assert_eq!((odd.frame_delay().as_millis(), odd.last_delay().as_millis()), (30, 1000));
    }
}
