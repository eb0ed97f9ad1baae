//! One global palette per scene, built once from the theme: the colours the background
//! holds plus every anti-aliasing shade the per-frame inks can lay over them. Drawing is a
//! table lookup `(pixel index, ink, coverage level) -> index`: no per-frame quantisation.

use std::collections::HashMap;

/// An RGB colour.
pub type Rgb = [u8; 3];

/// A colour the renderer draws with, and how many coverage levels its anti-aliasing keeps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    /// The colour at full coverage.
    pub rgb: Rgb,
    /// Coverage is rounded to multiples of `1 / levels`.
    pub levels: u8,
}

/// At most 255 colours, leaving one index for transparency in the GIF.
pub const MAX_COLORS: usize = 255;

/// The palette and its blend table.
#[derive(Debug, Clone)]
pub struct Palette {
    colors: Vec<Rgb>,
    lookup: HashMap<Rgb, u8>,
    inks: Vec<Ink>,
    /// `blend[(entry * inks + ink) * STRIDE + level]`, filled by [`Palette::freeze`].
    blend: Vec<u8>,
    /// False when some shade did not fit and maps to its nearest colour instead.
    exact: bool,
    /// The transparent slot, once [`Palette::prioritise`] has placed it among the colours.
    transparent: Option<u8>,
}

const STRIDE: usize = 17;

/// The frozen blend table of one ink (see [`Palette::slot_blender`]).
#[derive(Debug, Clone, Copy)]
pub struct SlotBlender<'p> {
    table: &'p [u8],
    inks: usize,
    slot: usize,
    ink: Ink,
}

impl SlotBlender<'_> {
    /// How many coverage levels the ink keeps.
    #[must_use]
    pub fn levels(&self) -> u8 {
        self.ink.levels
    }

    /// The index `level` levels of the ink make over `under` (`level` at most
    /// [`SlotBlender::levels`]).
    #[inline]
    #[must_use]
    pub fn blend_level(&self, under: u8, level: usize) -> u8 {
        self.table[(under as usize * self.inks + self.slot) * STRIDE + level]
    }

    /// The same index as [`Palette::blend_slot`] with this slot.
    #[inline]
    #[must_use]
    pub fn blend(&self, under: u8, alpha: f64) -> u8 {
        let level = Palette::level(&self.ink, alpha);
        self.table[(under as usize * self.inks + self.slot) * STRIDE + level]
    }
}

impl Palette {
    /// A growing palette holding `background`, with the inks drawing may use.
    #[must_use]
    pub fn new(background: Rgb, inks: &[Ink]) -> Palette {
        let mut p = Palette {
            colors: vec![],
            lookup: HashMap::new(),
            inks: inks.to_vec(),
            blend: vec![],
            exact: true,
            transparent: None,
        };
        p.insert(background);
        p
    }

    /// The colours, in index order.
    #[must_use]
    pub fn colors(&self) -> &[Rgb] {
        &self.colors
    }

    /// Whether every shade [`Palette::close_over`] asked for got its own entry.
    #[must_use]
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// The index reserved for transparent pixels (one past the colours).
    #[must_use]
    pub fn transparent_index(&self) -> u8 {
        self.transparent.unwrap_or(self.colors.len() as u8)
    }

    /// Moves `first` (those present) to the lowest indices, in order, with the transparent slot
    /// right after the first of them. GIF frames that use only low indices get a smaller LZW code size,
    /// so the colours most frames change (the page, caption and line shades over it) go first.
    /// Returns the map from old to new indices, for canvases drawn before.
    pub fn prioritise(&mut self, first: &[Rgb]) -> Vec<u8> {
        let mut order: Vec<usize> = vec![];
        for rgb in first {
            if let Some(&i) = self.lookup.get(rgb) {
                if !order.contains(&(i as usize)) {
                    order.push(i as usize);
                }
            }
        }
        // Right after the page colour: frames that only erase (page + transparent) need 2-bit codes.
        let slot = order.len().min(1);
        let rest: Vec<usize> = (0..self.colors.len()).filter(|i| !order.contains(i)).collect();
        order.extend(rest);
        let old = std::mem::take(&mut self.colors);
        let mut map = vec![0u8; old.len()];
        self.lookup.clear();
        for (new, &o) in order.iter().enumerate() {
            let new = if new >= slot { new + 1 } else { new };
            map[o] = new as u8;
            self.lookup.insert(old[o], new as u8);
        }
        self.colors = order.iter().map(|&o| old[o]).collect();
        // The slot shows nothing; it takes the page colour so a viewer that ignores
        // transparency still sees the background.
        self.colors.insert(slot, old[0]);
        self.transparent = Some(slot as u8);
        map
    }

    /// The index of an exact colour, if present.
    #[must_use]
    pub fn index_of(&self, rgb: Rgb) -> Option<u8> {
        self.lookup.get(&rgb).copied()
    }

    fn insert(&mut self, rgb: Rgb) -> u8 {
        if let Some(&i) = self.lookup.get(&rgb) {
            return i;
        }
        if self.colors.len() >= MAX_COLORS {
            self.exact = false;
            return self.nearest(rgb);
        }
        let i = self.colors.len() as u8;
        self.colors.push(rgb);
        self.lookup.insert(rgb, i);
        i
    }

    fn nearest(&self, rgb: Rgb) -> u8 {
        let dist = |c: &Rgb| (0..3).map(|k| (i32::from(c[k]) - i32::from(rgb[k])).pow(2)).sum::<i32>();
        let t = self.transparent.map(usize::from);
        self.colors
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != t)
            .min_by_key(|(_, c)| dist(c))
            .map_or(0, |(i, _)| i as u8)
    }

    fn ink_id(&self, rgb: Rgb) -> usize {
        let dist = |c: &Ink| (0..3).map(|k| (i32::from(c.rgb[k]) - i32::from(rgb[k])).pow(2)).sum::<i32>();
        self.inks.iter().enumerate().min_by_key(|(_, ink)| dist(ink)).map_or(0, |(i, _)| i)
    }

    /// The coverage level of `alpha` for an ink: 0 means nothing is drawn.
    fn level(ink: &Ink, alpha: f64) -> usize {
        // Rounds half up, as `round` does for the non-negative, without its libm call.
        (alpha.clamp(0.0, 1.0) * f64::from(ink.levels) + 0.5) as usize
    }

    fn mix(ink: &Ink, level: usize, under: Rgb) -> Rgb {
        let a = level as f64 / f64::from(ink.levels);
        std::array::from_fn(|k| (f64::from(ink.rgb[k]) * a + f64::from(under[k]) * (1.0 - a)).round() as u8)
    }

    /// Every shade `ink` makes over `under`, lightest coverage first.
    #[must_use]
    pub fn shades(&self, ink_rgb: Rgb, under: Rgb) -> Vec<Rgb> {
        let ink = self.inks[self.ink_id(ink_rgb)];
        (1..=ink.levels as usize).map(|level| Self::mix(&ink, level, under)).collect()
    }

    /// How many coverage levels `rgb` keeps: its ink's, or 8 for a colour that is no ink.
    #[must_use]
    pub fn levels_of(&self, rgb: Rgb) -> u8 {
        self.inks.iter().find(|i| i.rgb == rgb).map_or(8, |i| i.levels)
    }

    /// Blends while growing: adds the result to the palette (while there is room).
    pub fn blend_growing(&mut self, under: u8, ink_rgb: Rgb, alpha: f64) -> u8 {
        // A colour that is no ink (a contour band) is drawn as itself, at 8 coverage levels.
        let ink = self.inks.iter().find(|i| i.rgb == ink_rgb).copied().unwrap_or(Ink { rgb: ink_rgb, levels: 8 });
        match Self::level(&ink, alpha) {
            0 => under,
            level => {
                let rgb = Self::mix(&ink, level, self.colors[under as usize]);
                self.insert(rgb)
            }
        }
    }

    /// Adds every shade `ink` can make over `under`, twice over (a pixel can be touched twice).
    pub fn close_over(&mut self, ink_rgb: Rgb, under: &[u8]) {
        let ink = self.inks[self.ink_id(ink_rgb)];
        let mut frontier: Vec<u8> = under.to_vec();
        for _round in 0..1 {
            let mut next = vec![];
            for &u in &frontier {
                for level in 1..=ink.levels as usize {
                    let before = self.colors.len();
                    let i = self.insert(Self::mix(&ink, level, self.colors[u as usize]));
                    if self.colors.len() > before {
                        next.push(i);
                    }
                }
            }
            frontier = next;
        }
    }

    /// Fixes the palette and fills the blend table; shades without an entry map to the nearest.
    pub fn freeze(&mut self) {
        let n_inks = self.inks.len();
        let mut blend = vec![0u8; self.colors.len() * n_inks * STRIDE];
        for entry in 0..self.colors.len() {
            for (ink_id, ink) in self.inks.iter().enumerate() {
                for level in 0..=ink.levels as usize {
                    let rgb = if level == 0 { self.colors[entry] } else { Self::mix(ink, level, self.colors[entry]) };
                    // Shades beyond the closure (a shade over a shade over a shade) take the
                    // nearest entry: every pixel is still exactly a palette colour.
                    let idx = self.lookup.get(&rgb).copied().unwrap_or_else(|| self.nearest(rgb));
                    blend[(entry * n_inks + ink_id) * STRIDE + level] = idx;
                }
            }
        }
        self.blend = blend;
    }

    /// Blends with the frozen table.
    #[inline]
    #[must_use]
    pub fn blend(&self, under: u8, ink_rgb: Rgb, alpha: f64) -> u8 {
        self.blend_slot(under, self.ink_slot(ink_rgb), alpha)
    }

    /// The slot of the ink nearest `rgb` (its own, when it is one): look it up once per
    /// shape, then blend each pixel with [`Palette::blend_slot`].
    #[must_use]
    pub fn ink_slot(&self, rgb: Rgb) -> usize {
        match self.inks.iter().position(|i| i.rgb == rgb) {
            Some(i) => i,
            None => self.ink_id(rgb),
        }
    }

    /// [`Palette::blend`] with the ink's slot.
    #[inline]
    #[must_use]
    pub fn blend_slot(&self, under: u8, slot: usize, alpha: f64) -> u8 {
        let level = Self::level(&self.inks[slot], alpha);
        self.blend[(under as usize * self.inks.len() + slot) * STRIDE + level]
    }

    /// [`Palette::blend_slot`] for one slot, its ink looked up once: what a run of pixels
    /// in one ink blends with.
    #[must_use]
    pub fn slot_blender(&self, slot: usize) -> SlotBlender<'_> {
        SlotBlender { table: &self.blend, inks: self.inks.len(), slot, ink: self.inks[slot] }
    }

    /// The palette as the GIF's global colour table: RGB triples, transparency slot included.
    #[must_use]
    pub fn gif_table(&self) -> Vec<u8> {
        let mut t: Vec<u8> = self.colors.iter().flatten().copied().collect();
        if self.transparent.is_none() {
            t.extend_from_slice(&self.colors[0]);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blends_are_exact_and_quantised() {
        let blue = Ink { rgb: [0, 0, 255], levels: 4 };
        let mut p = Palette::new([255, 255, 255], &[blue]);
        p.close_over(blue.rgb, &[0]);
        p.freeze();
        assert!(p.is_exact());
        // white and 4 shades of blue over white
        assert_eq!(p.colors().len(), 5);
        assert_eq!(p.index_of([191, 191, 255]), Some(p.blend(0, blue.rgb, 0.25)));
        let full = p.blend(0, blue.rgb, 1.0);
        assert_eq!(p.colors()[full as usize], [0, 0, 255]);
        let half = p.blend(0, blue.rgb, 0.49);
        assert_eq!(p.colors()[half as usize], [128, 128, 255]);
        assert_eq!(p.blend(0, blue.rgb, 0.1), 0, "below half a level draws nothing");
        assert_eq!(p.transparent_index(), 5);
    }

    #[test]
    fn prioritised_colours_come_first_and_transparency_second() {
        let blue = Ink { rgb: [0, 0, 255], levels: 2 };
        let mut p = Palette::new([255, 255, 255], &[blue]);
        p.close_over(blue.rgb, &[0]);
        let map = p.prioritise(&[[0, 0, 255], [255, 255, 255]]);
        p.freeze();
        assert_eq!(p.index_of([0, 0, 255]), Some(0));
        assert_eq!(p.transparent_index(), 1);
        assert_eq!(p.index_of([255, 255, 255]), Some(2));
        assert_eq!(p.index_of([128, 128, 255]), Some(3));
        assert_eq!(map, vec![2, 3, 0]);
        // Blending never lands on the transparent slot.
        assert_eq!(p.blend(2, blue.rgb, 0.5), 3);
        assert_eq!(p.gif_table().len(), 4 * 3);
    }
}
