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
}

const STRIDE: usize = 17;

impl Palette {
    /// A growing palette holding `background`, with the inks drawing may use.
    pub fn new(background: Rgb, inks: &[Ink]) -> Palette {
        let mut p = Palette {
            colors: vec![],
            lookup: HashMap::new(),
            inks: inks.to_vec(),
            blend: vec![],
            exact: true,
        };
        p.insert(background);
        p
    }

    /// The colours, in index order.
    pub fn colors(&self) -> &[Rgb] {
        &self.colors
    }

    /// Whether every shade [`Palette::close_over`] asked for got its own entry.
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// The index reserved for transparent pixels (one past the colours).
    pub fn transparent_index(&self) -> u8 {
        self.colors.len() as u8
    }

    /// The index of an exact colour, if present.
    pub fn index_of(&self, rgb: Rgb) -> Option<u8> {
        self.lookup.get(&rgb).copied()
    }

    fn insert(&mut self, rgb: Rgb) -> u8 {
        if let Some(&i) = self.lookup.get(&rgb) {
            return i;
        }
        if self.colors.len() == MAX_COLORS {
            self.exact = false;
            return self.nearest(rgb);
        }
        let i = self.colors.len() as u8;
        self.colors.push(rgb);
        self.lookup.insert(rgb, i);
        i
    }

    fn nearest(&self, rgb: Rgb) -> u8 {
        let dist = |c: &Rgb| {
            (0..3)
                .map(|k| (c[k] as i32 - rgb[k] as i32).pow(2))
                .sum::<i32>()
        };
        self.colors
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| dist(c))
            .map(|(i, _)| i as u8)
            .unwrap_or(0)
    }

    fn ink_id(&self, rgb: Rgb) -> usize {
        let dist = |c: &Ink| {
            (0..3)
                .map(|k| (c.rgb[k] as i32 - rgb[k] as i32).pow(2))
                .sum::<i32>()
        };
        self.inks
            .iter()
            .enumerate()
            .min_by_key(|(_, ink)| dist(ink))
            .map(|(i, _)| i)
            .unwrap_or(0)
    }

    /// The coverage level of `alpha` for an ink: 0 means nothing is drawn.
    fn level(ink: &Ink, alpha: f64) -> usize {
        (alpha.clamp(0.0, 1.0) * ink.levels as f64).round() as usize
    }

    fn mix(ink: &Ink, level: usize, under: Rgb) -> Rgb {
        let a = level as f64 / ink.levels as f64;
        std::array::from_fn(|k| (ink.rgb[k] as f64 * a + under[k] as f64 * (1.0 - a)).round() as u8)
    }

    /// Blends while growing: adds the result to the palette (while there is room).
    pub fn blend_growing(&mut self, under: u8, ink_rgb: Rgb, alpha: f64) -> u8 {
        let ink = self.inks[self.ink_id(ink_rgb)];
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
        for _round in 0..2 {
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
                    let rgb = if level == 0 {
                        self.colors[entry]
                    } else {
                        Self::mix(ink, level, self.colors[entry])
                    };
                    // Shades beyond the closure (a shade over a shade over a shade) take the
                    // nearest entry: every pixel is still exactly a palette colour.
                    let idx = self
                        .lookup
                        .get(&rgb)
                        .copied()
                        .unwrap_or_else(|| self.nearest(rgb));
                    blend[(entry * n_inks + ink_id) * STRIDE + level] = idx;
                }
            }
        }
        self.blend = blend;
    }

    /// Blends with the frozen table.
    #[inline]
    pub fn blend(&self, under: u8, ink_rgb: Rgb, alpha: f64) -> u8 {
        let ink_id = match self.inks.iter().position(|i| i.rgb == ink_rgb) {
            Some(i) => i,
            None => self.ink_id(ink_rgb),
        };
        let level = Self::level(&self.inks[ink_id], alpha);
        self.blend[(under as usize * self.inks.len() + ink_id) * STRIDE + level]
    }

    /// The palette as the GIF's global colour table: RGB triples, transparency slot included.
    pub fn gif_table(&self) -> Vec<u8> {
        let mut t: Vec<u8> = self.colors.iter().flatten().copied().collect();
        t.extend_from_slice(&[255, 255, 255]);
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blends_are_exact_and_quantised() {
        let blue = Ink {
            rgb: [0, 0, 255],
            levels: 4,
        };
        let mut p = Palette::new([255, 255, 255], &[blue]);
        p.close_over(blue.rgb, &[0]);
        p.freeze();
        assert!(p.is_exact());
        // white, 4 shades of blue over white, and the shades of those shades
        assert_eq!(p.colors().len(), 10);
        assert_eq!(
            p.index_of([191, 191, 255]),
            Some(p.blend(0, blue.rgb, 0.25))
        );
        let full = p.blend(0, blue.rgb, 1.0);
        assert_eq!(p.colors()[full as usize], [0, 0, 255]);
        let half = p.blend(0, blue.rgb, 0.49);
        assert_eq!(p.colors()[half as usize], [128, 128, 255]);
        assert_eq!(
            p.blend(0, blue.rgb, 0.1),
            0,
            "below half a level draws nothing"
        );
        assert_eq!(p.transparent_index(), 10);
    }
}
