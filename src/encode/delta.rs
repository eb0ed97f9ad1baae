//! What changed between two frames: the bounding box of the pixels that differ, found a
//! block of bytes at a time. Both encoders cut each frame to it.

use crate::raster::{Canvas, Rect};

/// The bounding box of the pixels inside `region` that differ between `canvas` and `shown`
/// (the previous frame, of the same size).
pub(super) fn changed_within(shown: &[u8], canvas: &Canvas, region: Rect) -> Rect {
    let (width, height) = (canvas.width, canvas.height);
    let w = width as usize;
    let mut changed = Rect::EMPTY;
    for y in region.y0..region.y1.min(height) {
        let start = y as usize * w;
        let span = start + region.x0 as usize..start + region.x1.min(width) as usize;
        let (new, old) = (&canvas.pixels[span.clone()], &shown[span]);
        let Some(first) = first_difference(new, old) else { continue };
        let last = last_difference(new, old).unwrap_or(first);
        changed =
            changed.union(Rect { x0: region.x0 + first as u32, y0: y, x1: region.x0 + last as u32 + 1, y1: y + 1 });
    }
    changed
}

/// Bytes compared at a time where slices are mostly equal (compiled to vector compares).
const BLOCK: usize = 32;

/// The first index where two equally long slices differ: a block at a time while they are
/// equal, then byte by byte.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let blocks = a.chunks_exact(BLOCK).zip(b.chunks_exact(BLOCK));
    let start = blocks.take_while(|(x, y)| x == y).count() * BLOCK;
    (start..a.len().min(b.len())).find(|&k| a[k] != b[k])
}

/// The last index where two equally long slices differ, the same way from the end.
fn last_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let blocks = a.rchunks_exact(BLOCK).zip(b.rchunks_exact(BLOCK));
    let end = n - blocks.take_while(|(x, y)| x == y).count() * BLOCK;
    (0..end).rev().find(|&k| a[k] != b[k])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_found_at_both_ends() {
        for len in [0, 1, 7, 8, 9, 30, 33, 64, 71, 100] {
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
}
