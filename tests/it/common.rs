//! Shared test helpers: run the binary; decode a GIF the way a browser shows it; where
//! proptest keeps its regressions.

use proptest::test_runner::{FailurePersistence, FileFailurePersistence};
use std::path::{Path, PathBuf};

/// The `sgd-anim` binary cargo built for these tests, for `std::process::Command` (signals,
/// pipes, closed streams).
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("sgd-anim")
}

/// A command that runs `sgd-anim`.
pub fn sgd_anim() -> assert_cmd::Command {
    assert_cmd::Command::new(bin())
}

/// A command that runs `sgd-anim` in `dir`, where relative paths in its arguments point.
pub fn sgd_anim_in(dir: &Path) -> assert_cmd::Command {
    let mut command = sgd_anim();
    command.current_dir(dir);
    command
}

/// The names in `dir`, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// The GIFs in `dir`, sorted.
pub fn gifs_in(dir: &Path) -> Vec<String> {
    names_in(dir).into_iter().filter(|n| n.ends_with(".gif")).collect()
}

/// What a finished command wrote to standard error.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A render of `target` long enough to be stopped part-way (100,000 frames of 1200x900,
/// forced past the work budget), started in the background.
pub fn spawn_long_render(target: &Path) -> std::process::Child {
    std::process::Command::new(bin())
        .args(["render", "-q", "--force", "--steps", "100000", "--width", "1200", "--height", "900", "-o"])
        .arg(target)
        .spawn()
        .unwrap()
}

/// Failing cases are saved beside the test's source, `tests/it/faults.rs` ->
/// `tests/it/faults.proptest-regressions`. Proptest's default (`SourceParallel`) climbs to the
/// nearest folder with a `main.rs`, which is `tests/it/` itself, and would use
/// `tests/proptest-regressions/faults.txt` instead.
pub fn regressions_beside_source() -> Option<Box<dyn FailurePersistence>> {
    Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions")))
}

/// One decoded frame, composed over the previous ones (disposal "keep").
pub struct Shown {
    pub rgb: Vec<u8>,
    pub delay: u16,
}

pub struct Decoded {
    pub width: u32,
    pub height: u32,
    pub frames: Vec<Shown>,
    pub repeat: gif::Repeat,
}

impl Decoded {
    pub fn pixel(&self, frame: usize, x: i32, y: i32) -> [u8; 3] {
        let i = (y as usize * self.width as usize + x as usize) * 3;
        let p = &self.frames[frame].rgb;
        [p[i], p[i + 1], p[i + 2]]
    }
}

/// Decodes every frame and composes it onto the canvas, honouring transparency.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::Indexed);
    let mut d = opts.read_info(bytes).expect("a valid GIF header");
    let (w, h) = (d.width() as usize, d.height() as usize);
    let palette = d.global_palette().expect("a global palette").to_vec();
    let mut canvas = vec![0u8; w * h * 3];
    let mut frames = vec![];
    while let Some(f) = d.read_next_frame().expect("a valid frame") {
        assert!(f.palette.is_none(), "frames use the global palette");
        assert_eq!(f.dispose, gif::DisposalMethod::Keep);
        for fy in 0..f.height as usize {
            for fx in 0..f.width as usize {
                let idx = f.buffer[fy * f.width as usize + fx];
                if Some(idx) == f.transparent {
                    continue;
                }
                let (x, y) = (f.left as usize + fx, f.top as usize + fy);
                assert!(x < w && y < h, "frame inside the canvas");
                let o = (y * w + x) * 3;
                canvas[o..o + 3].copy_from_slice(&palette[idx as usize * 3..idx as usize * 3 + 3]);
            }
        }
        frames.push(Shown { rgb: canvas.clone(), delay: f.delay });
    }
    Decoded { width: w as u32, height: h as u32, frames, repeat: d.repeat() }
}

/// A GIF's bytes without its comment extensions (blocks `0x21 0xFE`), and the comments' texts
/// (each one's sub-blocks joined): two files that differ only in their provenance comment have
/// the first the same, byte for byte.
pub fn split_comments(bytes: &[u8]) -> (Vec<u8>, Vec<String>) {
    // The header and logical screen descriptor, and the global colour table if there is one.
    let table = |flags: u8| if flags & 0x80 != 0 { 3 << ((flags & 7) + 1) } else { 0 };
    let mut at = 13 + table(bytes[10]);
    let (mut out, mut comments) = (bytes[..at].to_vec(), vec![]);
    // Sub-blocks from `i` up to and including the empty one that ends them, and their data.
    let sub_blocks = |mut i: usize| {
        let mut data = vec![];
        while bytes[i] != 0 {
            data.extend_from_slice(&bytes[i + 1..i + 1 + bytes[i] as usize]);
            i += 1 + bytes[i] as usize;
        }
        (i + 1, data)
    };
    loop {
        match bytes[at] {
            0x21 if bytes[at + 1] == 0xFE => {
                let (end, text) = sub_blocks(at + 2);
                comments.push(String::from_utf8_lossy(&text).into_owned());
                at = end;
            }
            0x21 => {
                let end = sub_blocks(at + 2).0;
                out.extend_from_slice(&bytes[at..end]);
                at = end;
            }
            0x2C => {
                let end = sub_blocks(at + 10 + table(bytes[at + 9]) + 1).0;
                out.extend_from_slice(&bytes[at..end]);
                at = end;
            }
            0x3B => {
                out.push(0x3B);
                return (out, comments);
            }
            other => panic!("byte {at}: 0x{other:02X} starts no block"),
        }
    }
}
