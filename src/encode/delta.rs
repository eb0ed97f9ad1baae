//! What changed between two frames: the bounding box of the pixels that differ, found a
//! block of bytes at a time, and for each row the span that holds them. Both encoders cut
//! each frame to the box; the GIF encoder compares pixels only inside the spans.

use crate::raster::{Canvas, Rect};

/// The columns `[start, end)` of one row that hold all its differing pixels (`start == end`:
/// none), in the canvas's coordinates.
pub(super) type Span = (u32, u32);

/// The rows of `region` with a differing pixel, each with its span, top to bottom.
fn differing_rows<'a>(shown: &'a [u8], canvas: &'a Canvas, region: Rect) -> impl Iterator<Item = (u32, Span)> + 'a {
    let (width, height) = (canvas.width, canvas.height);
    let w = width as usize;
    let (x0, x1) = (region.x0, region.x1.min(width));
    (region.y0..region.y1.min(height)).filter_map(move |y| {
        let start = y as usize * w;
        let span = start + x0 as usize..start + x1 as usize;
        let (new, old) = (&canvas.pixels[span.clone()], &shown[span]);
        let first = first_difference(new, old)?;
        let last = last_difference(new, old).unwrap_or(first);
        Some((y, (x0 + first as u32, x0 + last as u32 + 1)))
    })
}

/// The bounding box of the pixels inside `region` that differ between `canvas` and `shown`
/// (the previous frame, of the same size).
pub(super) fn changed_within(shown: &[u8], canvas: &Canvas, region: Rect) -> Rect {
    differing_rows(shown, canvas, region)
        .fold(Rect::EMPTY, |changed, (y, (x0, x1))| changed.union(Rect { x0, y0: y, x1, y1: y + 1 }))
}

/// Like [`changed_within`], and `spans` gets the span of each of the box's rows, top to
/// bottom (empty for a row inside the box without a differing pixel).
pub(super) fn changed_spans(shown: &[u8], canvas: &Canvas, region: Rect, spans: &mut Vec<Span>) -> Rect {
    spans.clear();
    let mut changed = Rect::EMPTY;
    for (y, (x0, x1)) in differing_rows(shown, canvas, region) {
        if !changed.is_empty() {
            // The rows between the last one with a difference and this one have none.
            spans.resize(spans.len() + (y - changed.y1) as usize, (x0, x0));
        }
        spans.push((x0, x1));
        changed = changed.union(Rect { x0, y0: y, x1, y1: y + 1 });
    }
    changed
}

/// Bytes compared at a time where slices are mostly equal.
const BLOCK: usize = 64;

/// Whether two blocks are equal: the bytes' differences OR-ed together, with no early exit,
/// so it compiles to a few vector XORs and ORs (a slice comparison stops at each 16 bytes).
#[inline]
fn same_block(a: &[u8; BLOCK], b: &[u8; BLOCK]) -> bool {
    a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The little-endian eight-byte word of `s` at byte `i`.
#[inline]
fn word(s: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or_default())
}

/// The first index where two equally long slices differ: a block at a time while they are
/// equal, then a word at a time (the lowest differing byte of the first differing word).
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let n = a.len().min(b.len());
    let (blocks_a, blocks_b) = (a[..n].as_chunks::<BLOCK>().0, b[..n].as_chunks::<BLOCK>().0);
    let mut i = blocks_a.iter().zip(blocks_b).take_while(|(x, y)| same_block(x, y)).count() * BLOCK;
    while i + 8 <= n {
        let differs = word(a, i) ^ word(b, i);
        if differs != 0 {
            return Some(i + (differs.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    (i..n).find(|&k| a[k] != b[k])
}

/// The last index where two equally long slices differ, the same way from the end.
fn last_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let n = a.len().min(b.len());
    let (blocks_a, blocks_b) = (a[..n].as_rchunks::<BLOCK>().1, b[..n].as_rchunks::<BLOCK>().1);
    let equal = blocks_a.iter().rev().zip(blocks_b.iter().rev()).take_while(|(x, y)| same_block(x, y)).count();
    let mut end = n - equal * BLOCK;
    while end >= 8 {
        let differs = word(a, end - 8) ^ word(b, end - 8);
        if differs != 0 {
            // Little-endian: the highest set bit is in the last byte that differs.
            return Some(end - 8 + differs.ilog2() as usize / 8);
        }
        end -= 8;
    }
    (0..end).rev().find(|&k| a[k] != b[k])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_found_at_both_ends() {
        for len in [0, 1, 7, 8, 9, 30, 33, 64, 71, 100, 130, 200] {
            let a = vec![0u8; len];
            assert_eq!((first_difference(&a, &a), last_difference(&a, &a)), (None, None), "len {len}");
            for i in 0..len {
                for j in i..len {
                    let mut b = a.clone();
                    b[i] = 1;
                    b[j] = 2;
                    assert_eq!((first_difference(&a, &b), last_difference(&a, &b)), (Some(i), Some(j)));
                }
            }
        }
    }

    /// The spans against pixel-by-pixel comparison: each row of the box holds exactly the
    /// differing pixels of its row between its ends, and the box is `changed_within`'s.
    #[test]
    fn spans_hold_each_rows_differences_and_no_more() {
        use rand::{rngs::StdRng, Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(8);
        let mut spans = vec![(7, 9)];
        for trial in 0..300 {
            let (width, height) = (rng.random_range(1..90u32), rng.random_range(1..40u32));
            let shown: Vec<u8> = (0..width * height).map(|_| rng.random_range(0..3)).collect();
            let mut canvas = Canvas::filled(width, height, 0);
            canvas.pixels.clone_from(&shown);
            // A few changed pixels, sometimes none, sometimes in far apart rows.
            for _ in 0..rng.random_range(0..6) {
                let k = rng.random_range(0..shown.len());
                canvas.pixels[k] = 3 + rng.random_range(0..2);
            }
            let (x0, y0) = (rng.random_range(0..width), rng.random_range(0..height));
            let region = Rect { x0, y0, x1: rng.random_range(x0 + 1..=width), y1: rng.random_range(y0 + 1..=height) };
            let rect = changed_spans(&shown, &canvas, region, &mut spans);
            assert_eq!(rect, changed_within(&shown, &canvas, region), "trial {trial}");
            let differs = |x: u32, y: u32| {
                let k = (y * width + x) as usize;
                canvas.pixels[k] != shown[k]
            };
            if rect.is_empty() {
                assert!(spans.is_empty(), "trial {trial}");
                continue;
            }
            assert_eq!(spans.len(), rect.height() as usize, "trial {trial}");
            for (y, &(a, b)) in (rect.y0..).zip(&spans) {
                let inside: Vec<u32> = (region.x0..region.x1).filter(|&x| differs(x, y)).collect();
                match (inside.first(), inside.last()) {
                    (Some(&first), Some(&last)) => assert_eq!((a, b), (first, last + 1), "trial {trial}, row {y}"),
                    _ => assert_eq!(a, b, "trial {trial}, row {y}: a row without differences has an empty span"),
                }
                assert!(rect.x0 <= a && a <= b && b <= rect.x1, "trial {trial}, row {y}");
            }
        }
    }
}
