//! What changed between two frames: the bounding box of the pixels that differ, found a
//! block of bytes at a time, and for each row the span that holds them. Both encoders cut
//! each frame to the box; the GIF encoder compares pixels only inside the spans, and is told
//! where to look as several rectangles (the old line, the new one, the caption), so the rows
//! and columns between them, which the box holds but where nothing can change, are never read.

use crate::raster::{Canvas, Rect};

/// The columns `[start, end)` of one row that hold all its differing pixels (`start == end`:
/// none), in the canvas's coordinates.
pub(super) type Span = (u32, u32);

/// The span of the differing pixels of `row` (of `new` against `old`, the two frames' pixels
/// of one canvas row) inside `columns` (sorted, disjoint intervals), if any: the first one
/// found from the left, the last from the right.
fn row_span(new: &[u8], old: &[u8], columns: &[Span]) -> Option<Span> {
    if let [(a, b)] = *columns {
        // One interval, the most common case: no iterators over the intervals.
        let (new, old) = (&new[a as usize..b as usize], &old[a as usize..b as usize]);
        let first = first_difference(new, old)?;
        let last = last_difference(new, old).unwrap_or(first);
        return Some((a + first as u32, a + last as u32 + 1));
    }
    let differs = |&(a, b): &Span| {
        let (a, b) = (a as usize, b as usize);
        Some((a, &new[a..b], &old[a..b]))
    };
    let first = columns.iter().filter_map(differs).find_map(|(a, n, o)| first_difference(n, o).map(|k| a + k))?;
    let last = columns.iter().rev().filter_map(differs).find_map(|(a, n, o)| last_difference(n, o).map(|k| a + k));
    Some((first as u32, last.unwrap_or(first) as u32 + 1))
}

/// The rows of `regions` (each cut to the canvas) with a differing pixel, each with its span,
/// top to bottom. Where regions overlap, their pixels are read once: the rows are taken in
/// bands between the regions' top and bottom edges, each with the union of the columns of
/// the regions that cover it.
fn differing_rows<'a>(shown: &'a [u8], canvas: &'a Canvas, regions: &[Rect]) -> impl Iterator<Item = (u32, Span)> + 'a {
    let (width, height) = (canvas.width, canvas.height);
    let cut: Vec<Rect> = regions
        .iter()
        .map(|r| Rect { x1: r.x1.min(width), y1: r.y1.min(height), ..*r })
        .filter(|r| !r.is_empty())
        .collect();
    let mut edges: Vec<u32> = cut.iter().flat_map(|r| [r.y0, r.y1]).collect();
    edges.sort_unstable();
    edges.dedup();
    let bands: Vec<(u32, u32, Vec<Span>)> = edges
        .windows(2)
        .filter_map(|band| {
            let (y0, y1) = (band[0], band[1]);
            let mut columns: Vec<Span> =
                cut.iter().filter(|r| r.y0 <= y0 && y1 <= r.y1).map(|r| (r.x0, r.x1)).collect();
            columns.sort_unstable();
            columns.dedup_by(|next, merged| {
                let touches = next.0 <= merged.1;
                merged.1 = if touches { merged.1.max(next.1) } else { merged.1 };
                touches
            });
            (!columns.is_empty()).then_some((y0, y1, columns))
        })
        .collect();
    let w = width as usize;
    bands.into_iter().flat_map(move |(y0, y1, columns)| {
        (y0..y1).filter_map(move |y| {
            let row = y as usize * w..(y as usize + 1) * w;
            row_span(&canvas.pixels[row.clone()], &shown[row], &columns).map(|span| (y, span))
        })
    })
}

/// The bounding box of the pixels inside `region` that differ between `canvas` and `shown`
/// (the previous frame, of the same size).
pub(super) fn changed_within(shown: &[u8], canvas: &Canvas, region: Rect) -> Rect {
    differing_rows(shown, canvas, &[region])
        .fold(Rect::EMPTY, |changed, (y, (x0, x1))| changed.union(Rect { x0, y0: y, x1, y1: y + 1 }))
}

/// The bounding box of the pixels inside `regions` that differ between `canvas` and `shown`,
/// and `spans` gets the span of each of the box's rows, top to bottom (empty for a row inside
/// the box without a differing pixel). Only `regions` are read: the caller vouches that no
/// pixel outside them differs.
pub(super) fn changed_spans(shown: &[u8], canvas: &Canvas, regions: &[Rect], spans: &mut Vec<Span>) -> Rect {
    spans.clear();
    let mut changed = Rect::EMPTY;
    for (y, (x0, x1)) in differing_rows(shown, canvas, regions) {
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
            let rect = changed_spans(&shown, &canvas, &[region], &mut spans);
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

    /// Several regions (overlapping, touching, apart, some empty or past the canvas) with
    /// every differing pixel inside one of them give the box and spans that their union gives.
    #[test]
    fn regions_give_what_their_union_gives() {
        use rand::{rngs::StdRng, Rng, SeedableRng};
        let mut rng = StdRng::seed_from_u64(10);
        let (mut from_regions, mut from_union) = (vec![], vec![]);
        let mut apart = 0;
        for trial in 0..400 {
            let (width, height) = (rng.random_range(1..120u32), rng.random_range(1..60u32));
            let shown: Vec<u8> = (0..width * height).map(|_| rng.random_range(0..3)).collect();
            let mut canvas = Canvas::filled(width, height, 0);
            canvas.pixels.clone_from(&shown);
            let mut regions = vec![];
            for _ in 0..rng.random_range(0..6) {
                let (x0, y0) = (rng.random_range(0..width + 3), rng.random_range(0..height + 3));
                let (x1, y1) = (rng.random_range(x0..=width + 5), rng.random_range(y0..=height + 5));
                let region = Rect { x0, y0, x1, y1 };
                // A few changed pixels inside the region's part on the canvas.
                for _ in 0..rng.random_range(0..5) {
                    let (x, y) = (rng.random_range(x0..x1.max(x0 + 1)), rng.random_range(y0..y1.max(y0 + 1)));
                    if x < x1.min(width) && y < y1.min(height) {
                        canvas.pixels[(y * width + x) as usize] = 3 + rng.random_range(0..2);
                    }
                }
                regions.push(region);
            }
            let union = regions.iter().fold(Rect::EMPTY, |u, &r| u.union(r));
            let rect = changed_spans(&shown, &canvas, &regions, &mut from_regions);
            assert_eq!(rect, changed_spans(&shown, &canvas, &[union], &mut from_union), "trial {trial}");
            assert_eq!(from_regions, from_union, "trial {trial}: {regions:?}");
            let covered = u64::from(union.width()) * u64::from(union.height());
            let inside: u64 = regions.iter().map(|r| u64::from(r.width()) * u64::from(r.height())).sum();
            apart += usize::from(!rect.is_empty() && inside < covered);
        }
        // Many trials have regions whose union holds pixels none of them does.
        assert!(apart > 100, "{apart}");
    }
}
