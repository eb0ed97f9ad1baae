//! What text keeps between calls, per thread: each size's font metrics (so a caption laid out
//! every frame costs table reads, not font lookups) and the cheap hash of the glyph cache's keys.

use super::{font, line_extent, scale};
use ab_glyph::{Font, GlyphId, ScaleFont};
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::Hasher;

/// Characters whose glyph, advance and kerning pairs a size keeps in flat tables.
const ASCII: usize = 128;

/// One size's font metrics, filled as they are asked for: the same `f32`s the font gives, so a
/// layout from them is the font's to the bit.
pub(super) struct SizeMetrics {
    px: f32,
    /// Glyph and advance of the ASCII characters.
    ascii: [Option<(GlyphId, f32)>; ASCII],
    /// Glyph and advance of the others.
    other: HashMap<char, (GlyphId, f32)>,
    /// Kerning of ASCII pairs (`first * ASCII + second`), NaN until asked for.
    ascii_kern: Vec<f32>,
    /// Kerning of pairs with a character beyond ASCII.
    other_kern: HashMap<(u16, u16), f32>,
    /// The line box ([`line_extent`]).
    pub(super) extent: (f64, f64),
}

/// Sizes kept a thread, beyond which the oldest is dropped (a caption shrunk to fit
/// may ask for any size).
pub(super) const SIZES_KEPT: usize = 16;

thread_local! {
    /// The sizes laid out on this thread, most recent last.
    pub(super) static SIZES: RefCell<Vec<SizeMetrics>> = const { RefCell::new(Vec::new()) };
}

impl SizeMetrics {
    /// The metrics of `px` among `sizes`, made on first use.
    pub(super) fn of(sizes: &mut Vec<SizeMetrics>, px: f32) -> &mut SizeMetrics {
        let at = if let Some(at) = sizes.iter().position(|m| m.px.to_bits() == px.to_bits()) {
            at
        } else {
            if sizes.len() == SIZES_KEPT {
                sizes.remove(0);
            }
            sizes.push(SizeMetrics {
                px,
                ascii: [None; ASCII],
                other: HashMap::new(),
                ascii_kern: vec![f32::NAN; ASCII * ASCII],
                other_kern: HashMap::new(),
                extent: line_extent(px),
            });
            sizes.len() - 1
        };
        &mut sizes[at]
    }

    /// The glyph of `c` and its advance.
    pub(super) fn glyph(&mut self, c: char) -> (GlyphId, f32) {
        let px = self.px;
        let look = || {
            let f = font().as_scaled(scale(px));
            let id = f.glyph_id(c);
            (id, f.h_advance(id))
        };
        match self.ascii.get_mut(c as usize) {
            Some(slot) => *slot.get_or_insert_with(look),
            None => *self.other.entry(c).or_insert_with(look),
        }
    }

    /// The kerning between glyphs `a` and `b` (of characters `ac` and `bc`).
    pub(super) fn kern(&mut self, (a, ac): (GlyphId, char), (b, bc): (GlyphId, char)) -> f32 {
        let px = self.px;
        let look = || font().as_scaled(scale(px)).kern(a, b);
        if (ac as usize) < ASCII && (bc as usize) < ASCII {
            let slot = &mut self.ascii_kern[ac as usize * ASCII + bc as usize];
            if slot.is_nan() {
                *slot = look();
            }
            *slot
        } else {
            *self.other_kern.entry((a.0, b.0)).or_insert_with(look)
        }
    }
}

/// A cheap hash for the glyph cache's small keys, looked up for every glyph of every caption
/// (the standard map's `SipHash` guards against chosen keys, which a cache of our own glyphs
/// does not face). Multiply-rotate over the key's bytes, as `FxHash` does.
#[derive(Default)]
pub(super) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }

    fn write_u16(&mut self, v: u16) {
        self.write_u64(u64::from(v));
    }

    fn write_u32(&mut self, v: u32) {
        self.write_u64(u64::from(v));
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
